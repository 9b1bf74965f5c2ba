// The one filter model: the same parameter names and meanings in a page URL, in the read API and
// in SQL. `/events?rule=X&from=7d` and `/api/events?rule=X&from=7d` select the same alerts.
import { z } from 'zod';
import { parseDurationMs } from '../duration';
import { findPriority } from '../falco/priorities';
import { MAX_TIME_NS, msToNs, parseTimeNs } from '../falco/time';

/** Filters that take a set of values: OR within a field, AND across fields. */
export const LIST_FILTERS = [
  'priority', 'rule', 'source', 'hostname', 'container', 'image', 'namespace', 'pod', 'tag', 'user', 'proc', 'chain',
] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** `from=all` spells out "no lower bound", so a page URL can say it shows all time. */
export const ALL_TIME = 'all';

const timeBound = z.string().refine((text) => text === ALL_TIME || resolveTimeNs(text, Date.now()) !== undefined, {
  message: 'expected an ISO time (2026-11-29T10:00:00Z), a relative time such as 15m, 1h, 7d, now, or all',
});

const priorityName = z.string().refine((name) => findPriority(name) !== undefined, {
  message: 'expected a Falco priority: Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug',
});

const values = z.array(z.string()).default([]);

// What the word index (lib/db/migrations/0005_event_search.sql) keeps of a text: runs of letters,
// digits and private-use characters, the word characters of SQLite's unicode61 tokenizer.
export const isSearchable = (text: string) => /[\p{L}\p{N}\p{Co}]/u.test(text);
export const UNSEARCHABLE = 'expected at least one letter or digit: free text searches words, and punctuation only separates them';

export const EventFilter = z.object({
  from: timeBound.optional(),
  to: timeBound.optional(),
  priority: z.array(priorityName).default([]),
  minPriority: priorityName.optional(),
  rule: values,
  source: values,
  hostname: values,
  container: values,
  image: values,
  namespace: values,
  pod: values,
  tag: values,
  user: values,
  proc: values,
  /** A process chain from the root ancestor (see chainKey): alerts at or below that node. */
  chain: values,
  /** Free text: alerts whose text holds these words, in order (lib/db/filter-sql.ts, ftsQuery). */
  q: z.string().max(500).refine((text) => text.trim() === '' || isSearchable(text), { message: UNSEARCHABLE }).optional(),
  /** Falco's own health events are left out unless asked for. */
  internal: z.enum(['exclude', 'include', 'only']).default('exclude'),
});
export type EventFilter = z.infer<typeof EventFilter>;

export const EventPage = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type EventPage = z.infer<typeof EventPage>;

/**
 * Nanoseconds for a time bound: `now`, a relative duration back from `nowMs` (`7d`), or an
 * absolute time (to the nanosecond). Undefined when the text is none of these.
 */
export function resolveTimeNs(text: string, nowMs: number): bigint | undefined {
  const ns = resolveUnchecked(text, nowMs);
  // Bounds outside what the store can hold (before 1970, after 2262) are not times at all.
  return ns !== undefined && ns >= 0n && ns <= MAX_TIME_NS ? ns : undefined;
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
  const bound = (text: string | undefined) => (text === undefined || text === ALL_TIME ? undefined : resolveTimeNs(text, nowMs));
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
