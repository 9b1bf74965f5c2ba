import 'server-only';
// Alerts per time bucket, stacked by priority or by the top rules or containers.
import { PRIORITIES, priorityByRank } from '../falco/priorities';
import { NONE_VALUE } from '../filters/dimensions';
import type { EventFilter } from '../filters/event-filter';
import { bucketWidthMs, fillBuckets, type BucketCount } from '../stats/buckets';
import type { Timeline, TimelineStack } from '../stats/types';
import type { Db } from './connection';
import { filterToSql, withStoreState } from './filter-sql';
import { msToNs, nsToMs } from './periods';
import { dimensionCountsServe, dimensionRows, priorityRows, type ReadOptions } from './rollup-sql';
import { searchTimelineRows } from './search-counts';
import { prepared } from './statements';
import { rangeMs, resolveRange, type ResolvedRange } from './time-range';
import { topValues } from './top-values';
import { complementTimelineRows } from './word-complement';

// The span of an "all time" timeline with no alert.
const DAY_MS = 86_400_000;

/** Oldest matching alert time (ms), for "all time" timelines. */
function oldestMs(db: Db, filter: EventFilter, range: ResolvedRange): number | null {
  const { where, params } = filterToSql(filter, range);
  const row = prepared<{ oldest: string | null }>(
    db,
    `SELECT CAST(min(e.time_ns) AS TEXT) AS oldest FROM events e ${where}`,
  ).get(params)!;
  return row.oldest === null ? null : nsToMs(BigInt(row.oldest));
}

/**
 * Counts per time bucket, stacked by priority, or by the top `seriesLimit` rules or containers
 * with the rest as "other". Buckets are sized to the range on the server.
 */
export function timeline(
  db: Db,
  filter: EventFilter,
  stack: TimelineStack,
  seriesLimit = 8,
  nowMs = Date.now(),
  readOptions: ReadOptions = {},
): Timeline {
  const options = withStoreState(db, filter, readOptions);
  const range = resolveRange(filter, nowMs);
  const ms = rangeMs(range);
  const from = ms.from ?? oldestMs(db, filter, range) ?? ms.to - DAY_MS;
  const to = Math.max(ms.to, from + 1_000);
  const widthMs = bucketWidthMs(to - from);
  const widthNs = msToNs(widthMs);
  let source = priorityRows(filter, range, { ...options, bucketWidthNs: widthNs });
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
    const top = topValues(db, filter, stack, seriesLimit, range, options);
    series = top.map((value) =>
      stack === 'container' && value.value === 'host' ? `host ${value.hostname ?? ''}`.trim() : value.value,
    );
    // Containers are keyed by id but read by name. Built from entries: an id such as `__proto__`
    // must become an ordinary key, which assignment would not make it.
    if (stack === 'container') labels = Object.fromEntries(top.map((value, i) => [series[i]!, value.label]));
    const values = top.map((value) => (value.value === NONE_VALUE ? null : value.value));
    source = dimensionRows(filter, stack, range, {
      ...options,
      bucketWidthNs: widthNs,
      values: restricted ? values : undefined,
    });
    // Must produce exactly the series names above (`host <hostname>`, or `host` when Falco sent none).
    const key =
      stack === 'rule'
        ? 'e.value'
        : `CASE WHEN e.value = 'host' THEN rtrim('host ' || coalesce(e.detail, '')) ELSE coalesce(e.value, '${NONE_VALUE}') END`;
    series.forEach((value, i) => {
      bucketParams[`series${i}`] = value;
    });
    const list = series.map((_, i) => `@series${i}`).join(', ');
    seriesExpr = series.length > 0 ? `CASE WHEN ${key} IN (${list}) THEN ${key} ELSE 'other' END` : "'other'";
    series = [...series, 'other'];
  }
  let rows =
    (stack === 'priority'
      ? (complementTimelineRows(db, filter, range, widthNs, options) ??
        searchTimelineRows(db, filter, range, from, to, widthMs, options))
      : null) ??
    prepared<BucketCount>(
      db,
      `SELECT e.time_ns / @widthNs AS bucket, ${seriesExpr} AS series, sum(e.alerts) AS count FROM ${source.sql} e GROUP BY bucket, series`,
    ).all({ ...source.params, ...bucketParams });
  if (totals) {
    const rest = new Map<number, number>();
    for (const row of prepared<{ bucket: number; count: number }>(
      db,
      `SELECT e.time_ns / @widthNs AS bucket, sum(e.alerts) AS count FROM ${totals.sql} e GROUP BY bucket`,
    ).all({ ...totals.params, widthNs }))
      rest.set(row.bucket, row.count);
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
