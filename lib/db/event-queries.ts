import 'server-only';
import type { EventDetail, EventListResponse, EventSummary, HealthReport, PriorityCount } from '../events/types';
import { InvalidCursor, NotFound } from '../errors';
import { parseJson } from '../falco/json';
import { PRIORITIES, type PriorityName } from '../falco/priorities';
import { formatTimeNs } from '../falco/time';
import { NONE_VALUE } from '../filters/dimensions';
import { LIST_FILTERS, type EventFilter, type EventPage, type ListFilter } from '../filters/event-filter';
import { DEFAULT_GROUPING, formatGroupKey, groupingNamed } from '../triage/groupings';
import type { Db } from './connection';
import { facetsReady } from './facets';
import { keyColumn } from './group-atoms';
import { groupStatusViews } from './groups';
import {
  filterToSql,
  pageArms,
  rareLists,
  searchQuery,
  searchText,
  withStoreState,
  type RareLists,
} from './filter-sql';
import { unpackRaw } from './raw-json';
import { priorityRows, type ReadOptions } from './rollup-sql';
import { pageSlices, type Slice } from './page-slices';
import { prepared } from './statements';
import type { RangeOrNow } from './time-range';

// Level 0 and 1 of the ancestry come along with every listed alert (primary-key lookups).
export const SUMMARY_COLUMNS = `
  e.id, CAST(e.time_ns AS TEXT) AS timeNs, e.rule, e.priority, e.priority_rank AS priorityRank,
  e.source, e.hostname, e.internal, e.uuid, e.container_id AS containerId,
  e.container_name AS containerName, e.image_repository AS imageRepository, e.image_tag AS imageTag,
  e.k8s_ns AS k8sNamespace, e.k8s_pod AS k8sPod, e.user_name AS userName, e.evt_type AS evtType,
  e.fd_name AS fdName, CAST(e.claimed_time_ns AS TEXT) AS claimedTimeNs, ep.raw,
  p0.name AS procName, p0.exepath AS procExepath, p0.cmdline AS procCmdline, p0.pid AS procPid,
  p1.name AS parentName, p1.exepath AS parentExepath, p1.cmdline AS parentCmdline, p1.pid AS parentPid`;

export const SUMMARY_JOINS = `
  JOIN event_payloads ep ON ep.event_id = e.id
  LEFT JOIN event_processes p0 ON p0.event_id = e.id AND p0.level = 0
  LEFT JOIN event_processes p1 ON p1.event_id = e.id AND p1.level = 1`;

export type SummaryRow = Omit<
  EventSummary,
  'time' | 'claimedTime' | 'internal' | 'output' | 'tags' | 'output_fields' | 'priority'
> & {
  timeNs: string;
  claimedTimeNs: string | null;
  priority: PriorityName;
  internal: number;
  /** As stored: deflated, or text in rows older than migration 0005 (lib/db/raw-json.ts). */
  raw: string | Buffer;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function toSummary(row: SummaryRow): EventSummary {
  const { timeNs, claimedTimeNs, raw, internal, ...columns } = row;
  const alert = parseJson(unpackRaw(raw)) as Record<string, unknown>;
  const tags = Array.isArray(alert.tags) ? alert.tags.filter((t): t is string => typeof t === 'string') : [];
  const summary: EventSummary = {
    ...columns,
    time: formatTimeNs(BigInt(timeNs)),
    internal: internal === 1,
    output: typeof alert.output === 'string' ? alert.output : null,
    tags,
    output_fields: isRecord(alert.output_fields) ? alert.output_fields : {},
  };
  if (claimedTimeNs !== null) summary.claimedTime = formatTimeNs(BigInt(claimedTimeNs));
  return summary;
}

// Opaque to clients: the position of the last alert of a page in (time, id) order.
export function encodeCursor(timeNs: string, id: number): string {
  return Buffer.from(`${timeNs}:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { cursorTime: bigint; cursorId: number } {
  const match = /^(\d{1,19}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // SQLite integers are signed 64-bit: anything larger is not a time this server issued.
  if (!match || BigInt(match[1]!) > 9_223_372_036_854_775_807n)
    throw new InvalidCursor('cursor is not one this server returned; start again without it.');
  return { cursorTime: BigInt(match[1]!), cursorId: Number(match[2]) };
}

// Below this many matches a search's page looks its matches up by id and sorts them (a few ms);
// from it on, walking the time index and stopping at the page is cheaper (see filterConditions).
const FEW_SEARCH_MATCHES = 5_000;

/** Whether the filter's free text matches fewer alerts than FEW_SEARCH_MATCHES, counting no further. */
function searchIsRare(db: Db, filter: EventFilter): boolean {
  const q = searchText(filter);
  if (q === undefined) return false;
  const { matches } = prepared<{ matches: number }>(
    db,
    'SELECT count(*) AS matches FROM (SELECT 1 FROM event_search WHERE event_search MATCH ? LIMIT ?)',
  ).get(searchQuery(filter, facetsReady(db)), FEW_SEARCH_MATCHES)!;
  return matches < FEW_SEARCH_MATCHES;
}

// Below this many alerts of a value in the range, a page reads them from the value's own index and
// sorts them; from it on, walking the time index meets the page's alerts sooner.
const FEW_VALUE_ALERTS = 5_000;

// The index of each filter that holds a value's alerts in time order (migrations 0001 and 0011).
const VALUE_INDEXES = {
  rule: 'events_rule_time',
  hostname: 'events_host_time',
  namespace: 'events_ns_time',
  source: 'events_source_time',
  user: 'events_user_time',
  image: 'events_image_time',
  pod: 'events_pod_time',
  chain: 'events_chain_time',
} as const satisfies Partial<Record<ListFilter, string>>;
type IndexedFilter = keyof typeof VALUE_INDEXES;

/** The filter with only the values of `key`, the range and nothing else: what that key's index answers. */
const onlyKey = (filter: EventFilter, key: IndexedFilter): EventFilter => ({
  ...filter,
  ...Object.fromEntries(LIST_FILTERS.map((list) => [list, list === key ? filter[key] : []])),
  minPriority: undefined,
  q: undefined,
  internal: 'include',
});

/**
 * The filter's key whose values have the fewest alerts in the range, when fewer than
 * FEW_VALUE_ALERTS (each counted on its own index, no further): the page walks that index.
 */
function leadingKey(db: Db, filter: EventFilter, nowMs: number): IndexedFilter | null {
  let lead: { key: IndexedFilter; alerts: number } | null = null;
  for (const key of Object.keys(VALUE_INDEXES) as IndexedFilter[]) {
    if (filter[key].length === 0 || filter[key].includes(NONE_VALUE)) continue;
    const { where, params } = filterToSql(onlyKey(filter, key), nowMs);
    const { alerts } = prepared<{ alerts: number }>(
      db,
      `SELECT count(*) AS alerts FROM (SELECT 1 FROM events e INDEXED BY ${VALUE_INDEXES[key]} ${where} LIMIT @few)`,
    ).get({ ...params, few: FEW_VALUE_ALERTS })!;
    if (alerts < FEW_VALUE_ALERTS && (lead === null || alerts < lead.alerts)) lead = { key, alerts };
  }
  return lead?.key ?? null;
}

/** How pageRows reads: below a cursor, within a slice of time, led by a value's index or by lookups. */
interface PageRead {
  cursor?: Cursor;
  slice?: Slice;
  lead?: IndexedFilter | null;
  lookUp?: RareLists;
}

/** One page of rows in (time, id) order, newest first, plus the cursor of the next page. */
function pageOf<Row extends { timeNs: string; id: number }>(
  db: Db,
  columns: string,
  joins: string,
  filter: EventFilter,
  page: EventPage,
  nowMs: number,
) {
  const cursor = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  const lead = leadingKey(db, filter, nowMs);
  const lookUp = lead === null ? rareLists(db, filter) : undefined;
  const slices = lead !== null || (lookUp?.size ?? 0) > 0 ? null : pageSlices(db, filter, nowMs, cursor?.cursorTime);
  const searched = lead === null && searchText(filter) !== undefined && !searchIsRare(db, filter);
  const rows = searched
    ? searchedRows<Row>(db, columns, joins, filter, page.limit + 1, nowMs, { cursor, lookUp })
    : slices === null
      ? pageRows<Row>(db, columns, joins, filter, page.limit + 1, nowMs, { cursor, lead, lookUp })
      : slicedRows<Row>(db, columns, joins, filter, page.limit + 1, nowMs, cursor, slices);
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept.at(-1);
  return { rows: kept, nextCursor: more && last ? encodeCursor(last.timeNs, last.id) : null };
}

type Cursor = ReturnType<typeof decodeCursor>;

/** Up to `limit` rows from the hours the counts named (pageSlices), newest first, one hour after another. */
function slicedRows<Row>(
  db: Db,
  columns: string,
  joins: string,
  filter: EventFilter,
  limit: number,
  nowMs: number,
  cursor: Cursor | undefined,
  slices: Slice[],
): Row[] {
  const rows: Row[] = [];
  const unbounded = { ...filter, from: undefined, to: undefined };
  for (const slice of slices) {
    if (rows.length >= limit) break;
    rows.push(...pageRows<Row>(db, columns, joins, unbounded, limit - rows.length, nowMs, { cursor, slice }));
  }
  return rows;
}

// The first stretch of alerts a page of common free text walks; each next one is twice as long.
const FIRST_SEARCHED_STRETCH = 1_000;

/**
 * Up to `limit` rows of a filter whose free text matches many alerts, newest first: the alerts of
 * the rest of the filter are walked a stretch at a time, and the word index is asked only for its
 * matches among the ids of that stretch, instead of every match being listed for the walk to test.
 */
function searchedRows<Row>(
  db: Db,
  columns: string,
  joins: string,
  filter: EventFilter,
  limit: number,
  nowMs: number,
  { cursor, lookUp }: PageRead,
): Row[] {
  const rest: EventFilter = { ...filter, q: undefined };
  const matchesBetween = prepared<number>(
    db,
    'SELECT rowid AS id FROM event_search WHERE event_search MATCH @q AND rowid BETWEEN @low AND @high',
  ).pluck();
  const q = searchQuery(filter, facetsReady(db));
  const found: number[] = [];
  let stretch = FIRST_SEARCHED_STRETCH;
  for (let after = cursor; found.length < limit; stretch *= 2) {
    const { sql, params } = pageIds(db, rest, nowMs, { cursor: after, lookUp });
    // Nanosecond times exceed a double's exact integers: read them exactly, for the next stretch's cursor.
    const walked = prepared<{ id: bigint; time_ns: bigint }>(db, sql)
      .safeIntegers(true)
      .all({ ...params, limit: stretch })
      .map((row) => ({ id: Number(row.id), timeNs: row.time_ns }));
    if (walked.length === 0) break;
    let low = walked[0]!.id;
    let high = low;
    for (const { id } of walked) {
      if (id < low) low = id;
      if (id > high) high = id;
    }
    // Bound as BigInt: FTS5 seeks only to an integer rowid bound, and a JS number binds as a REAL.
    const matches = new Set(matchesBetween.all({ q, low: BigInt(low), high: BigInt(high) }));
    for (const { id } of walked) if (matches.has(id) && found.length < limit) found.push(id);
    if (walked.length < stretch) break;
    const last = walked.at(-1)!;
    after = { cursorTime: last.timeNs, cursorId: last.id };
  }
  return prepared<Row>(
    db,
    `SELECT ${columns} FROM json_each(@ids) page CROSS JOIN events e ON e.id = page.value ${joins} ORDER BY e.time_ns DESC, e.id DESC`,
  ).all({ ids: JSON.stringify(found) });
}

/** The ids and times of up to `@limit` alerts of the filter, newest first, below the cursor, within the slice when given. */
function pageIds(
  db: Db,
  filter: EventFilter,
  nowMs: number,
  { cursor, slice, lead = null, lookUp }: PageRead,
): { sql: string; params: Record<string, unknown> } {
  const armParams: Record<string, unknown> = {};
  const split = pageArms(filter, armParams, lead);
  const chainIndex = lead === 'chain';
  const facets = facetsReady(db);
  const { where, params } = filterToSql(split?.rest ?? filter, nowMs, {
    walkTimeIndex: !searchIsRare(db, filter),
    chainIndex,
    lookUp,
    facets,
  });
  // Every arm's alerts are the whole filter's: its facet tokens narrow the search of each.
  if (params.q !== undefined) params.q = searchQuery(filter, facets);
  Object.assign(params, armParams);
  const conditions = where ? [where.slice('WHERE '.length)] : [];
  if (slice !== undefined) {
    conditions.push('e.time_ns >= @sliceFrom AND e.time_ns < @sliceTo');
    Object.assign(params, { sliceFrom: slice.fromNs, sliceTo: slice.toNs });
  }
  if (cursor !== undefined) {
    conditions.push('(e.time_ns, e.id) < (@cursorTime, @cursorId)');
    Object.assign(params, cursor);
  }
  const walk = (arm?: string) => {
    const all = arm === undefined ? conditions : [...conditions, arm];
    return `SELECT e.id, e.time_ns FROM events e${lead === null ? '' : ` INDEXED BY ${VALUE_INDEXES[lead]}`} ${all.length > 0 ? `WHERE ${all.join(' AND ')}` : ''}
      ORDER BY e.time_ns DESC, e.id DESC LIMIT @limit`;
  };
  const sql =
    split === null
      ? walk()
      : `SELECT id, time_ns FROM (${split.arms.map((arm) => `SELECT * FROM (${walk(arm)})`).join(' UNION ALL ')}) ORDER BY time_ns DESC, id DESC LIMIT @limit`;
  return { sql, params };
}

/** Up to `limit` rows of the filter, newest first, below the cursor, within the slice when given. */
function pageRows<Row>(
  db: Db,
  columns: string,
  joins: string,
  filter: EventFilter,
  limit: number,
  nowMs: number,
  read: PageRead,
): Row[] {
  const { sql: ids, params } = pageIds(db, filter, nowMs, read);
  // The page's ids first, then their columns: joined in one query, the planner may read each joined
  // table whole into a Bloom filter before the first row. `CROSS JOIN` keeps the page outside, or it
  // may walk every alert in time order and look each up in the page (docs/benchmarks.md).
  const sql = `SELECT ${columns} FROM (${ids}) page
    CROSS JOIN events e ON e.id = page.id ${joins} ORDER BY e.time_ns DESC, e.id DESC`;
  return prepared<Row>(db, sql).all({ ...params, limit });
}

/** Newest first, keyset-paginated on (time, id) so pages stay stable while alerts arrive. */
export function listEvents(db: Db, filter: EventFilter, page: EventPage, nowMs = Date.now()): EventListResponse {
  const { rows, nextCursor } = pageOf<SummaryRow>(db, SUMMARY_COLUMNS, SUMMARY_JOINS, filter, page, nowMs);
  return { events: rows.map(toSummary), nextCursor };
}

/** The raw JSON of a page of alerts, for NDJSON export. */
export function rawEventsPage(db: Db, filter: EventFilter, page: EventPage, nowMs = Date.now()) {
  const { rows, nextCursor } = pageOf<{ id: number; timeNs: string; raw: string | Buffer }>(
    db,
    'e.id, CAST(e.time_ns AS TEXT) AS timeNs, ep.raw',
    'JOIN event_payloads ep ON ep.event_id = e.id',
    filter,
    page,
    nowMs,
  );
  return { raws: rows.map((row) => unpackRaw(row.raw)), nextCursor };
}

export function getEventOrThrow(db: Db, id: number): EventDetail {
  const row = prepared(
    db,
    `SELECT ${SUMMARY_COLUMNS}, e.received_ms AS receivedMs FROM events e ${SUMMARY_JOINS} WHERE e.id = ?`,
  ).get(id) as (SummaryRow & { receivedMs: number }) | undefined;
  if (!row) throw new NotFound(`There is no alert with id ${id}.`);
  const ancestry = prepared(
    db,
    'SELECT level, name, exepath, cmdline, pid FROM event_processes WHERE event_id = ? ORDER BY level',
  ).all(id) as EventDetail['ancestry'];
  const { receivedMs, ...summaryRow } = row;
  return {
    ...toSummary(summaryRow),
    timeNs: row.timeNs,
    receivedAt: new Date(receivedMs).toISOString(),
    ancestry,
    raw: unpackRaw(row.raw),
    group: alertGroup(db, id),
  };
}

/** The alert's group under the default grouping, with its status. */
function alertGroup(db: Db, id: number): EventDetail['group'] {
  const grouping = groupingNamed(DEFAULT_GROUPING)!;
  const hex = prepared<string>(
    db,
    `SELECT lower(hex(a.${keyColumn(grouping)})) FROM events e JOIN group_atoms a ON a.id = e.group_id WHERE e.id = ?`,
  )
    .pluck()
    .get(id);
  if (hex === undefined) return null;
  return { key: formatGroupKey(grouping.code, hex), status: groupStatusViews(db, grouping, [hex]).get(hex)! };
}

/** Alerts per priority for a filter: every priority present, most severe first, zeros included. */
export function countByPriority(
  db: Db,
  filter: EventFilter,
  at: RangeOrNow = Date.now(),
  readOptions: ReadOptions = {},
): PriorityCount[] {
  const options = withStoreState(db, filter, readOptions);
  const { sql, params } = priorityRows(filter, at, options);
  const rows = prepared<{ rank: number; count: number }>(
    db,
    `SELECT e.priority_rank AS rank, sum(e.alerts) AS count FROM ${sql} e GROUP BY e.priority_rank`,
  ).all(params);
  const counts = new Map(rows.map((row) => [row.rank, row.count]));
  return PRIORITIES.map((p) => ({ priority: p.name, priorityRank: p.rank, count: counts.get(p.rank) ?? 0 }));
}

/** The same counts with their total, as /api/stats/priorities and the summaries return them. */
export function priorityTotals(
  db: Db,
  filter: EventFilter,
  at: RangeOrNow = Date.now(),
  options: ReadOptions = {},
): { total: number; priorities: PriorityCount[] } {
  const priorities = countByPriority(db, filter, at, options);
  return { total: priorities.reduce((sum, p) => sum + p.count, 0), priorities };
}

/** Every alert in the store, Falco health events included, from the counts by priority (migration 0012). */
export function countAlerts(db: Db): number {
  return prepared<{ alerts: number }>(db, 'SELECT coalesce(sum(alerts), 0) AS alerts FROM priority_counts_15m').get()!
    .alerts;
}

export function healthReport(db: Db, version: string): HealthReport {
  // max() reads the last entry of the time index: one B-tree descent whatever the store's size.
  const newest = prepared<{ newest: string | null }>(
    db,
    'SELECT CAST(max(time_ns) AS TEXT) AS newest FROM events',
  ).get()!;
  return {
    status: 'ok',
    version,
    events: countAlerts(db),
    newestEventTime: newest.newest === null ? null : formatTimeNs(BigInt(newest.newest)),
  };
}
