import 'server-only';
// The containers table: per container (or host's own processes, or no container) its alerts, worst
// priority, last alert and top rules, with its name, image and place from its newest alert.
import { priorityByRank } from '../falco/priorities';
import { formatTimeNs } from '../falco/time';
import { NONE_VALUE } from '../filters/dimensions';
import type { EventFilter } from '../filters/event-filter';
import type { ContainerRow } from '../stats/types';
import type { Db } from './connection';
import { filterToSql, whereWith, withStoreState } from './filter-sql';
import {
  COUNTED_DIMENSIONS,
  dimensionCountsServe,
  dimensionRows,
  eventRows,
  HOST_OF_HOST_PROCESSES,
  type ReadOptions,
} from './rollup-sql';
import { prepared } from './statements';
import { resolveRange, type ResolvedRange } from './time-range';

interface ContainerFacts {
  name: string | null;
  imageRepository: string | null;
  imageTag: string | null;
  k8sNamespace: string | null;
  k8sPod: string | null;
}

export interface ContainerKey {
  /** As the lists give it: `(none)` for no container, `host` with its host for host processes. */
  containerId: string;
  hostname: string | null;
}

/**
 * Each container's name, image and place as its newest alert gives them, and with `lastIn`, the
 * time of its newest alert that `where` selects: one statement for all, a seek of its index each.
 */
export function containerFacts(
  db: Db,
  keys: readonly ContainerKey[],
  lastIn?: { where: string; params: Record<string, unknown> },
): (ContainerFacts & { lastNs: string | null })[] {
  const newest = (columns: string, where = '') => `CASE WHEN k.id = 'host'
    THEN (SELECT ${columns} FROM events e INDEXED BY events_host_time ${whereWith(where, "e.hostname IS k.host AND e.container_id = 'host'")} ORDER BY e.time_ns DESC LIMIT 1)
    ELSE (SELECT ${columns} FROM events e INDEXED BY events_container_time ${whereWith(where, 'e.container_id IS k.id')} ORDER BY e.time_ns DESC LIMIT 1) END`;
  const rows = prepared<{ facts: string | null; lastNs: string | null }>(
    db,
    `WITH k AS (SELECT key, value ->> 0 AS id, value ->> 1 AS host FROM json_each(@keys))
     SELECT ${newest('json_array(e.container_name, e.image_repository, e.image_tag, e.k8s_ns, e.k8s_pod)')} AS facts,
       ${lastIn ? newest('CAST(e.time_ns AS TEXT)', lastIn.where) : 'NULL'} AS lastNs
     FROM k ORDER BY k.key`,
  ).all({
    ...lastIn?.params,
    keys: JSON.stringify(keys.map((key) => [key.containerId === NONE_VALUE ? null : key.containerId, key.hostname])),
  });
  return rows.map((row) => {
    const [name, imageRepository, imageTag, k8sNamespace, k8sPod] =
      row.facts === null ? [] : (JSON.parse(row.facts) as (string | null)[]);
    return {
      name: name ?? null,
      imageRepository: imageRepository ?? null,
      imageTag: imageTag ?? null,
      k8sNamespace: k8sNamespace ?? null,
      k8sPod: k8sPod ?? null,
      lastNs: row.lastNs,
    };
  });
}

/** A container's row; `lastNs` only where the rows it is read from hold it. */
type ContainerCounts = {
  containerId: string;
  hostname: string | null;
  count: number;
  worstRank: number;
  lastNs?: string;
};

export function containerRows(
  db: Db,
  filter: EventFilter,
  limit = 500,
  nowMs = Date.now(),
  readOptions: ReadOptions = {},
): ContainerRow[] {
  const options = withStoreState(db, filter, readOptions);
  const range = resolveRange(filter, nowMs);
  const counted = dimensionCountsServe(filter, options);
  const rows = counted
    ? countedContainerRows(db, filter, limit, range)
    : matchedContainerRows(db, filter, limit, range, options);
  const keyOf = (row: { containerId: string; hostname: string | null }) =>
    `${row.containerId === NONE_VALUE ? '' : row.containerId}\u001f${row.hostname ?? ''}`;
  const topRules = counted
    ? countedTopRules(db, filter, range, rows.map(keyOf))
    : matchedTopRules(db, filter, range, options);
  const rulesByContainer = new Map<string, { rule: string; count: number }[]>();
  for (const row of topRules) {
    const list = rulesByContainer.get(row.key) ?? [];
    list.push({ rule: row.rule, count: row.count });
    rulesByContainer.set(row.key, list);
  }
  const facts = containerFacts(db, rows, counted ? filterToSql(filter, range) : undefined);
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

function matchedContainerRows(
  db: Db,
  filter: EventFilter,
  limit: number,
  range: ResolvedRange,
  options: ReadOptions,
): ContainerCounts[] {
  const source = eventRows(filter, range, options);
  return prepared<ContainerCounts>(
    db,
    `SELECT coalesce(e.container_id, '${NONE_VALUE}') AS containerId, ${HOST_OF_HOST_PROCESSES} AS hostname, sum(e.alerts) AS count,
       min(e.priority_rank) AS worstRank, CAST(max(e.last_ns) AS TEXT) AS lastNs
     FROM ${source.sql} e GROUP BY e.container_id, ${HOST_OF_HOST_PROCESSES} ORDER BY count DESC, containerId LIMIT @limit`,
  ).all({ ...source.params, limit });
}

/** The same from the counts per dimension, which hold no times: containerFacts finds each one's last alert. */
function countedContainerRows(db: Db, filter: EventFilter, limit: number, range: ResolvedRange): ContainerCounts[] {
  const source = dimensionRows(filter, 'container', range, { perValue: true });
  return prepared<ContainerCounts>(
    db,
    `SELECT coalesce(e.value, '${NONE_VALUE}') AS containerId, e.detail AS hostname, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
     FROM ${source.sql} e GROUP BY e.value, e.detail ORDER BY count DESC, containerId LIMIT @limit`,
  ).all({ ...source.params, limit });
}

type TopRule = { key: string; rule: string; count: number };

// The three most frequent rules of every container, in one query (not one per container).
const topThree = (rows: string) => `SELECT key, rule, count FROM (
    SELECT key, rule, count, row_number() OVER (PARTITION BY key ORDER BY count DESC, rule) AS position FROM (${rows}))
  WHERE position <= 3`;

function matchedTopRules(db: Db, filter: EventFilter, range: ResolvedRange, options: ReadOptions): TopRule[] {
  const source = eventRows(filter, range, options);
  const key = COUNTED_DIMENSIONS.rule_container.detail;
  return prepared<TopRule>(
    db,
    topThree(
      `SELECT ${key} AS key, e.rule AS rule, sum(e.alerts) AS count FROM ${source.sql} e GROUP BY ${key}, e.rule`,
    ),
  ).all(source.params);
}

/** The same for the listed containers, from the counts per dimension; the first three are picked here, without a window. */
function countedTopRules(db: Db, filter: EventFilter, range: ResolvedRange, keys: readonly string[]): TopRule[] {
  const source = dimensionRows(filter, 'rule_container', range);
  const rows = prepared<TopRule>(
    db,
    `SELECT e.detail AS key, e.value AS rule, sum(e.alerts) AS count FROM ${source.sql} e
    WHERE e.detail IN (SELECT value FROM json_each(@keys)) GROUP BY e.detail, e.value`,
  ).all({ ...source.params, keys: JSON.stringify(keys) });
  rows.sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  return rows.filter((row, i) => i < 3 || rows[i - 3]!.key !== row.key);
}
