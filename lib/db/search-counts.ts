import 'server-only';
// Counts by priority of common free text per span of time, without a GROUP BY, whose sort is most of
// such a read: each span reads the word index along its quarters' id runs (migration 0014) and sums
// packed counters by rank.
import { PRIORITIES } from '../falco/priorities';
import type { EventFilter } from '../filters/event-filter';
import type { BucketCount } from '../stats/buckets';
import type { Db } from './connection';
import { facetQuery } from './facets';
import {
  ftsQuery,
  hasColumnFilter,
  hasRowFilter,
  matchedAlerts,
  searchQuery,
  searchText,
  withStoreState,
} from './filter-sql';
import type { ReadOptions } from './rollup-sql';
import { prepared } from './statements';
import { NS_PER_MS, NS_PER_QUARTER } from './periods';
import { rangeOf, type RangeOrNow } from './time-range';

const MS_PER_QUARTER = 900_000;

// A counter holds at most the ids a read spans: 15 bits, four to a 64-bit sum.
const COUNTER_BITS = 15;
const MAX_READ_IDS = (1 << COUNTER_BITS) - 1;
// A read costs FTS5 about as much to set up as a few hundred matches cost to count.
const READ_COST_IDS = 256;
// Past these, the reads would cost more than one sorted read of every match.
const MAX_READS = 1_000;
const MAX_OVERREAD = 2;
// Runs looked at per read before it is left timed.
const MAX_UNTIME_STEPS = 4_096;
// A summary's reads, roughly, judged before its runs are read.
const SUMMARY_READS = 32;

/** Rows of event_id_runs: ids by quarter. Each ascending by first id within its quarter. */
interface Run {
  quarter: number;
  firstId: number;
  lastId: number;
}

/** One read: the matches among ids firstId..lastId whose time is in [fromNs, toNs). */
interface Read {
  firstId: number;
  lastId: number;
  fromNs: bigint;
  toNs: bigint;
  /** Whether some of those ids may be alerts of other times, to leave out by their time. */
  timed: boolean;
}

/** The runs of the quarters from `first` to `last`, and the ids that runs of the other quarters reach. */
interface Window {
  runs: Run[];
  lastIdBefore: number;
  firstIdAfter: number;
}

/** The counts by rank (index) of one span, and of its health events. */
export interface RankCounts {
  ranks: number[];
  internal: number;
}

/**
 * Whether counts of this filter may be read along id runs: plain words or a phrase, and no other
 * filter that needs each alert's row, unless facet tokens narrow the matches to its alerts.
 */
function served(filter: EventFilter, options: ReadOptions): boolean {
  const q = searchText(filter);
  // A prefix's matches are gathered from all its words again at each read.
  if (options.rawOnly || q === undefined || ftsQuery(q).endsWith('*')) return false;
  return (
    (!hasColumnFilter(filter) && !hasRowFilter(filter)) ||
    (options.facets === true && facetQuery(filter) !== null && filter.group.length === 0 && filter.status.length === 0)
  );
}

function windowOf(db: Db, fromNs: bigint, toNs: bigint): Window {
  const quarters = { first: fromNs / NS_PER_QUARTER, last: (toNs - 1n) / NS_PER_QUARTER };
  const runs = prepared<Run>(
    db,
    'SELECT quarter, first_id AS firstId, last_id AS lastId FROM event_id_runs WHERE quarter >= @first AND quarter <= @last',
  ).all(quarters);
  const outside = prepared<{ lastIdBefore: number | null; firstIdAfter: number | null }>(
    db,
    `SELECT (SELECT max(last_id) FROM event_id_runs WHERE quarter < @first) AS lastIdBefore,
       (SELECT min(first_id) FROM event_id_runs WHERE quarter > @last) AS firstIdAfter`,
  ).get(quarters)!;
  return { runs, lastIdBefore: outside.lastIdBefore ?? -Infinity, firstIdAfter: outside.firstIdAfter ?? Infinity };
}

/** The reads of one span of time: its runs, joined when close, cut to at most MAX_READ_IDS ids each. */
function readsOf(runs: Run[], fromNs: bigint, toNs: bigint): Read[] {
  const sorted = [...runs].sort((a, b) => a.firstId - b.firstId);
  const reads: Read[] = [];
  let current: { firstId: number; lastId: number } | undefined;
  const cut = (run: { firstId: number; lastId: number }) => {
    for (let first = run.firstId; first <= run.lastId; first += MAX_READ_IDS) {
      reads.push({ firstId: first, lastId: Math.min(run.lastId, first + MAX_READ_IDS - 1), fromNs, toNs, timed: true });
    }
  };
  for (const run of sorted) {
    if (current && run.firstId <= current.lastId + READ_COST_IDS) current.lastId = Math.max(current.lastId, run.lastId);
    else {
      if (current) cut(current);
      current = { firstId: run.firstId, lastId: run.lastId };
    }
  }
  if (current) cut(current);
  return reads;
}

/**
 * Clears `timed` on the reads whose ids can only be alerts of their span: every run of the window
 * reaching into the read is of a quarter wholly inside the span, and no run outside the window does
 * (each alert's id lies in a run of its own quarter).
 */
function untime(reads: readonly Read[], window: Window) {
  const runs = [...window.runs].sort((a, b) => a.firstId - b.firstId);
  const reach: number[] = [];
  runs.forEach((run, i) => {
    reach.push(Math.max(run.lastId, reach[i - 1] ?? -Infinity));
  });
  for (const read of reads) {
    if (read.firstId <= window.lastIdBefore || read.lastId >= window.firstIdAfter) continue;
    const inside = (run: Run) =>
      BigInt(run.quarter) * NS_PER_QUARTER >= read.fromNs && BigInt(run.quarter + 1) * NS_PER_QUARTER <= read.toNs;
    // Back from the last run starting within the read, while an earlier run can still reach into it.
    let i = upperBound(runs, read.lastId) - 1;
    let foreign = false;
    for (let steps = 0; i >= 0 && reach[i]! >= read.firstId && !foreign; i--, steps++) {
      const run = runs[i]!;
      foreign = steps === MAX_UNTIME_STEPS || (run.lastId >= read.firstId && !inside(run));
    }
    read.timed = foreign;
  }
}

/** The index of the first run starting after `id`. */
function upperBound(runs: readonly Run[], id: number): number {
  let [low, high] = [0, runs.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (runs[middle]!.firstId <= id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether free text matches too few alerts for `reads` reads to pay: one read of every match is then quicker. */
function tooRare(db: Db, filter: EventFilter, facets: boolean, reads: number): boolean {
  const enough = reads * READ_COST_IDS;
  return !hasMatches(db, searchQuery(filter, facets), enough);
}

/** Whether the word index holds at least `enough` matches of `query`, found by reading no more. */
export function hasMatches(db: Db, query: string, enough: number): boolean {
  return (
    prepared<number>(
      db,
      'SELECT count(*) FROM (SELECT 1 FROM event_search s WHERE s.event_search MATCH @query LIMIT @enough)',
    )
      .pluck()
      .get({ query, enough })! >= enough
  );
}

/** Whether the reads are too many, or read the same ids over and over (runs of old alerts imported late). */
function tooMany(db: Db, reads: readonly Read[]): boolean {
  if (reads.length > MAX_READS) return true;
  if (reads.length === 0) return false;
  const ids = prepared<{ first: number; last: number }>(
    db,
    'SELECT (SELECT min(id) FROM event_times) AS first, (SELECT max(id) FROM event_times) AS last',
  ).get()!;
  const spanned = reads.reduce((sum, read) => sum + read.lastId - read.firstId + 1, 0);
  return spanned > MAX_OVERREAD * (ids.last - ids.first + 1);
}

/**
 * Runs each read and adds up its counters: ranks 0–3 and 4–7 packed in two sums, `counted`
 * selecting the alerts counted by rank; with `internal`, the health events' count besides.
 */
function countReads(
  db: Db,
  filter: EventFilter,
  facets: boolean,
  reads: readonly Read[],
  counted: string,
  internal: boolean,
): RankCounts[] {
  const params: Record<string, unknown> = {};
  const alerts = matchedAlerts(filter, params, { narrow: true, facets });
  const statement = (timed: boolean) =>
    prepared(
      db,
      `SELECT sum(1 << (e.priority_rank * ${COUNTER_BITS})) FILTER (WHERE e.priority_rank < 4 AND ${counted}) AS low,
       sum(1 << ((e.priority_rank - 4) * ${COUNTER_BITS})) FILTER (WHERE e.priority_rank >= 4 AND ${counted}) AS high
       ${internal ? ', sum(e.internal) AS internal' : ''}
     FROM ${alerts.from}
     WHERE ${['s.rowid >= @firstId', 's.rowid <= @lastId', ...(timed ? ['e.time_ns >= @fromNs', 'e.time_ns < @toNs'] : []), ...alerts.conditions].join(' AND ')}`,
    ).safeIntegers(true);
  const [timed, untimed] = [statement(true), statement(false)];
  const mask = BigInt(MAX_READ_IDS);
  return reads.map((read) => {
    // Ids bound as BigInt: FTS5 ignores a rowid bound that is not an integer, and a JS number binds as a REAL.
    const bounds = read.timed ? { fromNs: read.fromNs, toNs: read.toNs } : {};
    const row = (read.timed ? timed : untimed).get({
      ...params,
      ...bounds,
      firstId: BigInt(read.firstId),
      lastId: BigInt(read.lastId),
    }) as { low: bigint | null; high: bigint | null; internal?: bigint | null };
    const ranks = PRIORITIES.map((p) => {
      const packed = (p.rank < 4 ? row.low : row.high) ?? 0n;
      return Number((packed >> BigInt((p.rank % 4) * COUNTER_BITS)) & mask);
    });
    return { ranks, internal: Number(row.internal ?? 0n) };
  });
}

const addInto = (total: RankCounts, counts: RankCounts) => {
  counts.ranks.forEach((n, rank) => {
    total.ranks[rank] = (total.ranks[rank] ?? 0) + n;
  });
  total.internal += counts.internal;
};

/**
 * timeline()'s rows by priority for free text: bucket index, rank and count, for the buckets of
 * width `widthMs` from the one holding `fromMs` to the one holding `toMs - 1` (fillBuckets keeps no
 * other). Null when one read of every match serves better (tooRare, tooMany).
 */
export function searchTimelineRows(
  db: Db,
  filter: EventFilter,
  at: RangeOrNow,
  fromMs: number,
  toMs: number,
  widthMs: number,
  readOptions: ReadOptions = {},
): BucketCount[] | null {
  const options = withStoreState(db, filter, readOptions);
  const facets = options.facets === true;
  if (!served(filter, options)) return null;
  const bounds = rangeOf(filter, at);
  const first = Math.floor(fromMs / widthMs);
  const last = Math.max(first, Math.floor((toMs - 1) / widthMs));
  const widthNs = BigInt(widthMs) * NS_PER_MS;
  const spanOf = (bucket: number) => {
    const start = BigInt(bucket) * widthNs;
    const end = start + widthNs;
    return {
      fromNs: bounds.fromNs !== undefined && bounds.fromNs > start ? bounds.fromNs : start,
      toNs: bounds.toNs !== undefined && bounds.toNs < end ? bounds.toNs : end,
    };
  };
  const whole = { fromNs: spanOf(first).fromNs, toNs: spanOf(last).toNs };
  if (first < 0 || whole.fromNs >= whole.toNs || tooRare(db, filter, facets, last - first + 1)) return null;

  // Each run goes to every bucket its quarter overlaps.
  const window = windowOf(db, whole.fromNs, whole.toNs);
  const runsByBucket = new Map<number, Run[]>();
  for (const run of window.runs) {
    const from = Math.max(first, Math.floor((run.quarter * MS_PER_QUARTER) / widthMs));
    const to = Math.min(last, Math.floor(((run.quarter + 1) * MS_PER_QUARTER - 1) / widthMs));
    for (let bucket = from; bucket <= to; bucket++) {
      const runs = runsByBucket.get(bucket);
      if (runs) runs.push(run);
      else runsByBucket.set(bucket, [run]);
    }
  }
  const buckets: number[] = [];
  const reads: Read[] = [];
  for (const [bucket, runs] of runsByBucket) {
    const span = spanOf(bucket);
    if (span.fromNs >= span.toNs) continue;
    for (const read of readsOf(runs, span.fromNs, span.toNs)) {
      buckets.push(bucket);
      reads.push(read);
    }
  }
  if (tooMany(db, reads)) return null;
  untime(reads, window);

  const totals = new Map<number, RankCounts>();
  countReads(db, filter, facets, reads, 'true', false).forEach((counts, i) => {
    const bucket = buckets[i]!;
    const total = totals.get(bucket);
    if (total) addInto(total, counts);
    else totals.set(bucket, counts);
  });
  const rows: BucketCount[] = [];
  for (const [bucket, { ranks }] of totals)
    ranks.forEach((count, rank) => {
      if (count > 0) rows.push({ bucket, series: String(rank), count });
    });
  return rows;
}

function endOfRuns(db: Db): bigint {
  const row = prepared<{ quarter: bigint | null }>(db, 'SELECT max(quarter) AS quarter FROM event_id_runs')
    .safeIntegers(true)
    .get()!;
  return row.quarter === null ? 0n : (row.quarter + 1n) * NS_PER_QUARTER;
}

/** Half-open time spans in ns, as perAlertSummary reads them. */
export interface SummarySpans {
  fromNs: bigint;
  toNs: bigint | undefined;
  previousFromNs: bigint;
  previousToNs: bigint;
}

/**
 * perAlertSummary's counts for free text: by rank in the range and in the range before it (an
 * alert in both counts in the range), and the range's health events. Null when one read of every
 * match serves better.
 */
export function searchSummaryCounts(db: Db, filter: EventFilter, spans: SummarySpans, readOptions: ReadOptions = {}) {
  const options = withStoreState(db, filter, readOptions);
  const facets = options.facets === true;
  if (!served(filter, options) || tooRare(db, filter, facets, SUMMARY_READS)) return null;
  const { fromNs, previousFromNs } = spans;
  // No end: up to the newest quarter with alerts (ahead of now when a clock is).
  const toNs = spans.toNs ?? endOfRuns(db);
  const previousToNs = [spans.previousToNs, fromNs, toNs].reduce((min, ns) => (ns < min ? ns : min));
  const readsIn = (from: bigint, to: bigint) => {
    if (from >= to) return [];
    const window = windowOf(db, from, to);
    const reads = readsOf(window.runs, from, to);
    untime(reads, window);
    return reads;
  };
  const current = readsIn(fromNs, toNs);
  const previous = readsIn(previousFromNs, previousToNs);
  if (tooMany(db, [...current, ...previous])) return null;

  // Counted by rank as the filter asks; health events counted whatever it asks.
  const all: EventFilter = { ...filter, internal: 'include' };
  const counted = filter.internal === 'include' ? 'true' : `e.internal = ${filter.internal === 'only' ? 1 : 0}`;
  const sum = (reads: readonly Read[], internal: boolean) => {
    const total: RankCounts = { ranks: PRIORITIES.map(() => 0), internal: 0 };
    for (const counts of countReads(db, all, facets, reads, counted, internal)) addInto(total, counts);
    return total;
  };
  const byPriority = ({ ranks }: RankCounts) => ({
    total: ranks.reduce((a, b) => a + b, 0),
    priorities: PRIORITIES.map((p) => ({ priority: p.name, priorityRank: p.rank, count: ranks[p.rank] ?? 0 })),
  });
  const range = sum(current, true);
  return { current: byPriority(range), previous: byPriority(sum(previous, false)), internal: range.internal };
}
