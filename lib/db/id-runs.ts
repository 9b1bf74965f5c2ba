import 'server-only';
// The runs of ids of each quarter hour (migration 0014), widened or added once per batch. A run
// may hold ids of other quarters too; it must hold every id of its own.
import type { Db } from './connection';
import { NS_PER_QUARTER } from './periods';

// Ids this close after a quarter's last run join it, as the migration joined them: reading a few
// hundred ids more costs less than one more read (lib/db/search-counts.ts).
const JOIN_GAP = 256;

export function prepareIdRunWriter(db: Db) {
  const lastRun = db.prepare<[bigint], { firstId: number; lastId: number }>(
    'SELECT first_id AS firstId, last_id AS lastId FROM event_id_runs WHERE quarter = ? ORDER BY first_id DESC LIMIT 1',
  );
  const widen = db.prepare(
    'UPDATE event_id_runs SET last_id = max(last_id, @lastId) WHERE quarter = @quarter AND first_id = @firstId',
  );
  // An id can come back after the newest alerts are deleted, and start a run again.
  const add = db.prepare(`INSERT INTO event_id_runs (quarter, first_id, last_id) VALUES (@quarter, @firstId, @lastId)
    ON CONFLICT DO UPDATE SET last_id = max(last_id, excluded.last_id)`);

  /** The runs of one batch; `write` adds them (inside the batch's transaction). */
  return () => {
    const batch = new Map<bigint, { firstId: number; lastId: number }>();
    return {
      add(id: number, timeNs: bigint) {
        const quarter = timeNs / NS_PER_QUARTER;
        const run = batch.get(quarter);
        if (!run) batch.set(quarter, { firstId: id, lastId: id });
        else {
          run.firstId = Math.min(run.firstId, id);
          run.lastId = Math.max(run.lastId, id);
        }
      },
      write() {
        for (const [quarter, { firstId, lastId }] of batch) {
          const last = lastRun.get(quarter);
          if (last && firstId >= last.firstId && firstId <= last.lastId + JOIN_GAP)
            widen.run({ quarter, firstId: last.firstId, lastId });
          else add.run({ quarter, firstId, lastId });
        }
      },
    };
  };
}
