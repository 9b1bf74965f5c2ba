import 'server-only';
// Retention: PERCH_RETENTION (age) and PERCH_MAX_EVENTS (count). Deletes run in small batches with
// a yield to the event loop between them, so ingest never waits on pruning for more than a few ms.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './connection';

export interface RetentionPolicy {
  retentionMs: number | null;
  maxEvents: number | null;
}

export const PRUNE_BATCH = 500;

/** Deletes up to one batch of alerts the policy no longer keeps; returns how many it deleted. */
export function pruneBatch(db: Db, policy: RetentionPolicy, nowMs = Date.now(), batch = PRUNE_BATCH): number {
  let deleted = 0;
  if (policy.retentionMs !== null) {
    const cutoffNs = BigInt(nowMs - policy.retentionMs) * 1_000_000n;
    deleted += db
      .prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time_ns < ? ORDER BY time_ns LIMIT ?)')
      .run(cutoffNs, batch).changes;
  }
  if (policy.maxEvents !== null && deleted < batch) {
    const { total } = db.prepare('SELECT count(*) AS total FROM events').get() as { total: number };
    const excess = Math.min(total - policy.maxEvents, batch - deleted);
    if (excess > 0) {
      deleted += db
        .prepare('DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY time_ns, id LIMIT ?)')
        .run(excess).changes;
    }
  }
  return deleted;
}

/** Prunes until the policy holds, yielding between batches. Returns the total deleted. */
export async function pruneAll(db: Db, policy: RetentionPolicy, nowMs = Date.now()): Promise<number> {
  if (policy.retentionMs === null && policy.maxEvents === null) return 0;
  let total = 0;
  for (;;) {
    const deleted = pruneBatch(db, policy, nowMs);
    total += deleted;
    if (deleted < PRUNE_BATCH) break;
    await sleep(5);
  }
  // Freed pages are reused by new alerts; truncating the WAL keeps the -wal file from lingering large.
  if (total > 0) db.pragma('wal_checkpoint(PASSIVE)');
  return total;
}
