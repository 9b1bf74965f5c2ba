import 'server-only';
// Retention: PERCH_RETENTION (age) and PERCH_MAX_EVENTS (count). Deletes run in small batches with
// a yield to the event loop between them, so ingest never waits on pruning for more than a few ms.
import { withPruneRoom, type Db } from './connection';
import { notePlannerStatsChanges } from './planner-stats';
import { msToNs, NS_PER_HALF_DAY } from './periods';

export interface RetentionPolicy {
  retentionMs: number | null;
  maxEvents: number | null;
}

// Small batches keep each block of the event loop short, since a deleted alert takes its row,
// payload, tags, ancestry and every index entry with it (docs/decisions/0015).
export const PRUNE_BATCH = 20;

// A merge of the word index takes new pages before it frees old ones, and a delete's marks of rows
// gone take a few: deletes run without merging, in the room ingest leaves under the store's cap
// (withPruneRoom), and reclaimSearchSpace merges once per run.
function withoutMerging(db: Db, work: () => number): number {
  return withPruneRoom(db, () =>
    db
      .transaction(() => {
        db.prepare("INSERT INTO event_search (event_search, rank) VALUES ('automerge', 0)").run();
        const deleted = work();
        db.prepare("INSERT INTO event_search (event_search, rank) VALUES ('automerge', 4)").run();
        return deleted;
      })
      .immediate(),
  );
}

const deleteOlderThan = (db: Db, cutoffNs: bigint, limit: number) =>
  withoutMerging(
    db,
    () =>
      db
        .prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time_ns < ? ORDER BY time_ns LIMIT ?)')
        .run(cutoffNs, limit).changes,
  );

// No alert's time is more than PERCH_MAX_CLOCK_SKEW past its arrival (lib/falco/alert.ts), so a
// future-dated alert cannot outlive the genuine alerts that arrived after it.
const deleteOldest = (db: Db, limit: number) =>
  withoutMerging(
    db,
    () =>
      db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY time_ns, id LIMIT ?)').run(limit)
        .changes,
  );

/**
 * Rewrites the index segments that hold deleted alerts so their pages are free for ingest, using
 * the room ingest leaves under the cap. A store too full even for that keeps its deletes and
 * tries again on the next run.
 */
function reclaimSearchSpace(db: Db): void {
  try {
    withPruneRoom(db, () => db.prepare("INSERT INTO event_search (event_search, rank) VALUES ('merge', -1000)").run());
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_FULL') throw error;
  }
}

const countEvents = (db: Db) => db.prepare<[], { total: number }>('SELECT count(*) AS total FROM events').get()!.total;

/** Deletes up to one batch of alerts the policy no longer keeps; returns how many it deleted. */
export function pruneBatch(db: Db, policy: RetentionPolicy, nowMs = Date.now(), batch = PRUNE_BATCH): number {
  let deleted = 0;
  if (policy.retentionMs !== null) deleted += deleteOlderThan(db, msToNs(nowMs - policy.retentionMs), batch);
  if (policy.maxEvents !== null && deleted < batch) {
    const excess = Math.min(countEvents(db) - policy.maxEvents, batch - deleted);
    if (excess > 0) deleted += deleteOldest(db, excess);
  }
  // Id runs (migration 0014) of quarters older than every alert left hold none of them.
  if (deleted > 0) {
    db.prepare(
      'DELETE FROM event_id_runs WHERE quarter < coalesce((SELECT min(time_ns) FROM events) / 900000000000, 1 << 62)',
    ).run();
    pruneGroups(db);
  }
  notePlannerStatsChanges(db, deleted);
  return deleted;
}

const yieldToRequests = () => new Promise((resolve) => setImmediate(resolve));

// A day of quarters per step: the quarter-hour counts the writer left behind its horizon (migration 0016).
const QUARTERS_PER_STEP = 96;

/** Deletes one step of the quarter-hour counts before their horizon; returns how many rows went. */
export function pruneQuarterCounts(db: Db): number {
  return db
    .transaction(() => {
      const { first, horizon } = db
        .prepare<[], { first: number | null; horizon: number }>(
          'SELECT (SELECT min(quarter) FROM event_counts_15m) AS first, (SELECT quarter FROM event_counts_15m_horizon) AS horizon',
        )
        .get()!;
      if (first === null || first >= horizon) return 0;
      return db
        .prepare('DELETE FROM event_counts_15m WHERE quarter < ?')
        .run(Math.min(first + QUARTERS_PER_STEP, horizon)).changes;
    })
    .immediate();
}

/**
 * Drops the atoms (migration 0017) whose alerts are all gone, and the places of half days older
 * than every alert left. Their triage status and history stay.
 */
function pruneGroups(db: Db): void {
  db.transaction(() => {
    const oldest = db.prepare<[], bigint | null>('SELECT min(time_ns) FROM events').pluck().safeIntegers(true).get();
    const before = oldest ?? 1n << 62n;
    db.prepare('DELETE FROM group_atoms WHERE last_ns < ?').run(before);
    db.prepare('DELETE FROM group_places_12h WHERE half_day < ?').run(before / NS_PER_HALF_DAY);
  }).immediate();
}

/** Prunes until the policy holds, yielding between batches. Returns the total deleted. */
export async function pruneAll(db: Db, policy: RetentionPolicy, nowMs = Date.now()): Promise<number> {
  while (pruneQuarterCounts(db) > 0) await yieldToRequests();
  let total = 0;
  if (policy.retentionMs !== null) {
    const cutoffNs = msToNs(nowMs - policy.retentionMs);
    for (let deleted = PRUNE_BATCH; deleted === PRUNE_BATCH; total += deleted) {
      deleted = deleteOlderThan(db, cutoffNs, PRUNE_BATCH);
      // Let waiting requests (ingest first of all) run between batches.
      await yieldToRequests();
    }
  }
  if (policy.maxEvents !== null) {
    // Counted once per run, not per batch: a count over a million rows is not free.
    let excess = countEvents(db) - policy.maxEvents;
    while (excess > 0) {
      const deleted = deleteOldest(db, Math.min(excess, PRUNE_BATCH));
      if (deleted === 0) break;
      excess -= deleted;
      total += deleted;
      await yieldToRequests();
    }
  }
  // Freed pages are reused by new alerts, so the file stops growing; the WAL is folded back in.
  if (total > 0) {
    pruneGroups(db);
    reclaimSearchSpace(db);
    db.pragma('wal_checkpoint(PASSIVE)');
  }
  return total;
}
