import 'server-only';
// The query planner's statistics, kept in step with a store that grows while Perch runs.
//
// `PRAGMA optimize` at open records statistics for the tables that hold rows. On a new store that is
// the word index's own tables, with two rows. Left so while the store grows, the planner keeps
// believing the index has two rows and answers FTS5's `DELETE FROM event_search_data WHERE id>=? AND
// id<=?` (run whenever merged segments are dropped) with a scan of the whole index instead of a range:
// past two million alerts the writer spent three quarters of its time in those scans and fell from
// about 2,000 to under 600 alerts/s (docs/benchmarks.md, "Filling the store for 10,000,000 alerts").
import type { Db } from './connection';

/** Rows written or removed between two checks: a check with nothing stale costs under a millisecond. */
export const STATS_CHECK_EVERY = 10_000;

const changedSinceCheck = new WeakMap<Db, number>();
let reportedFailure = false;

/**
 * Re-analyses the tables whose size has moved far from their statistics (SQLite's own test, bounded
 * by its analysis limit: about a second for the word index of 3.7 million alerts); a no-op otherwise.
 */
export function refreshPlannerStats(db: Db): void {
  db.pragma('optimize = 0x10002');
}

/**
 * Counts `rows` just committed (written or deleted) and refreshes the statistics every
 * STATS_CHECK_EVERY. Never throws: the change it follows is already committed, and stale statistics
 * cost speed, not correctness.
 */
export function notePlannerStatsChanges(db: Db, rows: number): void {
  const changed = (changedSinceCheck.get(db) ?? 0) + rows;
  // Inside a caller's transaction the check waits for the next change after it.
  if (changed < STATS_CHECK_EVERY || db.inTransaction) {
    changedSinceCheck.set(db, changed);
    return;
  }
  changedSinceCheck.set(db, 0);
  try {
    refreshPlannerStats(db);
  } catch (error) {
    if (!reportedFailure) console.warn('[perch] could not refresh the query planner\'s statistics:', error);
    reportedFailure = true;
  }
}
