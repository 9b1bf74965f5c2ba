import 'server-only';
// The process tree: the chains of the newest matching alerts, merged per container or host.
import { formatTimeNs } from '../falco/time';
import type { EventFilter } from '../filters/event-filter';
import { buildProcessTree, type ChainCount } from '../stats/process-tree';
import type { ProcessTree } from '../stats/types';
import type { Db } from './connection';
import { priorityTotals } from './event-queries';
import { containerArms, filterToSql, whereWith } from './filter-sql';
import { HOST_OF_HOST_PROCESSES, priorityCountsServe } from './rollup-sql';
import { prepared } from './statements';
import { resolveRange } from './time-range';

/** How many of the newest matching alerts a process tree is built from, unless the caller says otherwise. */
export const TREE_SAMPLE_ALERTS = 10_000;

/**
 * Process chains with their alert counts, merged into a tree per container or host, from the newest
 * `sampleSize` matching alerts: chains carry pids, so they hardly repeat and no count table can serve
 * them (docs/decisions/0024). `sample` and `truncated` say what was left out.
 */
export function processTree(
  db: Db,
  filter: EventFilter,
  limit = 5_000,
  nowMs = Date.now(),
  sampleSize = TREE_SAMPLE_ALERTS,
): ProcessTree {
  const range = resolveRange(filter, nowMs);
  const { where, params } = filterToSql({ ...filter, container: [] }, range);
  const columns = 'e.id, e.time_ns, e.container_id, e.container_name, e.hostname, e.process_chain, e.priority_rank';
  const newest = (arm: string | undefined) =>
    `SELECT ${columns} FROM events e ${whereWith(whereWith(where, arm), 'e.process_chain IS NOT NULL')} ORDER BY e.time_ns DESC LIMIT @fetch`;
  const arms = containerArms(filter, params) ?? [undefined];
  const fetched =
    arms.length === 1
      ? newest(arms[0])
      : `${arms.map((arm) => `SELECT * FROM (${newest(arm)})`).join(' UNION ALL ')} ORDER BY time_ns DESC LIMIT @fetch`;
  // One alert more than the sample is read to tell whether any were left out, and then left out itself.
  const rows = prepared<ChainCount & { more: number; sinceNs: string }>(
    db,
    `WITH fetched AS MATERIALIZED (${fetched}),
       edge AS MATERIALIZED (SELECT count(*) > @sampleSize AS more FROM fetched),
       oldest AS MATERIALIZED (SELECT id, time_ns FROM fetched ORDER BY time_ns, id LIMIT 2)
     SELECT e.container_id AS containerId, max(e.container_name) AS containerName, ${HOST_OF_HOST_PROCESSES} AS hostname, e.process_chain AS chain,
       count(*) AS count, min(e.priority_rank) AS worstRank, (SELECT more FROM edge) AS more,
       (SELECT CAST(time_ns AS TEXT) FROM oldest ORDER BY time_ns, id LIMIT 1 OFFSET (SELECT more FROM edge)) AS sinceNs
     FROM fetched e WHERE e.id IS NOT (SELECT id FROM oldest WHERE (SELECT more FROM edge) ORDER BY time_ns, id LIMIT 1)
     GROUP BY e.container_id, ${HOST_OF_HOST_PROCESSES}, e.process_chain ORDER BY count DESC LIMIT @limit`,
  ).all({ ...params, fetch: sampleSize + 1, sampleSize, limit: limit + 1 });
  const first = rows[0];
  const sample = first?.more
    ? {
        alerts: sampleSize,
        since: formatTimeNs(BigInt(first.sinceNs)),
        total: priorityCountsServe(filter) ? priorityTotals(db, filter, range).total : null,
      }
    : null;
  return { scopes: buildProcessTree(rows.slice(0, limit)), truncated: rows.length > limit, sample };
}
