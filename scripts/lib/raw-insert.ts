// The floor `npm run bench` compares Perch's ingest with: rows already prepared by the ingest
// pipeline, inserted with plain prepared statements into the same schema, one transaction per
// batch. No parsing, validation, duplicate lookup or HTTP: what SQLite itself costs.
import type Database from 'better-sqlite3';
import type { StoredAlert } from '../../lib/falco/alert';

export function rawInserter(db: Database.Database): (alerts: readonly StoredAlert[]) => void {
  const insertEvent = db.prepare(
    `INSERT INTO events (dedup_key, uuid, time_ns, received_ms, priority, priority_rank, rule, source, hostname,
       internal, container_id, container_name, image_repository, image_tag, k8s_ns, k8s_pod, user_name, evt_type,
       fd_name, process_chain)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPayload = db.prepare('INSERT INTO event_payloads (event_id, search_text, raw) VALUES (?, ?, ?)');
  const insertTag = db.prepare('INSERT INTO event_tags (tag, event_id) VALUES (?, ?)');
  const insertProcess = db.prepare('INSERT INTO event_processes (event_id, level, name, exepath, cmdline, pid) VALUES (?, ?, ?, ?, ?, ?)');
  const insertAll = db.transaction((alerts: readonly StoredAlert[], receivedMs: number) => {
    for (const a of alerts) {
      const id = insertEvent.run(
        a.dedupKey, a.uuid, a.timeNs, receivedMs, a.priority, a.priorityRank, a.rule, a.source, a.hostname,
        a.internal ? 1 : 0, a.containerId, a.containerName, a.imageRepository, a.imageTag, a.k8sNamespace, a.k8sPod,
        a.userName, a.evtType, a.fdName, a.processChain,
      ).lastInsertRowid;
      insertPayload.run(id, a.searchText, a.raw);
      for (const tag of a.tags) insertTag.run(tag, id);
      for (const p of a.ancestry) insertProcess.run(id, p.level, p.name, p.exepath, p.cmdline, p.pid);
    }
  });
  return (alerts) => insertAll.immediate(alerts, Date.now());
}
