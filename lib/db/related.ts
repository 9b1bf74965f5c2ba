import 'server-only';
// Alerts related to one alert: nearby in the same container or host, along the same chain, and
// the same rule elsewhere.
import type { EventSummary } from '../events/types';
import { RELATED_LIMIT, RELATED_RULE_CANDIDATES } from '../stats/related';
import type { RelatedEvents } from '../stats/types';
import type { Db } from './connection';
import { SUMMARY_COLUMNS, SUMMARY_JOINS, toSummary, type SummaryRow } from './event-queries';
import { NS_PER_MINUTE } from './periods';
import { prepared } from './statements';

const RELATED_WINDOW_NS = 10n * NS_PER_MINUTE;

/**
 * The `@limit` alerts matching `where` closest in time to `@at`, newest first, each side read along an
 * index and kept the outer loop by `CROSS JOIN`. When an index serves only part of `where` (`among`),
 * each side stops at its `@candidates` nearest alerts so it cannot read every alert on that index.
 */
function closestInTime(
  db: Db,
  where: string,
  params: { at: bigint; limit: number } & Record<string, unknown>,
  among?: string,
): EventSummary[] {
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
  const rows = prepared<SummaryRow>(
    db,
    `WITH picked AS (SELECT * FROM (${side(false)}) UNION ALL SELECT * FROM (${side(true)}))
     SELECT ${SUMMARY_COLUMNS} FROM picked CROSS JOIN events e ON e.id = picked.id ${SUMMARY_JOINS} ORDER BY e.time_ns DESC, e.id DESC`,
  ).all(params);
  const distance = (row: SummaryRow) => {
    const d = BigInt(row.timeNs) - params.at;
    return d < 0n ? -d : d;
  };
  const closest = new Set(
    [...rows]
      .sort((a, b) => (distance(a) < distance(b) ? -1 : distance(a) > distance(b) ? 1 : 0))
      .slice(0, params.limit),
  );
  return rows.filter((row) => closest.has(row)).map(toSummary);
}

/**
 * Alerts around one alert, closest in time first: same container (or host) within the window, same
 * chain, same rule elsewhere (among the rule's `ruleCandidates` alerts nearest in time, each way).
 */
export function relatedEvents(
  db: Db,
  id: number,
  limit = RELATED_LIMIT,
  ruleCandidates = RELATED_RULE_CANDIDATES,
): RelatedEvents | undefined {
  const alert = prepared<{
    id: bigint;
    timeNs: bigint;
    rule: string;
    containerId: string | null;
    hostname: string | null;
    chain: string | null;
  }>(
    db,
    'SELECT id, time_ns AS timeNs, rule, container_id AS containerId, hostname, process_chain AS chain FROM events WHERE id = ?',
  )
    .safeIntegers(true)
    .get(id);
  if (!alert) return undefined;
  const base = {
    id,
    limit,
    at: alert.timeNs,
    from: alert.timeNs - RELATED_WINDOW_NS,
    to: alert.timeNs + RELATED_WINDOW_NS,
    rule: alert.rule,
    chain: alert.chain,
    containerId: alert.containerId,
    hostname: alert.hostname,
  };
  // IS, not =: alerts without a container (NULL) must compare as "elsewhere", not vanish.
  const sameContainer =
    alert.containerId === null || alert.containerId === 'host'
      ? 'e.hostname IS @hostname AND e.container_id IS @containerId'
      : 'e.container_id IS @containerId';
  return {
    nearby: closestInTime(
      db,
      `e.id != @id AND e.internal = 0 AND ${sameContainer} AND e.time_ns BETWEEN @from AND @to`,
      base,
    ),
    sameChain:
      alert.chain === null
        ? []
        : closestInTime(db, 'e.id != @id AND e.internal = 0 AND e.process_chain = @chain', base),
    sameRuleElsewhere: closestInTime(
      db,
      `e.id != @id AND e.internal = 0 AND e.rule = @rule AND NOT (${sameContainer})`,
      { ...base, candidates: ruleCandidates },
      'e.rule = @rule',
    ),
  };
}
