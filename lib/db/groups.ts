import 'server-only';
// The triage groups of a filter's alerts (/api/groups): each group's count, worst priority, first
// and last alert, places and trend, with its triage status, sorted and paged by keyset. The groups
// are summed from their atoms (migration 0017) in SQL; only the page's groups are read further.
import { InvalidCursor } from '../errors';
import { priorityByRank } from '../falco/priorities';
import { formatTimeNs } from '../falco/time';
import type { EventFilter } from '../filters/event-filter';
import { trendBuckets, type TrendBuckets } from '../stats/trend-buckets';
import {
  formatGroupKey,
  groupingNamed,
  type Grouping,
  type GroupKeyFields,
  type GroupList,
  type GroupQuery,
  type GroupRow,
  type GroupSort,
  type GroupStatusView,
  statusView,
} from '../triage/groupings';
import type { Db } from './connection';
import { withStoreState } from './filter-sql';
import { groupKey, keyColumn } from './group-atoms';
import { keyFieldsOf } from './group-fields';
import { groupsReady } from './group-writer';
import { msToNs, nsToMs } from './periods';
import { dimensionRows, groupPlaceRows, groupRows, groupSums, type ReadOptions } from './rollup-sql';
import { prepared } from './statements';
import { rangeMs, resolveRange } from './time-range';
import { groupStatuses } from './triage';

/** The statuses of a grouping's groups as the API gives them, by key in hex. */
export function groupStatusViews(db: Db, grouping: Grouping, hexKeys: readonly string[]): Map<string, GroupStatusView> {
  const stored = groupStatuses(db, grouping, hexKeys);
  return new Map(hexKeys.map((hex) => [hex, statusView(stored.get(hex))]));
}

interface SummedGroup {
  key: string;
  worst: number;
  count: number;
  firstNs: string;
  lastNs: string;
}

// Each sort as the columns it orders by (a leading minus for descending), the key last.
const ORDER: Record<GroupSort, readonly string[]> = {
  priority: ['worst', '-count'],
  count: ['-count'],
  lastSeen: ['-last_ns'],
  firstSeen: ['-first_ns'],
};
const cursorValue = (row: SummedGroup, column: string): string =>
  String(
    { worst: row.worst, '-count': -row.count, '-last_ns': -BigInt(row.lastNs), '-first_ns': -BigInt(row.firstNs) }[
      column
    ],
  );

function encodeCursor(sort: GroupSort, row: SummedGroup): string {
  return Buffer.from(JSON.stringify([sort, ...ORDER[sort].map((c) => cursorValue(row, c)), row.key])).toString(
    'base64url',
  );
}

/** The values a cursor continues after, checked against the sort it must come from. */
function decodeCursor(sort: GroupSort, cursor: string): { values: bigint[]; key: Buffer } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const columns = ORDER[sort];
  if (
    !Array.isArray(parsed) ||
    parsed.length !== columns.length + 2 ||
    parsed[0] !== sort ||
    !parsed.slice(1, -1).every((v) => typeof v === 'string' && /^-?\d{1,20}$/.test(v)) ||
    typeof parsed.at(-1) !== 'string' ||
    !/^[0-9A-F]{16}$/.test(parsed.at(-1))
  )
    throw new InvalidCursor('This cursor is not one /api/groups gave for this sort; start again without it.');
  return { values: parsed.slice(1, -1).map((v: string) => BigInt(v)), key: Buffer.from(parsed.at(-1), 'hex') };
}

/** The groups of the filter's alerts under a grouping, a page at a time. */
export function listGroups(
  db: Db,
  filter: EventFilter,
  query: GroupQuery,
  nowMs = Date.now(),
  readOptions: ReadOptions = {},
): GroupList {
  const grouping = groupingNamed(query.groupBy)!;
  const column = keyColumn(grouping);
  const options = withStoreState(db, filter, readOptions);
  const range = resolveRange(filter, nowMs);
  const rows = groupSums(filter, range, grouping, options);
  const params: Record<string, unknown> = { ...rows.params, limit: query.limit + 1 };

  const conditions: string[] = [];
  if (query.status.length > 0) {
    conditions.push(`status IN (${query.status.map((_, i) => `@status${i}`).join(', ')})`);
    query.status.forEach((status, i) => {
      params[`status${i}`] = status;
    });
  }
  const order = ORDER[query.sort];
  const orderColumns = [...order, 'key'];
  if (query.cursor !== undefined) {
    const { values, key } = decodeCursor(query.sort, query.cursor);
    values.forEach((value, i) => {
      params[`after${i}`] = value;
    });
    params.afterKey = key;
    conditions.push(
      `(${orderColumns.join(', ')}) > (${[...values.map((_, i) => `@after${i}`), '@afterKey'].join(', ')})`,
    );
  }
  const summed = prepared<SummedGroup>(
    db,
    `WITH groups AS (
       SELECT * FROM ${rows.sql}
     ), statused AS (
       SELECT g.*, coalesce(CASE WHEN t.status = 'resolved'
           AND EXISTS (SELECT 1 FROM group_atoms x WHERE x.${column} = t.key AND x.last_ns > t.set_ns) THEN 'open' ELSE t.status END, 'open') AS status
       FROM groups g LEFT JOIN group_triage t ON t.grouping = @grouping AND t.key = g.key
     )
     SELECT hex(key) AS key, worst, count, CAST(first_ns AS TEXT) AS firstNs, CAST(last_ns AS TEXT) AS lastNs, status
     FROM statused ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY ${orderColumns.join(', ')} LIMIT @limit`,
  ).all(params);

  const page = summed.slice(0, query.limit);
  const nextCursor = summed.length > query.limit ? encodeCursor(query.sort, page.at(-1)!) : null;
  const ms = rangeMs(range);
  const oldestNs = page.reduce<bigint | null>(
    (min, r) => (min === null || BigInt(r.firstNs) < min ? BigInt(r.firstNs) : min),
    null,
  );
  const from = ms.from ?? (oldestNs === null ? ms.to : nsToMs(oldestNs));
  const trend = trendBuckets(from, Math.max(ms.to, from + 1));
  const complete = groupsReady(db);
  if (page.length === 0) return { groupBy: query.groupBy, groups: [], trend, nextCursor, complete };

  const keys = page.map((row) => row.key.toLowerCase());
  const ever = everSeen(db, grouping, keys);
  const fields = pageFields(db, grouping, keys);
  const places =
    grouping.code === 'r'
      ? rulePlaces(db, filter, range, options, grouping, keys, fields)
      : pagePlaces(db, filter, range, grouping, keys);
  const trends = pageTrends(db, filter, range, options, grouping, keys, trend);
  const statuses = groupStatusViews(db, grouping, keys);

  const groups = page.map((row, i): GroupRow => {
    const hex = keys[i]!;
    const span = ever.get(hex) ?? { firstNs: BigInt(row.firstNs), lastNs: BigInt(row.lastNs) };
    const place = places.get(hex);
    return {
      key: formatGroupKey(grouping.code, hex),
      fields: fields.get(hex) ?? { rule: '' },
      worstPriority: priorityByRank(row.worst).name,
      count: row.count,
      firstSeen: formatTimeNs(BigInt(row.firstNs)),
      lastSeen: formatTimeNs(BigInt(row.lastNs)),
      firstSeenEver: formatTimeNs(span.firstNs),
      lastSeenEver: formatTimeNs(span.lastNs),
      containers: place?.containers ?? 0,
      hosts: place?.hosts ?? 0,
      trend: trends.get(hex) ?? new Array<number>(trend.buckets).fill(0),
      new: range.fromNs !== undefined && span.firstNs >= range.fromNs,
      status: statuses.get(hex)!,
    };
  });
  return { groupBy: query.groupBy, groups, trend, nextCursor, complete };
}

/**
 * The key fields of the page's groups. Every atom of a group has its key fields, so any atom's
 * sample answers: groupKeyFields' newest one costs a rule's every atom.
 */
function pageFields(db: Db, grouping: Grouping, keys: readonly string[]): Map<string, GroupKeyFields> {
  const rows = prepared<Parameters<typeof keyFieldsOf>[1] & { key: string }>(
    db,
    `SELECT k.value AS key, e.rule, e.image_repository, e.hostname, e.process_chain, e.user_name, e.k8s_ns
     FROM json_each(@keys) k
     JOIN events e ON e.id = (SELECT a.sample_id FROM group_atoms a WHERE a.${keyColumn(grouping)} = unhex(k.value) LIMIT 1)`,
  ).all({ keys: JSON.stringify(keys) });
  return new Map(rows.map(({ key, ...row }) => [key, keyFieldsOf(grouping, row)]));
}

/** Each of the page's groups' first and last alert ever. */
function everSeen(db: Db, grouping: Grouping, keys: readonly string[]) {
  const rows = prepared<{ key: string; firstNs: string; lastNs: string }>(
    db,
    `SELECT lower(hex(c.key)) AS key, CAST(min(c.first_ns) AS TEXT) AS firstNs, CAST(max(c.last_ns) AS TEXT) AS lastNs
     FROM json_each(@keys) k CROSS JOIN group_counts_12h c ON c.grouping = @grouping AND c.key = unhex(k.value) GROUP BY c.key`,
  ).all({ keys: JSON.stringify(keys), grouping: grouping.code });
  return new Map(rows.map((row) => [row.key, { firstNs: BigInt(row.firstNs), lastNs: BigInt(row.lastNs) }]));
}

interface Places {
  containers: number;
  hosts: number;
}

/** Distinct containers and hosts of each of the page's groups, from their atoms' places. */
function pagePlaces(
  db: Db,
  filter: EventFilter,
  range: ReturnType<typeof resolveRange>,
  grouping: Grouping,
  keys: readonly string[],
): Map<string, Places> {
  const rows = groupPlaceRows(filter, range, grouping, keys);
  const counted = prepared<Places & { key: string }>(
    db,
    `SELECT lower(hex(e.key)) AS key, count(DISTINCT e.container_id) AS containers, count(DISTINCT e.hostname) AS hosts
     FROM ${rows.sql} e GROUP BY e.key`,
  ).all(rows.params);
  return new Map(counted.map((row) => [row.key, row]));
}

// A rule's atoms are most of the store: its places are read from the rules' own counts, whose
// container detail ends at char(31) (COUNTED_DIMENSIONS).
const RULE_CONTAINER = "nullif(substr(e.detail, 1, instr(e.detail, char(31)) - 1), '')";

/** Distinct containers and hosts of each of the page's groups under the rule grouping. */
function rulePlaces(
  db: Db,
  filter: EventFilter,
  range: ReturnType<typeof resolveRange>,
  options: ReadOptions,
  grouping: Grouping,
  keys: readonly string[],
  fields: Map<string, GroupKeyFields>,
): Map<string, Places> {
  const rules = keys.flatMap((hex) => fields.get(hex)?.rule ?? []);
  const distinct = (name: 'rule_host' | 'rule_container', detail: string) => {
    const rows = dimensionRows(filter, name, range, { ...options, values: rules });
    return prepared<{ rule: string; count: number }>(
      db,
      `SELECT e.value AS rule, count(DISTINCT ${detail}) AS count FROM ${rows.sql} e GROUP BY e.value`,
    ).all(rows.params);
  };
  const places = new Map<string, Places>();
  const of = (rule: string) => {
    const hex = groupKey(grouping, { rule, place: ['host', null], chain: [], user: null, namespace: null }).toString(
      'hex',
    );
    let place = places.get(hex);
    if (!place) places.set(hex, (place = { containers: 0, hosts: 0 }));
    return place;
  };
  for (const row of distinct('rule_host', 'e.detail')) of(row.rule).hosts = row.count;
  for (const row of distinct('rule_container', RULE_CONTAINER)) of(row.rule).containers = row.count;
  return places;
}
/** Each of the page's groups' counts per trend bucket. */
function pageTrends(
  db: Db,
  filter: EventFilter,
  range: ReturnType<typeof resolveRange>,
  options: ReadOptions,
  grouping: Grouping,
  keys: readonly string[],
  trend: TrendBuckets,
) {
  const startNs = msToNs(trend.start);
  const widthNs = msToNs(trend.widthMs);
  // Edges on whole half days from half-day buckets up keep every counted half day inside one bucket.
  const boundariesNs = Array.from({ length: trend.buckets - 1 }, (_, i) => startNs + BigInt(i + 1) * widthNs);
  const rows = groupRows(filter, range, grouping, { ...options, keys, fromNs: msToNs(trend.from), boundariesNs });
  const counted = prepared<{ key: string; bucket: number; count: number }>(
    db,
    `SELECT lower(hex(e.key)) AS key, (e.time_ns - @startNs) / @widthNs AS bucket, sum(e.alerts) AS count
     FROM ${rows.sql} e GROUP BY e.key, bucket`,
  ).all({ ...rows.params, startNs, widthNs });
  const trends = new Map<string, number[]>();
  for (const row of counted) {
    let counts = trends.get(row.key);
    if (!counts) trends.set(row.key, (counts = new Array<number>(trend.buckets).fill(0)));
    const index = Math.min(Math.max(row.bucket, 0), trend.buckets - 1);
    counts[index] = (counts[index] ?? 0) + row.count;
  }
  return trends;
}
