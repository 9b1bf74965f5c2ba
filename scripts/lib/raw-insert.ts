// The floor `npm run bench` compares ingest with: the ingest pipeline's prepared rows inserted with
// plain statements into every table the UI reads (counts included), one transaction per batch;
// no parsing, validation, duplicate lookup, compression or HTTP.
import type Database from 'better-sqlite3';
import { prepareCountWriter } from '../../lib/db/event-counts';
import { INSERT_TIME, indexedText } from '../../lib/db/event-writer';
import { prepareGroupWriter } from '../../lib/db/group-writer';
import { prepareIdRunWriter } from '../../lib/db/id-runs';
import { notePlannerStatsChanges } from '../../lib/db/planner-stats';
import { packRaw } from '../../lib/db/raw-json';
import type { StoredAlert } from '../../lib/falco/alert';

/** A batch ready to insert: each alert's raw JSON deflated and the batch's counts summed. */
export interface RawBatch {
  alerts: readonly (StoredAlert & { packedRaw: Buffer; indexedText: string })[];
  counts: { write(): void };
}

export function rawInserter(db: Database.Database) {
  const insertEvent = db.prepare(
    `INSERT INTO events (dedup_key, uuid, time_ns, received_ms, priority, priority_rank, rule, source, hostname,
       internal, container_id, container_name, image_repository, image_tag, k8s_ns, k8s_pod, user_name, evt_type,
       fd_name, process_chain, group_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTime = db.prepare(INSERT_TIME);
  const insertPayload = db.prepare('INSERT INTO event_payloads (event_id, raw) VALUES (?, ?)');
  const insertSearch = db.prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)');
  const insertTag = db.prepare('INSERT INTO event_tags (tag, event_id) VALUES (?, ?)');
  const insertProcess = db.prepare(
    'INSERT INTO event_processes (event_id, level, name, exepath, cmdline, pid) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const batchCounts = prepareCountWriter(db);
  const batchRuns = prepareIdRunWriter(db);
  const batchGroups = prepareGroupWriter(db);

  const insertAll = db.transaction(({ alerts, counts }: RawBatch, receivedMs: number) => {
    const ids: number[] = [];
    const runs = batchRuns();
    const groups = batchGroups();
    for (const a of alerts) {
      // The triage groups need the store's atoms, so they are found in the timed part, as the writer does.
      const atomId = groups.atomOf(a);
      const id = Number(
        insertEvent.run(
          a.dedupKey,
          a.uuid,
          a.timeNs,
          receivedMs,
          a.priority,
          a.priorityRank,
          a.rule,
          a.source,
          a.hostname,
          a.internal ? 1 : 0,
          a.containerId,
          a.containerName,
          a.imageRepository,
          a.imageTag,
          a.k8sNamespace,
          a.k8sPod,
          a.userName,
          a.evtType,
          a.fdName,
          a.processChain,
          atomId,
        ).lastInsertRowid,
      );
      ids.push(id);
      groups.add(a, id, atomId);
      runs.add(id, a.timeNs);
      insertTime.run(id, a.timeNs, a.internal ? 1 : 0, a.priorityRank);
      insertPayload.run(id, a.packedRaw);
      for (const tag of a.tags) insertTag.run(tag, id);
      for (const p of a.ancestry) insertProcess.run(id, p.level, p.name, p.exepath, p.cmdline, p.pid);
    }
    counts.write();
    runs.write();
    groups.write();
    // In the writer's order: the index's terms after every other statement (lib/db/event-writer.ts).
    alerts.forEach((a, i) => {
      insertSearch.run(ids[i], a.indexedText);
    });
  });

  return {
    /** Perch's own work on a batch, done before the timed insert. */
    prepare(alerts: readonly StoredAlert[]): RawBatch {
      const counts = batchCounts();
      for (const alert of alerts) counts.add(alert);
      return {
        alerts: alerts.map((alert) => ({ ...alert, packedRaw: packRaw(alert.raw), indexedText: indexedText(alert) })),
        counts,
      };
    },
    insert: (batch: RawBatch) => {
      insertAll.immediate(batch, Date.now());
      // As Perch's writer does (and SQLite advises for a long-lived connection): without fresh
      // statistics the word index's merges scan the whole index, and this floor would time stale
      // statistics rather than SQLite (docs/decisions/0013).
      notePlannerStatsChanges(db, batch.alerts.length);
    },
  };
}
