import 'server-only';
// Gives the alerts stored before migration 0017 their triage groups in the background, a batch at
// a time with the event loop free between batches, newest first: the views open on recent days.
import type { Db } from '../db/connection';
import { backfillGroups, groupsReady } from '../db/group-writer';

const BATCH = 500;
// A full store (PERCH_MAX_STORE_SIZE) or a busy one: tried again after retention has run.
const RETRY_MS = 60_000;

/** Starts grouping every stored alert without a group; returns at once. */
export function startGroupBackfill(db: Db): void {
  if (groupsReady(db)) return;
  console.log('[perch] grouping the stored alerts for triage, in the background');
  const started = performance.now();
  const step = () => {
    try {
      if (backfillGroups(db, BATCH) > 0) {
        setImmediate(step);
        return;
      }
      console.log(`[perch] stored alerts grouped in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_FULL' || code === 'SQLITE_BUSY') setTimeout(step, RETRY_MS).unref();
      else if (code === 'SQLITE_READONLY')
        console.warn(
          '[perch] the store is read-only: older alerts stay ungrouped until it is writable and Perch restarted',
        );
      else console.error('[perch] grouping the stored alerts failed:', error);
    }
  };
  setImmediate(step);
}
