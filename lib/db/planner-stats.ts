import 'server-only';
// The query planner's statistics, kept in step with a store that grows while Perch runs: statistics
// taken on a new store leave FTS5's segment deletes planned as scans of the whole word index, which
// slow the writer more and more as the store grows (docs/decisions/0013).
import type { Db } from './connection';

/** Rows written or removed between two checks: a check with nothing stale is cheap. */
export const STATS_CHECK_EVERY = 10_000;

const changedSinceCheck = new WeakMap<Db, number>();
let reportedFailure = false;

/**
 * Re-analyses the tables whose size has moved far from their statistics (SQLite's own test, bounded
 * by its analysis limit); a no-op otherwise.
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
    if (!reportedFailure) console.warn("[perch] could not refresh the query planner's statistics:", error);
    reportedFailure = true;
  }
}
