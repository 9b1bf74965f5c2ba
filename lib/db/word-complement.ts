import 'server-only';
// Free text that nearly every alert of its facet filters holds ("k8s" with a namespace): the counts
// are the facets' stored counts less the few alerts without the words, which the word index finds
// with NOT, instead of a read of each of the many with them (docs/decisions/0034).
import { PRIORITIES } from '../falco/priorities';
import type { EventFilter } from '../filters/event-filter';
import type { BucketCount } from '../stats/buckets';
import type { Db } from './connection';
import { priorityTotals } from './event-queries';
import { facetQuery } from './facets';
import { ftsQuery, matchedAlerts, searchText, withStoreState } from './filter-sql';
import { priorityCountsServe, priorityRows, type ReadOptions } from './rollup-sql';
import { hasMatches } from './search-counts';
import { prepared } from './statements';
import type { ResolvedRange } from './time-range';

// Past this many alerts without the words, in all time, a read of those with them is cheaper.
const MAX_MISSING = 8_192;
const MIN_MATCHED = 4 * MAX_MISSING;

/** The counts of one rank, range or bucket, keyed as the query groups them. */
interface KeyCount {
  key: number;
  alerts: number;
}

const withoutWords = (filter: EventFilter): EventFilter => ({ ...filter, q: undefined });

/**
 * The word index query for the alerts of the filter's facets that lack its words, or null when
 * this way does not serve: no plain words or phrase, no facet, facets not yet written to every
 * alert, or counts of the filter without its words that are not stored.
 */
function missingQuery(db: Db, filter: EventFilter, options: ReadOptions): string | null {
  const q = searchText(filter);
  if (q === undefined || options.rawOnly || options.facets !== true) return null;
  const phrase = ftsQuery(q);
  const facets = facetQuery(filter);
  if (phrase.endsWith('*') || !facets || !priorityCountsServe(withoutWords(filter))) return null;
  // Few alerts with the words are read quicker than the facets' counts.
  if (!hasMatches(db, `${phrase} AND ${facets}`, MIN_MATCHED)) return null;
  const missing = `(${facets}) NOT ${phrase}`;
  return hasMatches(db, missing, MAX_MISSING) ? null : missing;
}

/**
 * Counts of the alerts that match every condition of `filter` but lack its words, from `fromNs`
 * up to `toNs`, grouped by `key` (SQL over `e`, the alert's time table row).
 */
function missingCounts(
  db: Db,
  filter: EventFilter,
  query: string,
  key: string,
  bounds: { fromNs: bigint | undefined; toNs: bigint | undefined },
  params: Record<string, unknown>,
  options: ReadOptions,
): KeyCount[] {
  const alerts = matchedAlerts(filter, params, { narrow: true, facets: true, lookUp: options.lookUp });
  params.q = query;
  const conditions = [...alerts.conditions];
  if (bounds.fromNs !== undefined) conditions.push('e.time_ns >= @missingFromNs');
  if (bounds.toNs !== undefined) conditions.push('e.time_ns < @missingToNs');
  return prepared<KeyCount>(
    db,
    `SELECT ${key} AS key, count(*) AS alerts FROM ${alerts.from} WHERE ${conditions.join(' AND ')} GROUP BY key`,
  ).all({ ...params, missingFromNs: bounds.fromNs, missingToNs: bounds.toNs });
}

/**
 * timeline()'s rows by priority for free text whose facets' alerts nearly all hold its words:
 * bucket index (of `widthNs`), rank and count. Null when this way does not serve.
 */
export function complementTimelineRows(
  db: Db,
  filter: EventFilter,
  range: ResolvedRange,
  widthNs: bigint,
  readOptions: ReadOptions = {},
): BucketCount[] | null {
  const options = withStoreState(db, filter, readOptions);
  const query = missingQuery(db, filter, options);
  if (query === null) return null;
  const source = priorityRows(withoutWords(filter), range, { ...options, bucketWidthNs: widthNs });
  // Bucket and rank in one key: a bucket index is far below 2^50.
  const counts = new Map<number, number>();
  for (const row of prepared<KeyCount>(
    db,
    `SELECT (e.time_ns / @widthNs) * 8 + e.priority_rank AS key, sum(e.alerts) AS alerts FROM ${source.sql} e GROUP BY key`,
  ).all({ ...source.params, widthNs }))
    counts.set(row.key, row.alerts);
  const missing = missingCounts(
    db,
    filter,
    query,
    '(e.time_ns / @widthNs) * 8 + e.priority_rank',
    range,
    { widthNs },
    options,
  );
  for (const row of missing) counts.set(row.key, (counts.get(row.key) ?? 0) - row.alerts);
  const rows: BucketCount[] = [];
  for (const [key, count] of counts) {
    const rank = key % 8;
    if (count > 0) rows.push({ bucket: (key - rank) / 8, series: String(rank), count });
  }
  return rows;
}

/** Half-open spans in ns: the range, and the one before it (ending at or before the range's start). */
export interface SummarySpans {
  current: ResolvedRange;
  previous: ResolvedRange;
}

// The range bits of the summary's group key, below the rank.
const CURRENT = 4;
const PREVIOUS = 2;

/**
 * rangeSummary()'s counts for free text whose facets' alerts nearly all hold its words: by
 * priority in the range and the range before, and the range's health events. Null when this way
 * does not serve.
 */
export function complementSummaryCounts(
  db: Db,
  filter: EventFilter,
  { current, previous }: SummarySpans,
  readOptions: ReadOptions = {},
) {
  const options = withStoreState(db, filter, readOptions);
  if (current.fromNs === undefined || previous.toNs === undefined || previous.toNs > current.fromNs) return null;
  const query = missingQuery(db, filter, options);
  if (query === null) return null;
  const all = withoutWords(filter);
  const byRank = (at: ResolvedRange) => {
    const counts: number[] = [];
    for (const p of priorityTotals(db, all, at, options).priorities) counts[p.priorityRank] = p.count;
    return counts;
  };
  const stored = {
    current: byRank(current),
    previous: byRank(previous),
    internal: priorityTotals(db, { ...all, internal: 'only' }, current, options).total,
  };
  const missing = missingCounts(
    db,
    { ...filter, internal: 'include' },
    query,
    `e.priority_rank * 8 + CASE WHEN e.time_ns >= @fromNs THEN ${CURRENT} WHEN e.time_ns < @previousToNs THEN ${PREVIOUS} ELSE 0 END + e.internal`,
    { fromNs: previous.fromNs, toNs: current.toNs },
    { fromNs: current.fromNs, previousToNs: previous.toNs },
    options,
  );
  const counted = (internal: number) =>
    filter.internal === 'include' || internal === (filter.internal === 'only' ? 1 : 0);
  for (const { key, alerts } of missing) {
    const [rank, span, internal] = [key >> 3, key & 6, key & 1];
    if (span === CURRENT && counted(internal)) stored.current[rank] = (stored.current[rank] ?? 0) - alerts;
    if (span === PREVIOUS && counted(internal)) stored.previous[rank] = (stored.previous[rank] ?? 0) - alerts;
    if (span === CURRENT && internal === 1) stored.internal -= alerts;
  }
  const byPriority = (counts: number[]) => ({
    total: counts.reduce((a, b) => a + b, 0),
    priorities: PRIORITIES.map((p) => ({ priority: p.name, priorityRank: p.rank, count: counts[p.rank] ?? 0 })),
  });
  return { current: byPriority(stored.current), previous: byPriority(stored.previous), internal: stored.internal };
}
