import 'server-only';
// Aggregates behind the dashboard. Every count, bucket and top list is computed by SQLite; only
// the (small) aggregated rows come back to JavaScript.
import type { EventSummary } from '../events/types';
import { PRIORITIES, priorityByRank } from '../falco/priorities';
import { NONE_VALUE, noneLabel, type Dimension } from '../filters/dimensions';
import { timeBoundsNs, type EventFilter } from '../filters/event-filter';
import { bucketWidthMs, fillBuckets, type BucketCount } from '../stats/buckets';
import { buildProcessTree, type ChainCount } from '../stats/process-tree';
import { trendBuckets } from '../stats/trend-buckets';
import { RELATED_LIMIT, RELATED_RULE_CANDIDATES } from '../stats/related';
import type { ContainerRow, ProcessTree, RangeSummary, RelatedEvents, RuleList, Timeline, TopValue } from '../stats/types';
import { formatTimeNs } from '../falco/time';
import type { Db } from './connection';
import { priorityTotals, SUMMARY_COLUMNS, SUMMARY_JOINS, toSummary, type SummaryRow } from './event-queries';
import { withFacets } from './facets';
import { containerArms, filterToSql, matchedAlerts } from './filter-sql';
import {
  COUNTED_DIMENSIONS, dimensionCountsServe, dimensionRows, eventRows, HOST_OF_HOST_PROCESSES, priorityCountsServe, priorityRows, processNameRows,
  tagRows, type AlertRows, type CountedDimensionName, type ReadOptions,
} from './rollup-sql';
import { searchSummaryCounts, searchTimelineRows } from './search-counts';
import { prepared } from './statements';

const NS_PER_MS = 1_000_000n;

type RowsOf = (filter: EventFilter, nowMs: number, options: ReadOptions) => AlertRows;

// Group keys of the dimensions without counts of their own (COUNTED_DIMENSIONS have theirs), over
// the rows they are counted in. Keys come from the Dimension enum, never from request text.
const DIMENSION_SQL: Record<Exclude<Dimension, CountedDimensionName>, { rows: RowsOf; value: string; where?: string }> = {
  priority: { rows: eventRows, value: 'e.priority' },
  // Like the `proc` filter, a process counts every alert it appears in, as the process or an ancestor.
  proc: { rows: processNameRows, value: 'e.name' },
  tag: { rows: tagRows, value: 'e.tag' },
  tactic: { rows: tagRows, value: 'e.tag', where: "(e.tag GLOB 'mitre_*' OR e.tag GLOB 'TA[0-9][0-9][0-9][0-9]')" },
  technique: { rows: tagRows, value: 'e.tag', where: "e.tag GLOB 'T[0-9][0-9][0-9][0-9]*'" },
};


function whereWith(where: string, extra: string | undefined): string {
  if (!extra) return where;
  return where ? `${where} AND ${extra}` : `WHERE ${extra}`;
}

/** Resolved range in ms. "All time" starts at the oldest matching alert. */
export function resolveRange(db: Db, filter: EventFilter, nowMs: number): { from: number | null; to: number } {
  const { fromNs, toNs } = timeBoundsNs(filter, nowMs);
  return { from: fromNs === undefined ? null : Number(fromNs / NS_PER_MS), to: toNs === undefined ? nowMs : Number(toNs / NS_PER_MS) };
}

const isoOf = (ms: number) => new Date(ms).toISOString();

export function rangeSummary(db: Db, filter: EventFilter, nowMs = Date.now(), readOptions: ReadOptions = {}): RangeSummary {
  const options = withFacets(db, readOptions);
  const { from, to } = resolveRange(db, filter, nowMs);
  if (from !== null && !priorityCountsServe(filter)) return perAlertSummary(db, filter, nowMs, from, to, options);
  const current = priorityTotals(db, filter, nowMs, options);
  const previousFilter = from === null ? null : { ...filter, from: isoOf(from - (to - from)), to: isoOf(from) };
  const previous = previousFilter && from !== null ? { from: from - (to - from), to: from, ...priorityTotals(db, previousFilter, nowMs, options) } : null;
  const internalFilter: EventFilter = { ...filter, internal: 'only' };
  const { total: internal } = priorityTotals(db, internalFilter, nowMs, options);
  return { from, to, ...current, previous, internal };
}

// The range bits of perAlertSummary's group key.
const CURRENT = 4;
const PREVIOUS = 2;

/**
 * rangeSummary for a filter only `events` can answer (free text, several tags …): the range, the
 * range before it and the health events in one read of the matching alerts instead of three, which
 * cost a common word's summary three times its timeline.
 */
function perAlertSummary(db: Db, filter: EventFilter, nowMs: number, from: number, to: number, options: ReadOptions): RangeSummary {
  const previousFrom = from - (to - from);
  const { fromNs, toNs } = timeBoundsNs(filter, nowMs);
  // The bounds rangeSummary's other branch gives the range before, to the nanosecond.
  const previous = timeBoundsNs({ from: isoOf(previousFrom), to: isoOf(from) }, nowMs);
  // An alert newer than now (a clock ahead of this one) can put `from` after `to`, and so the range
  // before after the range itself: read from the earlier of the two starts.
  const previousFromNs = previous.fromNs ?? 0n;
  const searched = searchSummaryCounts(db, filter, { fromNs: fromNs!, toNs, previousFromNs, previousToNs: previous.toNs! }, options);
  if (searched) return { from, to, ...searched.current, previous: { from: previousFrom, to: from, ...searched.previous }, internal: searched.internal };
  const params: Record<string, unknown> = { fromNs, previousFromNs, previousToNs: previous.toNs, earliestNs: fromNs! < previousFromNs ? fromNs : previousFromNs };
  const alerts = matchedAlerts({ ...filter, internal: 'include' }, params, { narrow: true, facets: options.facets });
  const conditions = ['e.time_ns >= @earliestNs', ...alerts.conditions];
  if (toNs !== undefined) {
    conditions.push('e.time_ns < @toNs');
    params.toNs = toNs;
  }
  // One group per (rank, range, health flag), its key one integer: SQLite sorts the rows of a
  // GROUP BY, and a single small key with count(*) sorts and sums faster than three conditional
  // sums per rank (10–15% off free text's summary, which reads every match: docs/benchmarks.md).
  const groups = prepared(
    db,
    `SELECT e.priority_rank * 8 + CASE WHEN e.time_ns >= @fromNs THEN ${CURRENT} WHEN e.time_ns >= @previousFromNs AND e.time_ns < @previousToNs THEN ${PREVIOUS} ELSE 0 END + e.internal AS key,
       count(*) AS alerts
     FROM ${alerts.from} WHERE ${conditions.join(' AND ')} GROUP BY key`,
  ).all(params) as { key: number; alerts: number }[];
  const counted = (internal: number) => filter.internal === 'include' || internal === (filter.internal === 'only' ? 1 : 0);
  const tally = { current: new Map<number, number>(), previous: new Map<number, number>(), internal: new Map<number, number>() };
  const add = (counts: Map<number, number>, rank: number, alerts: number) => counts.set(rank, (counts.get(rank) ?? 0) + alerts);
  for (const { key, alerts } of groups) {
    const rank = key >> 3;
    const range = key & 6;
    const internal = key & 1;
    if (range === CURRENT && counted(internal)) add(tally.current, rank, alerts);
    if (range === PREVIOUS && counted(internal)) add(tally.previous, rank, alerts);
    if (range === CURRENT && internal === 1) add(tally.internal, rank, alerts);
  }
  const totals = (key: keyof typeof tally) => {
    const priorities = PRIORITIES.map((p) => ({ priority: p.name, priorityRank: p.rank, count: tally[key].get(p.rank) ?? 0 }));
    return { total: priorities.reduce((sum, p) => sum + p.count, 0), priorities };
  };
  return { from, to, ...totals('current'), previous: { from: previousFrom, to: from, ...totals('previous') }, internal: totals('internal').total };
}

/** Oldest matching alert time (ms), for "all time" timelines. */
function oldestMs(db: Db, filter: EventFilter, nowMs: number): number | null {
  const { where, params } = filterToSql(filter, nowMs);
  const row = prepared(db, `SELECT CAST(min(e.time_ns) AS TEXT) AS oldest FROM events e ${where}`).get(params) as { oldest: string | null };
  return row.oldest === null ? null : Number(BigInt(row.oldest) / NS_PER_MS);
}

export function topValues(db: Db, filter: EventFilter, dimension: Dimension, limit: number, nowMs = Date.now(), readOptions: ReadOptions = {}): TopValue[] {
  const options = withFacets(db, readOptions);
  if (dimension === 'container') {
    // Host processes are one pseudo-container per host, not one "host" container across the fleet.
    const source = dimensionRows(filter, 'container', nowMs, options);
    const rows = prepared(
      db,
      `SELECT coalesce(e.value, '${NONE_VALUE}') AS value, e.detail AS hostname, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
       FROM ${source.sql} e GROUP BY e.value, e.detail ORDER BY count DESC, value LIMIT @limit`,
    ).all({ ...source.params, limit }) as { value: string; hostname: string | null; count: number; worstRank: number }[];
    const facts = containerFacts(db, rows.map((row) => ({ containerId: row.value, hostname: row.hostname })));
    return rows.map((row, i) => ({
      value: row.value,
      hostname: row.hostname,
      label: row.value === 'host' ? `host ${row.hostname ?? ''}`.trim() : row.value === NONE_VALUE ? noneLabel('container') : (facts[i]!.name ?? row.value),
      count: row.count,
      worstPriority: priorityByRank(row.worstRank).name,
    }));
  }
  const sql = dimension in COUNTED_DIMENSIONS
    ? { rows: (f: EventFilter, ms: number, o: ReadOptions) => dimensionRows(f, dimension as CountedDimensionName, ms, o), value: dimension === 'image' ? "e.value || coalesce(':' || e.detail, '')" : 'e.value', where: undefined }
    : DIMENSION_SQL[dimension as Exclude<Dimension, CountedDimensionName>];
  const source = sql.rows(filter, nowMs, options);
  const rows = prepared(
    db,
    `SELECT coalesce(${sql.value}, '${NONE_VALUE}') AS value, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
     FROM ${source.sql} e ${sql.where ? `WHERE ${sql.where}` : ''} GROUP BY 1 ORDER BY count DESC, value LIMIT @limit`,
  ).all({ ...source.params, limit }) as { value: string; count: number; worstRank: number }[];
  return rows.map((row) => ({ value: row.value, label: row.value, count: row.count, worstPriority: priorityByRank(row.worstRank).name }));
}

interface ContainerFacts {
  name: string | null;
  imageRepository: string | null;
  imageTag: string | null;
  k8sNamespace: string | null;
  k8sPod: string | null;
}

interface ContainerKey {
  /** As the lists give it: `(none)` for no container, `host` with its host for host processes. */
  containerId: string;
  hostname: string | null;
}

/**
 * Each container's name, image and place as its newest alert gives them, and with `lastIn`, the
 * time of its newest alert that `where` selects: one statement for all, a seek of its index each.
 */
function containerFacts(db: Db, keys: readonly ContainerKey[], lastIn?: { where: string; params: Record<string, unknown> }): (ContainerFacts & { lastNs: string | null })[] {
  const newest = (columns: string, where = '') => `CASE WHEN k.id = 'host'
    THEN (SELECT ${columns} FROM events e INDEXED BY events_host_time ${whereWith(where, "e.hostname IS k.host AND e.container_id = 'host'")} ORDER BY e.time_ns DESC LIMIT 1)
    ELSE (SELECT ${columns} FROM events e INDEXED BY events_container_time ${whereWith(where, 'e.container_id IS k.id')} ORDER BY e.time_ns DESC LIMIT 1) END`;
  const rows = prepared(
    db,
    `WITH k AS (SELECT key, value ->> 0 AS id, value ->> 1 AS host FROM json_each(@keys))
     SELECT ${newest('json_array(e.container_name, e.image_repository, e.image_tag, e.k8s_ns, e.k8s_pod)')} AS facts,
       ${lastIn ? newest('CAST(e.time_ns AS TEXT)', lastIn.where) : 'NULL'} AS lastNs
     FROM k ORDER BY k.key`,
  ).all({ ...lastIn?.params, keys: JSON.stringify(keys.map((key) => [key.containerId === NONE_VALUE ? null : key.containerId, key.hostname])) }) as { facts: string | null; lastNs: string | null }[];
  return rows.map((row) => {
    const [name, imageRepository, imageTag, k8sNamespace, k8sPod] = row.facts === null ? [] : (JSON.parse(row.facts) as (string | null)[]);
    return { name: name ?? null, imageRepository: imageRepository ?? null, imageTag: imageTag ?? null, k8sNamespace: k8sNamespace ?? null, k8sPod: k8sPod ?? null, lastNs: row.lastNs };
  });
}

export type TimelineStack = 'priority' | 'rule' | 'container';

/**
 * Counts per time bucket, stacked by priority, or by the top `seriesLimit` rules or containers
 * with the rest as "other". Buckets are sized to the range on the server.
 */
export function timeline(db: Db, filter: EventFilter, stack: TimelineStack, seriesLimit = 8, nowMs = Date.now(), readOptions: ReadOptions = {}): Timeline {
  const options = withFacets(db, readOptions);
  const range = resolveRange(db, filter, nowMs);
  const from = range.from ?? oldestMs(db, filter, nowMs) ?? range.to - 86_400_000;
  const to = Math.max(range.to, from + 1_000);
  const widthMs = bucketWidthMs(to - from);
  const widthNs = BigInt(widthMs) * NS_PER_MS;
  let source = priorityRows(filter, nowMs, { ...options, bucketWidthNs: widthNs });
  const bucketParams: Record<string, unknown> = { widthNs };
  // With counts per dimension, only the series' own counts are read, and "other" is the rest of each bucket.
  const restricted = stack !== 'priority' && dimensionCountsServe(filter, options);
  const totals = restricted ? source : undefined;

  let seriesExpr: string;
  let series: string[];
  let labels: Record<string, string> = {};
  if (stack === 'priority') {
    // Grouped by rank and named below: the name would be one more column to read per alert.
    seriesExpr = 'e.priority_rank';
    series = PRIORITIES.map((p) => p.name);
  } else {
    const top = topValues(db, filter, stack, seriesLimit, nowMs, options);
    series = top.map((value) => (stack === 'container' && value.value === 'host' ? `host ${value.hostname ?? ''}`.trim() : value.value));
    // Containers are keyed by id but read by name. Built from entries: an id such as `__proto__`
    // must become an ordinary key, which assignment would not make it.
    if (stack === 'container') labels = Object.fromEntries(top.map((value, i) => [series[i]!, value.label]));
    const values = top.map((value) => (value.value === NONE_VALUE ? null : value.value));
    source = dimensionRows(filter, stack, nowMs, { ...options, bucketWidthNs: widthNs, values: restricted ? values : undefined });
    // Must produce exactly the series names above (`host <hostname>`, or `host` when Falco sent none).
    const key = stack === 'rule' ? 'e.value' : `CASE WHEN e.value = 'host' THEN rtrim('host ' || coalesce(e.detail, '')) ELSE coalesce(e.value, '${NONE_VALUE}') END`;
    series.forEach((value, i) => (bucketParams[`series${i}`] = value));
    const list = series.map((_, i) => `@series${i}`).join(', ');
    seriesExpr = series.length > 0 ? `CASE WHEN ${key} IN (${list}) THEN ${key} ELSE 'other' END` : "'other'";
    series = [...series, 'other'];
  }
  let rows = (stack === 'priority' ? searchTimelineRows(db, filter, nowMs, from, to, widthMs, options) : null) ?? prepared(
    db,
    `SELECT e.time_ns / @widthNs AS bucket, ${seriesExpr} AS series, sum(e.alerts) AS count FROM ${source.sql} e GROUP BY bucket, series`,
  ).all({ ...source.params, ...bucketParams }) as BucketCount[];
  if (totals) {
    const rest = new Map<number, number>();
    for (const row of prepared(db, `SELECT e.time_ns / @widthNs AS bucket, sum(e.alerts) AS count FROM ${totals.sql} e GROUP BY bucket`)
      .all({ ...totals.params, widthNs }) as { bucket: number; count: number }[]) rest.set(row.bucket, row.count);
    rows = rows.filter((row) => row.series !== 'other');
    for (const row of rows) rest.set(row.bucket, (rest.get(row.bucket) ?? 0) - row.count);
    for (const [bucket, count] of rest) if (count > 0) rows.push({ bucket, series: 'other', count });
  }
  if (stack === 'priority') for (const row of rows) row.series = priorityByRank(Number(row.series)).name;
  const buckets = fillBuckets(rows, from, to, widthMs, series);
  if (stack !== 'priority' && buckets.every((bucket) => (bucket.counts.other ?? 0) === 0)) {
    series = series.slice(0, -1);
    for (const bucket of buckets) delete bucket.counts.other;
  }
  return { from, to, widthMs, series, labels, buckets };
}

type RuleCounts = { rule: string; worstRank: number; count: number; firstNs: string; lastNs: string; containers: number; hosts: number };

/** Every rule that fired, with a trend per rule over buckets laid out by trendBuckets (shared by every row). */
export function ruleRows(db: Db, filter: EventFilter, nowMs = Date.now(), readOptions: ReadOptions = {}): RuleList {
  const options = withFacets(db, readOptions);
  const rows = dimensionCountsServe(filter, options) ? countedRuleRows(db, filter, nowMs) : matchedRuleRows(db, filter, nowMs, options);
  const range = resolveRange(db, filter, nowMs);
  const oldestNs = rows.reduce<bigint | null>((min, r) => (min === null || BigInt(r.firstNs) < min ? BigInt(r.firstNs) : min), null);
  const from = range.from ?? (oldestNs === null ? range.to : Number(oldestNs / NS_PER_MS));
  const trend = trendBuckets(from, Math.max(range.to, from + 1));
  if (rows.length === 0) return { rules: [], trend };

  const startNs = BigInt(trend.start) * NS_PER_MS;
  const widthNs = BigInt(trend.widthMs) * NS_PER_MS;
  // Edges on whole hours (and 12 hours from 12-hour buckets up) keep every counted period inside one bucket.
  const boundariesNs = Array.from({ length: trend.buckets - 1 }, (_, i) => startNs + BigInt(i + 1) * widthNs);
  const trendSource = dimensionRows(filter, 'rule', nowMs, { ...options, fromNs: BigInt(from) * NS_PER_MS, boundariesNs });
  const trendRows = prepared(
    db,
    `SELECT e.value AS rule, (e.time_ns - @startNs) / @widthNs AS bucket, sum(e.alerts) AS count FROM ${trendSource.sql} e GROUP BY e.value, bucket`,
  ).all({ ...trendSource.params, startNs, widthNs }) as { rule: string; bucket: number; count: number }[];
  const trends = new Map<string, number[]>();
  for (const row of trendRows) {
    let counts = trends.get(row.rule);
    if (!counts) trends.set(row.rule, (counts = new Array<number>(trend.buckets).fill(0)));
    const index = Math.min(Math.max(row.bucket, 0), trend.buckets - 1);
    counts[index] = (counts[index] ?? 0) + row.count;
  }
  const rules = rows.map((row) => ({
    rule: row.rule,
    worstPriority: priorityByRank(row.worstRank).name,
    count: row.count,
    firstSeen: formatTimeNs(BigInt(row.firstNs)),
    lastSeen: formatTimeNs(BigInt(row.lastNs)),
    containers: row.containers,
    hosts: row.hosts,
    trend: trends.get(row.rule) ?? new Array<number>(trend.buckets).fill(0),
  }));
  return { rules, trend };
}

/** The rules list's facts, read from the matching alerts or the counts per shape. */
function matchedRuleRows(db: Db, filter: EventFilter, nowMs: number, options: ReadOptions): RuleCounts[] {
  const source = eventRows(filter, nowMs, options);
  return prepared(
    db,
    `SELECT e.rule AS rule, min(e.priority_rank) AS worstRank, sum(e.alerts) AS count,
       CAST(min(e.first_ns) AS TEXT) AS firstNs, CAST(max(e.last_ns) AS TEXT) AS lastNs,
       count(DISTINCT ${COUNTED_DIMENSIONS.rule_container.detail}) AS containers,
       count(DISTINCT e.hostname) AS hosts
     FROM ${source.sql} e GROUP BY e.rule ORDER BY count DESC, rule`,
  ).all(source.params) as RuleCounts[];
}

/**
 * The same from the counts per dimension: rules, their containers and their hosts each from their
 * own, and each rule's first and last alert from its index.
 */
function countedRuleRows(db: Db, filter: EventFilter, nowMs: number): RuleCounts[] {
  const perRule = (dimension: CountedDimensionName, aggregates: string) => {
    const source = dimensionRows(filter, dimension, nowMs);
    return prepared(db, `SELECT e.value AS rule, ${aggregates} FROM ${source.sql} e GROUP BY e.value`).all(source.params);
  };
  const containers = new Map((perRule('rule_container', 'count(DISTINCT e.detail) AS n') as { rule: string; n: number }[]).map((r) => [r.rule, r.n]));
  const hosts = new Map((perRule('rule_host', 'count(DISTINCT e.detail) AS n') as { rule: string; n: number }[]).map((r) => [r.rule, r.n]));
  const counts = perRule('rule', 'min(e.priority_rank) AS worstRank, sum(e.alerts) AS count') as { rule: string; worstRank: number; count: number }[];
  // Each rule's first and last matching alert, two seeks of its index, in one statement.
  const { where, params } = filterToSql(filter, nowMs);
  const edge = (order: 'ASC' | 'DESC') =>
    `(SELECT CAST(e.time_ns AS TEXT) FROM events e INDEXED BY events_rule_time ${whereWith(where, 'e.rule = r.value')} ORDER BY e.time_ns ${order} LIMIT 1)`;
  const edges = prepared(db, `SELECT ${edge('ASC')} AS firstNs, ${edge('DESC')} AS lastNs FROM json_each(@rules) r ORDER BY r.key`)
    .all({ ...params, rules: JSON.stringify(counts.map((row) => row.rule)) }) as { firstNs: string; lastNs: string }[];
  return counts
    .map((row, i) => ({ ...row, ...edges[i]!, containers: containers.get(row.rule) ?? 0, hosts: hosts.get(row.rule) ?? 0 }))
    .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** A container's row; `lastNs` only where the rows it is read from hold it. */
type ContainerCounts = { containerId: string; hostname: string | null; count: number; worstRank: number; lastNs?: string };

export function containerRows(db: Db, filter: EventFilter, limit = 500, nowMs = Date.now(), readOptions: ReadOptions = {}): ContainerRow[] {
  const options = withFacets(db, readOptions);
  const counted = dimensionCountsServe(filter, options);
  const rows = counted ? countedContainerRows(db, filter, limit, nowMs) : matchedContainerRows(db, filter, limit, nowMs, options);
  const keyOf = (row: { containerId: string; hostname: string | null }) => `${row.containerId === NONE_VALUE ? '' : row.containerId}\u001f${row.hostname ?? ''}`;
  const topRules = counted ? countedTopRules(db, filter, nowMs, rows.map(keyOf)) : matchedTopRules(db, filter, nowMs, options);
  const rulesByContainer = new Map<string, { rule: string; count: number }[]>();
  for (const row of topRules) {
    const list = rulesByContainer.get(row.key) ?? [];
    list.push({ rule: row.rule, count: row.count });
    rulesByContainer.set(row.key, list);
  }
  const facts = containerFacts(db, rows, counted ? filterToSql(filter, nowMs) : undefined);
  return rows.map(({ worstRank, lastNs, ...row }, i) => {
    const none = row.containerId === NONE_VALUE;
    const { lastNs: lastOfIndex, ...fact } = facts[i]!;
    return {
      ...row,
      ...fact,
      // The "no container" row gathers unrelated audit and cloud alerts: no one namespace or pod is its own.
      k8sNamespace: none ? null : fact.k8sNamespace,
      k8sPod: none ? null : fact.k8sPod,
      worstPriority: priorityByRank(worstRank).name,
      lastSeen: formatTimeNs(BigInt((lastNs ?? lastOfIndex)!)),
      topRules: rulesByContainer.get(keyOf(row)) ?? [],
    };
  });
}

function matchedContainerRows(db: Db, filter: EventFilter, limit: number, nowMs: number, options: ReadOptions): ContainerCounts[] {
  const source = eventRows(filter, nowMs, options);
  return prepared(
    db,
    `SELECT coalesce(e.container_id, '${NONE_VALUE}') AS containerId, ${HOST_OF_HOST_PROCESSES} AS hostname, sum(e.alerts) AS count,
       min(e.priority_rank) AS worstRank, CAST(max(e.last_ns) AS TEXT) AS lastNs
     FROM ${source.sql} e GROUP BY e.container_id, ${HOST_OF_HOST_PROCESSES} ORDER BY count DESC, containerId LIMIT @limit`,
  ).all({ ...source.params, limit }) as ContainerCounts[];
}

/** The same from the counts per dimension, which hold no times: containerFacts finds each one's last alert. */
function countedContainerRows(db: Db, filter: EventFilter, limit: number, nowMs: number): ContainerCounts[] {
  const source = dimensionRows(filter, 'container', nowMs);
  return prepared(
    db,
    `SELECT coalesce(e.value, '${NONE_VALUE}') AS containerId, e.detail AS hostname, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
     FROM ${source.sql} e GROUP BY e.value, e.detail ORDER BY count DESC, containerId LIMIT @limit`,
  ).all({ ...source.params, limit }) as ContainerCounts[];
}

type TopRule = { key: string; rule: string; count: number };

// The three most frequent rules of every container, in one query (not one per container).
const topThree = (rows: string) => `SELECT key, rule, count FROM (
    SELECT key, rule, count, row_number() OVER (PARTITION BY key ORDER BY count DESC, rule) AS position FROM (${rows}))
  WHERE position <= 3`;

function matchedTopRules(db: Db, filter: EventFilter, nowMs: number, options: ReadOptions): TopRule[] {
  const source = eventRows(filter, nowMs, options);
  const key = COUNTED_DIMENSIONS.rule_container.detail;
  return prepared(db, topThree(`SELECT ${key} AS key, e.rule AS rule, sum(e.alerts) AS count FROM ${source.sql} e GROUP BY ${key}, e.rule`))
    .all(source.params) as TopRule[];
}

/** The same for the listed containers, from the counts per dimension; the first three are picked here, without a window. */
function countedTopRules(db: Db, filter: EventFilter, nowMs: number, keys: readonly string[]): TopRule[] {
  const source = dimensionRows(filter, 'rule_container', nowMs);
  const rows = prepared(db, `SELECT e.detail AS key, e.value AS rule, sum(e.alerts) AS count FROM ${source.sql} e
    WHERE e.detail IN (SELECT value FROM json_each(@keys)) GROUP BY e.detail, e.value`).all({ ...source.params, keys: JSON.stringify(keys) }) as TopRule[];
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
  return rows.filter((row, i) => i < 3 || rows[i - 3]!.key !== row.key);
}

/** How many of the newest matching alerts a process tree is built from, unless the caller says otherwise. */
export const TREE_SAMPLE_ALERTS = 10_000;

/**
 * Distinct process chains with their alert counts, merged into a tree per container or host, from
 * the newest `sampleSize` matching alerts with a chain. Chains carry pids, so they hardly repeat
 * (as many distinct chains per hour as alerts, about) and no count table can serve them: the
 * newest alerts are read along a time-ordered index instead, whatever the size of the store or
 * range. `sample` says when older alerts were left out; `truncated` when only the `limit` most
 * frequent chains were kept.
 */
export function processTree(db: Db, filter: EventFilter, limit = 5_000, nowMs = Date.now(), sampleSize = TREE_SAMPLE_ALERTS): ProcessTree {
  const { where, params } = filterToSql({ ...filter, container: [] }, nowMs);
  const columns = 'e.id, e.time_ns, e.container_id, e.container_name, e.hostname, e.process_chain, e.priority_rank';
  const newest = (arm: string | undefined) =>
    `SELECT ${columns} FROM events e ${whereWith(whereWith(where, arm), 'e.process_chain IS NOT NULL')} ORDER BY e.time_ns DESC LIMIT @fetch`;
  const arms = containerArms(filter, params) ?? [undefined];
  const fetched = arms.length === 1 ? newest(arms[0]) : `${arms.map((arm) => `SELECT * FROM (${newest(arm)})`).join(' UNION ALL ')} ORDER BY time_ns DESC LIMIT @fetch`;
  // One alert more than the sample is read to tell whether any were left out, and then left out itself.
  const rows = prepared(
    db,
    `WITH fetched AS MATERIALIZED (${fetched}),
       edge AS MATERIALIZED (SELECT count(*) > @sampleSize AS more FROM fetched),
       oldest AS MATERIALIZED (SELECT id, time_ns FROM fetched ORDER BY time_ns, id LIMIT 2)
     SELECT e.container_id AS containerId, max(e.container_name) AS containerName, ${HOST_OF_HOST_PROCESSES} AS hostname, e.process_chain AS chain,
       count(*) AS count, min(e.priority_rank) AS worstRank, (SELECT more FROM edge) AS more,
       (SELECT CAST(time_ns AS TEXT) FROM oldest ORDER BY time_ns, id LIMIT 1 OFFSET (SELECT more FROM edge)) AS sinceNs
     FROM fetched e WHERE e.id IS NOT (SELECT id FROM oldest WHERE (SELECT more FROM edge) ORDER BY time_ns, id LIMIT 1)
     GROUP BY e.container_id, ${HOST_OF_HOST_PROCESSES}, e.process_chain ORDER BY count DESC LIMIT @limit`,
  ).all({ ...params, fetch: sampleSize + 1, sampleSize, limit: limit + 1 }) as (ChainCount & { more: number; sinceNs: string })[];
  const first = rows[0];
  const sample = first?.more
    ? { alerts: sampleSize, since: formatTimeNs(BigInt(first.sinceNs)), total: priorityCountsServe(filter) ? priorityTotals(db, filter, nowMs).total : null }
    : null;
  return { scopes: buildProcessTree(rows.slice(0, limit)), truncated: rows.length > limit, sample };
}

const RELATED_WINDOW_NS = 10n * 60n * 1_000_000_000n;

/**
 * The `@limit` alerts matching `where` closest in time to `@at`, newest first. Each side of `@at` is
 * read along an index in time order and stops at `@limit` matches, and `CROSS JOIN` keeps them the
 * outer loop (as for a page: lib/db/event-queries.ts, pageOf). When an index serves only part of
 * `where`, a side could read every alert on it before finding `@limit` matches; `among` (the part an
 * index serves) then bounds each side to its `@candidates` alerts nearest to `@at`.
 */
function closestInTime(db: Db, where: string, params: { at: bigint; limit: number } & Record<string, unknown>, among?: string): EventSummary[] {
  const side = (after: boolean) => {
    const [comparison, order] = after ? ['>', 'ASC'] : ['<=', 'DESC'];
    const nearest = (condition: string, limit: string) =>
      `SELECT e.id, e.time_ns FROM events e WHERE ${condition} AND e.time_ns ${comparison} @at ORDER BY e.time_ns ${order}, e.id ${order} LIMIT ${limit}`;
    if (among === undefined) return `SELECT id FROM (${nearest(where, '@limit')})`;
    // The candidates come from the index alone; each is then looked up to test the rest of `where`
    // (a subquery with LIMIT is not flattened into the outer WHERE, so the bound holds).
    return `SELECT e.id FROM (${nearest(among, '@candidates')}) candidate CROSS JOIN events e ON e.id = candidate.id
      WHERE ${where} ORDER BY candidate.time_ns ${order}, candidate.id ${order} LIMIT @limit`;
  };
  const rows = prepared(
    db,
    `WITH picked AS (SELECT * FROM (${side(false)}) UNION ALL SELECT * FROM (${side(true)}))
     SELECT ${SUMMARY_COLUMNS} FROM picked CROSS JOIN events e ON e.id = picked.id ${SUMMARY_JOINS} ORDER BY e.time_ns DESC, e.id DESC`,
  ).all(params) as SummaryRow[];
  const distance = (row: SummaryRow) => {
    const d = BigInt(row.timeNs) - params.at;
    return d < 0n ? -d : d;
  };
  const closest = new Set([...rows].sort((a, b) => (distance(a) < distance(b) ? -1 : distance(a) > distance(b) ? 1 : 0)).slice(0, params.limit));
  return rows.filter((row) => closest.has(row)).map(toSummary);
}

/**
 * Alerts around one alert, closest in time first: same container (or host) within ±10 minutes, same
 * chain, same rule elsewhere (among the rule's `ruleCandidates` alerts nearest in time, each way).
 */
export function relatedEvents(db: Db, id: number, limit = RELATED_LIMIT, ruleCandidates = RELATED_RULE_CANDIDATES): RelatedEvents | undefined {
  const alert = prepared(db, 'SELECT id, time_ns AS timeNs, rule, container_id AS containerId, hostname, process_chain AS chain FROM events WHERE id = ?')
    .safeIntegers(true)
    .get(id) as { id: bigint; timeNs: bigint; rule: string; containerId: string | null; hostname: string | null; chain: string | null } | undefined;
  if (!alert) return undefined;
  const base = {
    id, limit, at: alert.timeNs, from: alert.timeNs - RELATED_WINDOW_NS, to: alert.timeNs + RELATED_WINDOW_NS,
    rule: alert.rule, chain: alert.chain, containerId: alert.containerId, hostname: alert.hostname,
  };
  // IS, not =: alerts without a container (NULL) must compare as "elsewhere", not vanish.
  const sameContainer = alert.containerId === null || alert.containerId === 'host' ? 'e.hostname IS @hostname AND e.container_id IS @containerId' : 'e.container_id IS @containerId';
  return {
    nearby: closestInTime(db, `e.id != @id AND e.internal = 0 AND ${sameContainer} AND e.time_ns BETWEEN @from AND @to`, base),
    sameChain: alert.chain === null ? [] : closestInTime(db, 'e.id != @id AND e.internal = 0 AND e.process_chain = @chain', base),
    sameRuleElsewhere: closestInTime(db, `e.id != @id AND e.internal = 0 AND e.rule = @rule AND NOT (${sameContainer})`, { ...base, candidates: ruleCandidates }, 'e.rule = @rule'),
  };
}
