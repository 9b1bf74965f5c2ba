import 'server-only';
// The counts of a range by priority, beside the range before it and the Falco health events.
import { PRIORITIES } from '../falco/priorities';
import type { EventFilter } from '../filters/event-filter';
import type { RangeSummary } from '../stats/types';
import type { Db } from './connection';
import { priorityTotals } from './event-queries';
import { matchedAlerts, withStoreState } from './filter-sql';
import { msToNs } from './periods';
import { priorityCountsServe, type ReadOptions } from './rollup-sql';
import { searchSummaryCounts } from './search-counts';
import { prepared } from './statements';
import { rangeMs, resolveRange, type ResolvedRange } from './time-range';
import { complementSummaryCounts } from './word-complement';

interface Previous {
  range: ResolvedRange;
  /** Its bounds in milliseconds, as the response gives them. */
  ms: { from: number; to: number };
}

/** The range before `range`, as long as it, on whole milliseconds as the response gives both; none before all time. */
function previousRange(range: ResolvedRange): Previous | null {
  const { from, to } = rangeMs(range);
  if (from === null) return null;
  const ms = { from: from - (to - from), to: from };
  return { range: { fromNs: msToNs(ms.from), toNs: msToNs(ms.to), nowMs: range.nowMs }, ms };
}

export function rangeSummary(
  db: Db,
  filter: EventFilter,
  nowMs = Date.now(),
  readOptions: ReadOptions = {},
): RangeSummary {
  const options = withStoreState(db, filter, readOptions);
  const range = resolveRange(filter, nowMs);
  const { from, to } = rangeMs(range);
  const before = previousRange(range);
  if (before !== null && !priorityCountsServe(filter)) return perAlertSummary(db, filter, range, before, options);
  const current = priorityTotals(db, filter, range, options);
  const previous = before === null ? null : { ...before.ms, ...priorityTotals(db, filter, before.range, options) };
  const { total: internal } = priorityTotals(db, { ...filter, internal: 'only' }, range, options);
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
function perAlertSummary(
  db: Db,
  filter: EventFilter,
  range: ResolvedRange,
  before: Previous,
  options: ReadOptions,
): RangeSummary {
  const { from, to } = rangeMs(range);
  const { range: previous, ms: previousMs } = before;
  const { fromNs, toNs } = range;
  // An alert newer than now (a clock ahead of this one) can put `from` after `to`, and so the range
  // before after the range itself: read from the earlier of the two starts.
  const previousFromNs = previous.fromNs ?? 0n;
  const searched =
    complementSummaryCounts(db, filter, { current: range, previous }, options) ??
    searchSummaryCounts(db, filter, { fromNs: fromNs!, toNs, previousFromNs, previousToNs: previous.toNs! }, options);
  if (searched)
    return {
      from,
      to,
      ...searched.current,
      previous: { ...previousMs, ...searched.previous },
      internal: searched.internal,
    };
  const params: Record<string, unknown> = {
    fromNs,
    previousFromNs,
    previousToNs: previous.toNs,
    earliestNs: fromNs! < previousFromNs ? fromNs : previousFromNs,
  };
  const alerts = matchedAlerts({ ...filter, internal: 'include' }, params, {
    narrow: true,
    facets: options.facets,
    lookUp: options.lookUp,
  });
  const conditions = ['e.time_ns >= @earliestNs', ...alerts.conditions];
  if (toNs !== undefined) {
    conditions.push('e.time_ns < @toNs');
    params.toNs = toNs;
  }
  // One group per (rank, range, health flag), its key one integer: SQLite sorts the rows of a
  // GROUP BY, and one small key with count(*) sorts and sums faster than three conditional sums per
  // rank (docs/benchmarks.md).
  const groups = prepared<{ key: number; alerts: number }>(
    db,
    `SELECT e.priority_rank * 8 + CASE WHEN e.time_ns >= @fromNs THEN ${CURRENT} WHEN e.time_ns >= @previousFromNs AND e.time_ns < @previousToNs THEN ${PREVIOUS} ELSE 0 END + e.internal AS key,
       count(*) AS alerts
     FROM ${alerts.from} WHERE ${conditions.join(' AND ')} GROUP BY key`,
  ).all(params);
  const counted = (internal: number) =>
    filter.internal === 'include' || internal === (filter.internal === 'only' ? 1 : 0);
  const tally = {
    current: new Map<number, number>(),
    previous: new Map<number, number>(),
    internal: new Map<number, number>(),
  };
  const add = (counts: Map<number, number>, rank: number, alerts: number) =>
    counts.set(rank, (counts.get(rank) ?? 0) + alerts);
  for (const { key, alerts } of groups) {
    const rank = key >> 3;
    const group = key & 6;
    const internal = key & 1;
    if (group === CURRENT && counted(internal)) add(tally.current, rank, alerts);
    if (group === PREVIOUS && counted(internal)) add(tally.previous, rank, alerts);
    if (group === CURRENT && internal === 1) add(tally.internal, rank, alerts);
  }
  const totals = (key: keyof typeof tally) => {
    const priorities = PRIORITIES.map((p) => ({
      priority: p.name,
      priorityRank: p.rank,
      count: tally[key].get(p.rank) ?? 0,
    }));
    return { total: priorities.reduce((sum, p) => sum + p.count, 0), priorities };
  };
  return {
    from,
    to,
    ...totals('current'),
    previous: { ...previousMs, ...totals('previous') },
    internal: totals('internal').total,
  };
}
