// The one filter model: the same parameter names and meanings in a page URL, in the read API and in
// SQL. Checked by hand, not with a schema library, because every page parses its URL with it
// (docs/decisions/0006); its issues are the API's published answers (lib/api/parse-query.ts).
import { parseDurationMs } from '../duration';
import { findPriority } from '../falco/priorities';
import { msToNs, parseTimeNs } from '../falco/time';

import { isTriageStatus, parseGroupKey, TRIAGE_STATUSES } from '../triage/groupings';
import { LIST_FILTERS, type ListFilter } from './dimensions';

export { LIST_FILTERS, type ListFilter };

/** `from=all` spells out "no lower bound", so a page URL can say it shows all time. */
export const ALL_TIME = 'all';

/** Falco's own health events are left out unless asked for. */
const INTERNAL_MODES = ['exclude', 'include', 'only'] as const;

/** The longest free-text search, in UTF-16 code units. */
const MAX_Q_LENGTH = 500;
/** The most words a free-text search may hold: each word reads its whole list in the word index. */
export const MAX_Q_WORDS = 16;
/** The most values one list filter takes (`rule=a&rule=b…`); `chain` takes fewer (see MAX_VALUES). */
export const MAX_FILTER_VALUES = 50;
/** The longest value of a list filter, in UTF-16 code units. */
export const MAX_VALUE_LENGTH = 1_000;

// A chain is tested against every alert of the range in aggregates, so its values cost the most.
const MAX_VALUES: Partial<Record<ListFilter, number>> = { chain: 20 };
export const maxFilterValues = (key: ListFilter) => MAX_VALUES[key] ?? MAX_FILTER_VALUES;

export type EventFilter = { [K in ListFilter]: string[] } & {
  from?: string;
  to?: string;
  minPriority?: string;
  /** Free text: alerts whose text holds these words, in order (lib/db/filter-sql.ts, ftsQuery). */
  q?: string;
  internal: (typeof INTERNAL_MODES)[number];
};

export interface EventPage {
  cursor?: string;
  limit: number;
}

/** What is wrong with one input: `path` names the field (and the list index). */
interface FilterIssue {
  path: (string | number)[];
  code: 'custom' | 'invalid_type' | 'invalid_value' | 'too_big' | 'too_small';
  message: string;
}

type FilterParse<T> = { success: true; data: T } | { success: false; issues: FilterIssue[] };

/** A validator of raw input (see filterInput): `safeParse` reports the issues, `parse` throws them. */
export interface FilterSchema<T> {
  safeParse(input: Record<string, unknown>): FilterParse<T>;
  parse(input: Record<string, unknown>): T;
}

/** Time bounds must be before 2200-01-01T00:00:00Z. */
const MAX_BOUND_NS = 7_258_118_400_000_000_000n;

const TIME_MESSAGE =
  'expected an ISO time before 2200 (2026-11-29T10:00:00Z), a relative time such as 15m, 1h, 7d, now, or all';
const PRIORITY_MESSAGE =
  'expected a Falco priority: Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug';

// What the word index (lib/db/migrations/0005_event_search.sql) keeps of a text: runs of letters,
// digits and private-use characters, the word characters of SQLite's unicode61 tokenizer.
export const isSearchable = (text: string) => /[\p{L}\p{N}\p{Co}]/u.test(text);
export const UNSEARCHABLE =
  'expected at least one letter or digit: free text searches words, and punctuation only separates them';

/** True when `q` may search: not too long, and blank or holding a word. */
export function isValidSearchText(text: string): boolean {
  return searchTextIssues(text, []).length === 0;
}

function searchTextIssues(text: string, path: (string | number)[]): FilterIssue[] {
  const issues: FilterIssue[] = [];
  if (text.length > MAX_Q_LENGTH)
    issues.push({ path, code: 'too_big', message: `Too big: expected string to have <=${MAX_Q_LENGTH} characters` });
  if (text.trim() !== '' && !isSearchable(text)) issues.push({ path, code: 'custom', message: UNSEARCHABLE });
  const words = text.match(/[\p{L}\p{N}\p{Co}]+/gu)?.length ?? 0;
  if (words > MAX_Q_WORDS)
    issues.push({
      path,
      code: 'too_big',
      message: `Too big: expected at most ${MAX_Q_WORDS} words, received ${words}`,
    });
  return issues;
}

// Lists whose values come from a fixed set or have a fixed shape.
const LIST_CHECKS: Partial<Record<ListFilter, { valid: (text: string) => boolean; message: string }>> = {
  group: {
    valid: (text) => parseGroupKey(text) !== undefined,
    message: 'expected a group key as /api/groups gives it, e.g. ric-0a1b2c3d4e5f6789',
  },
  status: { valid: isTriageStatus, message: `expected a triage status: ${TRIAGE_STATUSES.join(', ')}` },
};

const isTimeBound = (text: string) => text === ALL_TIME || resolveTimeNs(text, Date.now()) !== undefined;
const isPriorityName = (text: string) => findPriority(text) !== undefined;

// The name of what arrived instead: the messages say "received number" etc.
function received(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : String(value);
  return typeof value;
}

const invalidType = (path: (string | number)[], expected: string, value: unknown): FilterIssue => ({
  path,
  code: 'invalid_type',
  message: `Invalid input: expected ${expected}, received ${received(value)}`,
});

/** An optional text field, checked by `valid` when it is a string. */
function optionalText(
  key: string,
  value: unknown,
  issues: FilterIssue[],
  valid?: (text: string) => boolean,
  message = '',
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') issues.push(invalidType([key], 'string', value));
  else if (valid && !valid(value)) issues.push({ path: [key], code: 'custom', message });
  return typeof value === 'string' ? value : undefined;
}

/** A list field (absent: empty), each value a string that `valid` accepts. */
function textList(
  key: ListFilter,
  value: unknown,
  issues: FilterIssue[],
  valid?: (text: string) => boolean,
  message = '',
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push(invalidType([key], 'array', value));
    return [];
  }
  const max = maxFilterValues(key);
  if (value.length > max) {
    // One issue for the list, not one per value: the answer stays small whatever was sent.
    issues.push({
      path: [key],
      code: 'too_big',
      message: `Too big: expected at most ${max} values of ${key}, received ${value.length}`,
    });
    return [];
  }
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'string') issues.push(invalidType([key, i], 'string', item));
    else if (item.length > MAX_VALUE_LENGTH)
      issues.push({
        path: [key, i],
        code: 'too_big',
        message: `Too big: expected string to have <=${MAX_VALUE_LENGTH} characters`,
      });
    else if (valid && !valid(item)) issues.push({ path: [key, i], code: 'custom', message });
  });
  return (value as string[]).slice();
}

/**
 * The filter a raw input (see filterInput) asks for, or every issue with it, in field order. Keys
 * it does not know are left out; absent lists are empty and `internal` is `exclude`.
 */
function parseEventFilter(input: Record<string, unknown>): FilterParse<EventFilter> {
  const issues: FilterIssue[] = [];
  const from = optionalText('from', input.from, issues, isTimeBound, TIME_MESSAGE);
  const to = optionalText('to', input.to, issues, isTimeBound, TIME_MESSAGE);
  const priority = textList('priority', input.priority, issues, isPriorityName, PRIORITY_MESSAGE);
  const minPriority = optionalText('minPriority', input.minPriority, issues, isPriorityName, PRIORITY_MESSAGE);
  const lists = Object.fromEntries(
    LIST_FILTERS.slice(1).map((key) => {
      const check = LIST_CHECKS[key];
      return [key, textList(key, input[key], issues, check?.valid, check?.message)];
    }),
  );
  const q = optionalText('q', input.q, issues);
  if (q !== undefined) issues.push(...searchTextIssues(q, ['q']));
  const internal = input.internal === undefined ? 'exclude' : input.internal;
  if (!INTERNAL_MODES.includes(internal as EventFilter['internal'])) {
    issues.push({
      path: ['internal'],
      code: 'invalid_value',
      message: `Invalid option: expected one of ${INTERNAL_MODES.map((m) => `"${m}"`).join('|')}`,
    });
  }
  if (issues.length > 0) return { success: false, issues };
  // Optional fields stay absent rather than undefined, in the model's order.
  const data = {
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    priority,
    ...(minPriority !== undefined && { minPriority }),
    ...lists,
    ...(q !== undefined && { q }),
    internal,
  } as EventFilter;
  return { success: true, data };
}

const MIN_LIMIT = 1;
const MAX_LIMIT = 1000;

/** The page a raw input asks for: `limit` from a query string's text (default 50), an opaque `cursor`. */
function parseEventPage(input: Record<string, unknown>): FilterParse<EventPage> {
  const issues: FilterIssue[] = [];
  const cursor = optionalText('cursor', input.cursor, issues);
  const limit = input.limit === undefined ? 50 : Number(input.limit);
  const path = ['limit'];
  if (!Number.isFinite(limit)) issues.push(invalidType(path, 'number', limit));
  else if (!Number.isInteger(limit))
    issues.push({ path, code: 'invalid_type', message: 'Invalid input: expected int, received number' });
  else {
    // The safe-integer range first, then the bounds, each reported.
    if (limit > Number.MAX_SAFE_INTEGER)
      issues.push({ path, code: 'too_big', message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
    if (limit < Number.MIN_SAFE_INTEGER)
      issues.push({ path, code: 'too_small', message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
    if (limit < MIN_LIMIT)
      issues.push({ path, code: 'too_small', message: `Too small: expected number to be >=${MIN_LIMIT}` });
    if (limit > MAX_LIMIT)
      issues.push({ path, code: 'too_big', message: `Too big: expected number to be <=${MAX_LIMIT}` });
  }
  if (issues.length > 0) return { success: false, issues };
  return { success: true, data: cursor === undefined ? { limit } : { cursor, limit } };
}

function schema<T>(safeParse: (input: Record<string, unknown>) => FilterParse<T>): FilterSchema<T> {
  return {
    safeParse,
    parse(input) {
      const parsed = safeParse(input);
      if (parsed.success) return parsed.data;
      throw new Error(parsed.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    },
  };
}

export const EventFilter = schema(parseEventFilter);
export const EventPage = schema(parseEventPage);

/**
 * Nanoseconds for a time bound: `now`, a relative duration back from `nowMs` (`7d`), or an
 * absolute time (to the nanosecond). Undefined when the text is none of these.
 */
function resolveTimeNs(text: string, nowMs: number): bigint | undefined {
  const ns = resolveUnchecked(text, nowMs);
  // Before 1970 is not a time the store can hold; the cap leaves room for bucket arithmetic past
  // a bound, which would overflow SQLite's 64-bit integers near the end of what alerts may hold.
  return ns !== undefined && ns >= 0n && ns < MAX_BOUND_NS ? ns : undefined;
}

function resolveUnchecked(text: string, nowMs: number): bigint | undefined {
  const trimmed = text.trim();
  if (trimmed === 'now') return msToNs(nowMs);
  const relative = parseDurationMs(trimmed);
  if (relative !== undefined) return msToNs(nowMs - relative);
  const exact = parseTimeNs(trimmed);
  if (exact !== undefined) return exact;
  // Dates and zone-less times as typed into a form (`2026-11-29`, `2026-11-29T10:00`), read as UTC.
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/.test(trimmed)) {
    const iso = trimmed.length === 10 ? `${trimmed}T00:00:00` : trimmed.replace(' ', 'T');
    return parseTimeNs(`${iso.length === 16 ? `${iso}:00` : iso}Z`);
  }
  return undefined;
}

/** Milliseconds for a time bound (see resolveTimeNs). */
export function resolveTimeMs(text: string, nowMs: number): number | undefined {
  const ns = resolveTimeNs(text, nowMs);
  return ns === undefined ? undefined : Number(ns / 1_000_000n);
}

/** Nanosecond bounds of a filter at a given moment: `from` inclusive, `to` exclusive. */
export function timeBoundsNs(filter: Pick<EventFilter, 'from' | 'to'>, nowMs = Date.now()) {
  const bound = (text: string | undefined) =>
    text === undefined || text === ALL_TIME ? undefined : resolveTimeNs(text, nowMs);
  return { fromNs: bound(filter.from), toNs: bound(filter.to) };
}

export type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

/** Every non-blank value of a query parameter, from a URL or from a page's `searchParams`. */
export function allValues(params: ParamSource, key: string): string[] {
  const raw = params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
  // `rule=a,b` is not split: rule names and command lines contain commas. Repeat the parameter.
  return raw.map((value) => value.trim()).filter((value) => value !== '');
}

/** The filter's raw input from a URL's query (page or API); validate with EventFilter.safeParse. */
export function filterInput(params: ParamSource): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of LIST_FILTERS) input[key] = allValues(params, key);
  for (const key of ['from', 'to', 'minPriority', 'q', 'internal', 'cursor', 'limit'] as const) {
    const [value] = allValues(params, key);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

/** The query string for a filter, in a stable order, leaving out what is unset. */
export function filterToSearchParams(filter: Partial<EventFilter>): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  for (const key of LIST_FILTERS) for (const value of filter[key] ?? []) params.append(key, value);
  if (filter.minPriority) params.set('minPriority', filter.minPriority);
  if (filter.q) params.set('q', filter.q);
  if (filter.internal && filter.internal !== 'exclude') params.set('internal', filter.internal);
  return params;
}
