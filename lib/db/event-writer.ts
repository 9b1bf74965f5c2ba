import 'server-only';
import type { StoredAlert } from '../falco/alert';
import { ingestMetrics } from '../metrics/ingest-metrics';
import { SHAPE_COLUMNS } from '../filters/dimensions';
import type { Db } from './connection';
import { prepareCountWriter } from './event-counts';
import { prepareGroupWriter } from './group-writer';
import { facetText } from './facets';
import { prepareIdRunWriter } from './id-runs';
import { notePlannerStatsChanges } from './planner-stats';
import { packRaw } from './raw-json';

/** An alert to store; `packedRaw`, when given, is its raw JSON already deflated (lib/ingest/prepare-worker.ts). */
export type WritableAlert = StoredAlert & { packedRaw?: Uint8Array };

export interface WriteResult {
  id: number;
  duplicate: boolean;
}

// The dimensions' columns come from lib/filters/dimensions.ts, after the columns every alert has.
const EVENT_COLUMNS = [
  'dedup_key',
  'uuid',
  'time_ns',
  'received_ms',
  'priority',
  'priority_rank',
  'internal',
  ...SHAPE_COLUMNS.map((c) => c.column),
  'evt_type',
  'fd_name',
  'process_chain',
  'claimed_time_ns',
  'group_id',
];
const INSERT_EVENT = `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`;

/** An alert's words in the word index: its text, and its facet tokens (lib/db/facets.ts). */
export const indexedText = (alert: StoredAlert) => `${alert.searchText}\n${facetText(alert)}`;

/** Each alert's row in the table free text's counts read (migration 0007). */
export const INSERT_TIME = 'INSERT INTO event_times (id, time_ns, internal, priority_rank) VALUES (?, ?, ?, ?)';

function prepareWriter(db: Db) {
  // Positional, unlike our other statements: binding this many parameters by name (and the object
  // spread that makes them) is a sizeable share of the insert (docs/decisions/0014).
  const insertEvent = db.prepare<unknown[]>(INSERT_EVENT);
  const findDuplicate = db.prepare<[Buffer], { id: number }>('SELECT id FROM events WHERE dedup_key = ?');
  const insertTime = db.prepare(INSERT_TIME);
  const insertPayload = db.prepare('INSERT INTO event_payloads (event_id, raw) VALUES (?, ?)');
  const insertSearch = db.prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)');
  const insertTag = db.prepare('INSERT OR IGNORE INTO event_tags (tag, event_id) VALUES (?, ?)');
  const insertProcess = db.prepare(
    'INSERT INTO event_processes (event_id, level, name, exepath, cmdline, pid) VALUES (?, ?, ?, ?, ?, ?)',
  );

  const batchCounts = prepareCountWriter(db);
  const batchRuns = prepareIdRunWriter(db);
  const batchGroups = prepareGroupWriter(db);
  // Of the transaction under way; counted in the metrics only once it has committed.
  const written = { clockSkewed: 0 };

  const writeOne = (
    alert: WritableAlert,
    receivedMs: number,
    counts: ReturnType<typeof batchCounts>,
    texts: [number, string][],
    runs: ReturnType<typeof batchRuns>,
    groups: ReturnType<typeof batchGroups>,
  ): WriteResult => {
    // Looked up first rather than `ON CONFLICT DO NOTHING RETURNING id`: the write transaction holds
    // the store's write lock, so nothing can come between, and the plain INSERT is faster (docs/decisions/0014).
    const existing = findDuplicate.get(alert.dedupKey);
    if (existing) return { id: existing.id, duplicate: true };
    const values: unknown[] = [
      alert.dedupKey,
      alert.uuid,
      alert.timeNs,
      receivedMs,
      alert.priority,
      alert.priorityRank,
      alert.internal ? 1 : 0,
    ];
    for (const { field } of SHAPE_COLUMNS) values.push(alert[field]);
    const atomId = groups.atomOf(alert);
    values.push(alert.evtType, alert.fdName, alert.processChain, alert.claimedTimeNs, atomId);
    const id = Number(insertEvent.run(...values).lastInsertRowid);
    if (alert.claimedTimeNs !== null) written.clockSkewed++;
    insertTime.run(id, alert.timeNs, alert.internal ? 1 : 0, alert.priorityRank);
    insertPayload.run(id, alert.packedRaw ?? packRaw(alert.raw));
    texts.push([id, indexedText(alert)]);
    for (const tag of alert.tags) insertTag.run(tag, id);
    for (const p of alert.ancestry) insertProcess.run(id, p.level, p.name, p.exepath, p.cmdline, p.pid);
    counts.add(alert);
    runs.add(id, alert.timeNs);
    groups.add(alert, id, atomId);
    return { id, duplicate: false };
  };

  /** Writes every alert of every chunk in one transaction; all or nothing (a chunk may throw). */
  const transaction = db.transaction((chunks: Iterable<readonly WritableAlert[]>): WriteResult[] => {
    written.clockSkewed = 0;
    const receivedMs = Date.now();
    const counts = batchCounts();
    const runs = batchRuns();
    const groups = batchGroups();
    const texts: [number, string][] = [];
    const results: WriteResult[] = [];
    for (const alerts of chunks)
      for (const alert of alerts) results.push(writeOne(alert, receivedMs, counts, texts, runs, groups));
    counts.write();
    runs.write();
    groups.write();
    // Last, after every upsert: a statement that may need undoing (the counts' ON CONFLICT) opens a
    // savepoint, and FTS5 writes out its buffered terms at each one, so indexing alert by alert in
    // between would make one index segment per alert, and ingest far slower (docs/decisions/0014).
    for (const [id, text] of texts) insertSearch.run(id, text);
    return results;
  });
  return { transaction, written };
}

const writers = new WeakMap<Db, ReturnType<typeof prepareWriter>>();

/** Commits the alerts now, in one transaction, and returns each one's id (existing id for duplicates). */
export function writeAlerts(db: Db, alerts: readonly WritableAlert[]): WriteResult[] {
  return writeAlertChunks(db, [alerts]);
}

/**
 * writeAlerts over chunks taken one at a time, in one transaction: a chunk may still be on its way
 * (prepared on another thread) when the first is written. Nothing is committed if taking one throws.
 */
export function writeAlertChunks(db: Db, chunks: Iterable<readonly WritableAlert[]>): WriteResult[] {
  let write = writers.get(db);
  if (!write) {
    write = prepareWriter(db);
    writers.set(db, write);
  }
  const results = write.transaction.immediate(chunks);
  if (write.written.clockSkewed > 0) ingestMetrics().clockSkewedAlerts += write.written.clockSkewed;
  notePlannerStatsChanges(db, results.length);
  return results;
}
