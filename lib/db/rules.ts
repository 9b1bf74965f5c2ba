import 'server-only';
// The rules list: every rule that fired, its worst priority, first and last alert, how many
// containers and hosts, and a trend over buckets shared by every row.
import { priorityByRank } from '../falco/priorities';
import { formatTimeNs } from '../falco/time';
import type { EventFilter } from '../filters/event-filter';
import { trendBuckets } from '../stats/trend-buckets';
import type { RuleList } from '../stats/types';
import type { Db } from './connection';
import { filterToSql, whereWith, withStoreState } from './filter-sql';
import { msToNs, nsToMs } from './periods';
import {
  COUNTED_DIMENSIONS,
  dimensionCountsServe,
  dimensionRows,
  eventRows,
  type CountedDimensionName,
  type ReadOptions,
} from './rollup-sql';
import { prepared } from './statements';
import { rangeMs, resolveRange, type ResolvedRange } from './time-range';

type RuleCounts = {
  rule: string;
  worstRank: number;
  count: number;
  firstNs: string;
  lastNs: string;
  containers: number;
  hosts: number;
};

/** Every rule that fired, with a trend per rule over buckets laid out by trendBuckets (shared by every row). */
export function ruleRows(db: Db, filter: EventFilter, nowMs = Date.now(), readOptions: ReadOptions = {}): RuleList {
  const options = withStoreState(db, filter, readOptions);
  const range = resolveRange(filter, nowMs);
  const rows = dimensionCountsServe(filter, options)
    ? countedRuleRows(db, filter, range)
    : matchedRuleRows(db, filter, range, options);
  const ms = rangeMs(range);
  const oldestNs = rows.reduce<bigint | null>(
    (min, r) => (min === null || BigInt(r.firstNs) < min ? BigInt(r.firstNs) : min),
    null,
  );
  const from = ms.from ?? (oldestNs === null ? ms.to : nsToMs(oldestNs));
  const trend = trendBuckets(from, Math.max(ms.to, from + 1));
  if (rows.length === 0) return { rules: [], trend };

  const startNs = msToNs(trend.start);
  const widthNs = msToNs(trend.widthMs);
  // Edges on whole hours (and half days from half-day buckets up) keep every counted period inside one bucket.
  const boundariesNs = Array.from({ length: trend.buckets - 1 }, (_, i) => startNs + BigInt(i + 1) * widthNs);
  const trendSource = dimensionRows(filter, 'rule', range, { ...options, fromNs: msToNs(from), boundariesNs });
  const trendRows = prepared<{ rule: string; bucket: number; count: number }>(
    db,
    `SELECT e.value AS rule, (e.time_ns - @startNs) / @widthNs AS bucket, sum(e.alerts) AS count FROM ${trendSource.sql} e GROUP BY e.value, bucket`,
  ).all({ ...trendSource.params, startNs, widthNs });
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
function matchedRuleRows(db: Db, filter: EventFilter, range: ResolvedRange, options: ReadOptions): RuleCounts[] {
  const source = eventRows(filter, range, options);
  return prepared<RuleCounts>(
    db,
    `SELECT e.rule AS rule, min(e.priority_rank) AS worstRank, sum(e.alerts) AS count,
       CAST(min(e.first_ns) AS TEXT) AS firstNs, CAST(max(e.last_ns) AS TEXT) AS lastNs,
       count(DISTINCT ${COUNTED_DIMENSIONS.rule_container.detail}) AS containers,
       count(DISTINCT e.hostname) AS hosts
     FROM ${source.sql} e GROUP BY e.rule ORDER BY count DESC, rule`,
  ).all(source.params);
}

/**
 * The same from the counts per dimension: rules, their containers and their hosts each from their
 * own, and each rule's first and last alert from its index.
 */
function countedRuleRows(db: Db, filter: EventFilter, range: ResolvedRange): RuleCounts[] {
  const perRule = <Row>(dimension: CountedDimensionName, aggregates: string) => {
    const source = dimensionRows(filter, dimension, range);
    return prepared<Row & { rule: string }>(
      db,
      `SELECT e.value AS rule, ${aggregates} FROM ${source.sql} e GROUP BY e.value`,
    ).all(source.params);
  };
  const containers = new Map(
    perRule<{ n: number }>('rule_container', 'count(DISTINCT e.detail) AS n').map((r) => [r.rule, r.n]),
  );
  const hosts = new Map(perRule<{ n: number }>('rule_host', 'count(DISTINCT e.detail) AS n').map((r) => [r.rule, r.n]));
  const counts = perRule<{ worstRank: number; count: number }>(
    'rule',
    'min(e.priority_rank) AS worstRank, sum(e.alerts) AS count',
  );
  // Each rule's first and last matching alert, two seeks of its index, in one statement.
  const { where, params } = filterToSql(filter, range);
  const edge = (order: 'ASC' | 'DESC') =>
    `(SELECT CAST(e.time_ns AS TEXT) FROM events e INDEXED BY events_rule_time ${whereWith(where, 'e.rule = r.value')} ORDER BY e.time_ns ${order} LIMIT 1)`;
  const edges = prepared<{ firstNs: string; lastNs: string }>(
    db,
    `SELECT ${edge('ASC')} AS firstNs, ${edge('DESC')} AS lastNs FROM json_each(@rules) r ORDER BY r.key`,
  ).all({ ...params, rules: JSON.stringify(counts.map((row) => row.rule)) });
  return counts
    .map((row, i) => ({
      ...row,
      ...edges[i]!,
      containers: containers.get(row.rule) ?? 0,
      hosts: hosts.get(row.rule) ?? 0,
    }))
    .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/** Each rule's source, as its newest stored alert gives it; rules without a stored alert or a source are left out. */
export function ruleSources(db: Db, rules: readonly string[]): Map<string, string> {
  const rows = prepared<{ rule: string; source: string | null }>(
    db,
    `SELECT r.value AS rule,
       (SELECT e.source FROM events e INDEXED BY events_rule_time WHERE e.rule = r.value ORDER BY e.time_ns DESC LIMIT 1) AS source
     FROM json_each(@rules) r`,
  ).all({ rules: JSON.stringify(rules) });
  return new Map(rows.flatMap((row) => (row.source === null ? [] : [[row.rule, row.source] as const])));
}
