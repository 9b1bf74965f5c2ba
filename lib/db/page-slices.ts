import 'server-only';
// A newest-first page tests each alert in time order: quick for a common value, the whole range for
// a rare or absent one. For those, the counts (migrations 0002, 0008) say first which hours hold
// the value, and the page walks only those hours, or answers at once when there are none.
import { NONE_VALUE } from '../filters/dimensions';
import { LIST_FILTERS, timeBoundsNs, type EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { filterConditions, hasColumnFilter, searchText } from './filter-sql';
import { storedCounts } from './rollup-sql';
import { prepared } from './statements';
import { NS_PER_HALF_DAY, NS_PER_HOUR } from './periods';

/** A stretch of time to walk, [fromNs, toNs). */
export interface Slice {
  fromNs: bigint;
  toNs: bigint;
}

// Filters whose own index (rule, time) and the like already leads a page to its alerts; the
// indexes of users, images and pods hold only alerts with a value, so `(none)` has none to follow.
const INDEXED = ['rule', 'hostname', 'namespace', 'source', 'container'] as const;
const INDEXED_VALUES = ['image', 'pod', 'user'] as const;

const indexLeads = (filter: EventFilter) =>
  INDEXED.some((key) => filter[key].length > 0) ||
  INDEXED_VALUES.some((key) => filter[key].length > 0 && !filter[key].includes(NONE_VALUE));

/**
 * Whether the counts should say where this filter's alerts are: it has a value they count and no
 * index leads to (a tag, a process, `(none)` of a user, image or pod), and no free text. A chain,
 * which the counts do not hold, only narrows the hours they name.
 */
const sliceable = (filter: EventFilter) =>
  searchText(filter) === undefined &&
  !indexLeads(filter) &&
  (hasColumnFilter(filter) || filter.tag.length > 0 || filter.proc.length > 0);

/**
 * The hours, newest first and clipped to the range, that may hold alerts of `filter` below
 * `beforeNs` (a page's cursor) when the counts find its values in few; null when the plain walk is
 * the better plan (values all over the range, a filter the counts cannot judge); [] when none can.
 */
export function pageSlices(db: Db, filter: EventFilter, nowMs: number, beforeNs?: bigint): Slice[] | null {
  if (!sliceable(filter)) return null;
  const bounds = timeBoundsNs(filter, nowMs);
  // Open ends reach the oldest and the newest alert, wherever their clocks put them.
  const stored = storedSpan(db);
  if (stored === null) return [];
  const fromNs = bounds.fromNs ?? stored.oldest;
  let toNs = bounds.toNs ?? stored.newest + 1n;
  if (beforeNs !== undefined && beforeNs + 1n < toNs) toNs = beforeNs + 1n;
  if (fromNs >= toNs) return [];
  const span = { first: fromNs / NS_PER_HOUR, last: (toNs - 1n) / NS_PER_HOUR };
  // Hours with counted matches, from each source the filter has; an hour must be in all of them.
  // A source whose value is too common to list is left out: the others still bound the walk.
  const sources: Set<bigint>[] = [];
  const timeAndPriority: EventFilter = {
    ...filter,
    ...Object.fromEntries(LIST_FILTERS.filter((key) => key !== 'priority').map((key) => [key, []])),
  };
  const add = (hours: Set<bigint> | null) => hours !== null && sources.push(hours);
  if (hasColumnFilter(filter))
    add(columnHours(db, { ...filter, tag: [], proc: [], chain: [], group: [], status: [] }, span));
  if (filter.tag.length > 0) add(listHours(db, 'tag_counts_1h', 'tag', filter.tag, timeAndPriority, span));
  if (filter.proc.length > 0) add(listHours(db, 'process_counts_1h', 'name', filter.proc, timeAndPriority, span));
  const [first, ...others] = sources;
  if (first === undefined) return null;
  const hours = [...first]
    .filter((hour) => others.every((other) => other.has(hour)))
    .sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  return hours.map((hour) => ({
    fromNs: hour * NS_PER_HOUR > fromNs ? hour * NS_PER_HOUR : fromNs,
    toNs: (hour + 1n) * NS_PER_HOUR < toNs ? (hour + 1n) * NS_PER_HOUR : toNs,
  }));
}

// A value is rare enough to walk hour by hour when the counts find it in at most this many half
// days (each a lookup of its hours), or hours: each walked hour is a query of its own, and a walk
// of the range meets a value found in more of it soon enough.
const MAX_HALF_DAYS = 16;
const MAX_HOURS = 12 * MAX_HALF_DAYS;

function storedSpan(db: Db): { oldest: bigint; newest: bigint } | null {
  const row = prepared<{ oldest: bigint | null; newest: bigint | null }>(
    db,
    'SELECT (SELECT min(time_ns) FROM events) AS oldest, (SELECT max(time_ns) FROM events) AS newest',
  )
    .safeIntegers(true)
    .get()!;
  return row.oldest === null || row.newest === null ? null : { oldest: row.oldest, newest: row.newest };
}

interface HourSpan {
  first: bigint;
  last: bigint;
}

/** Hours with counted alerts of the filter's column values (half days first), or null when they are not rare. */
function columnHours(db: Db, filter: EventFilter, span: HourSpan): Set<bigint> | null {
  const params: Record<string, unknown> = {};
  const conditions = filterConditions(filter, params).join(' AND ');
  const hoursPerHalfDay = NS_PER_HALF_DAY / NS_PER_HOUR;
  const halfDays = prepared<{ period: number }>(
    db,
    `SELECT DISTINCT e.half_day AS period FROM ${storedCounts('event_counts_12h', 'half_day')} e
    WHERE e.half_day BETWEEN @firstHalfDay AND @lastHalfDay AND ${conditions}`,
  ).all({ ...params, firstHalfDay: span.first / hoursPerHalfDay, lastHalfDay: span.last / hoursPerHalfDay });
  if (halfDays.length > MAX_HALF_DAYS) return null;
  const statement = prepared<{ period: number }>(
    db,
    `SELECT DISTINCT e.hour AS period FROM ${storedCounts('event_counts_1h', 'hour')} e
    WHERE e.hour BETWEEN @from AND @to AND ${conditions}`,
  );
  const hours = new Set<bigint>();
  for (const { period } of halfDays) {
    const from = BigInt(period) * hoursPerHalfDay;
    const to = from + hoursPerHalfDay - 1n;
    const rows = statement.all({
      ...params,
      from: from > span.first ? from : span.first,
      to: to < span.last ? to : span.last,
    });
    for (const row of rows) hours.add(BigInt(row.period));
  }
  return hours;
}

/** Hours whose tag or process counts hold any of `values` under the filter's priority and health conditions, or null when they are not rare. */
function listHours(
  db: Db,
  table: string,
  column: string,
  values: readonly string[],
  filter: EventFilter,
  span: HourSpan,
): Set<bigint> | null {
  const params: Record<string, unknown> = { firstHour: span.first, lastHour: span.last };
  const conditions = filterConditions(filter, params);
  const list = values
    .map((value, i) => {
      params[`value${i}`] = value;
      return `@value${i}`;
    })
    .join(', ');
  const rows = prepared<{ period: number }>(
    db,
    `SELECT DISTINCT e.hour AS period FROM ${table} e
    WHERE e.hour BETWEEN @firstHour AND @lastHour AND e.${column} IN (${list})${conditions.map((c) => ` AND ${c}`).join('')}`,
  ).all(params);
  if (rows.length > MAX_HOURS) return null;
  return new Set(rows.map((row) => BigInt(row.period)));
}
