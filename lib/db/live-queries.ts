import 'server-only';
import type { EventSummary } from '../events/types';
import type { EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { SUMMARY_COLUMNS, SUMMARY_JOINS, toSummary, type SummaryRow } from './event-queries';
import { filterToSql } from './filter-sql';
import { prepared } from './statements';

/** The id of the newest committed alert (0 for an empty store). Ids grow in commit order. */
export function newestEventId(db: Db): number {
  return prepared<{ id: number }>(db, 'SELECT coalesce(max(id), 0) AS id FROM events').get()!.id;
}

/**
 * Alerts matching `filter` with afterId < id ≤ upToId, oldest first, at most `limit`. The id range
 * is small (what arrived since the last look), so the rowid range is walked rather than any
 * filter index: NOT INDEXED keeps SQLite from scanning a whole rule's or host's history instead.
 */
export function eventsInIdRange(
  db: Db,
  filter: EventFilter,
  afterId: number,
  upToId: number,
  limit: number,
  nowMs = Date.now(),
): EventSummary[] {
  const { where, params } = filterToSql(filter, nowMs);
  const range = `${where ? `${where} AND` : 'WHERE'} e.id > @afterId AND e.id <= @upToId`;
  const rows = prepared<SummaryRow>(
    db,
    `SELECT ${SUMMARY_COLUMNS} FROM events e NOT INDEXED ${SUMMARY_JOINS} ${range} ORDER BY e.id LIMIT @limit`,
  ).all({ ...params, afterId, upToId, limit });
  return rows.map(toSummary);
}
