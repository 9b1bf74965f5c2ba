// For tests that compare two stores filled different ways (raw insert, direct fill, import):
// every table the UI reads, in a stable order, with what may differ between fills left out.
import type { Db } from '../../lib/db/connection';

export const dumpStore = (db: Db) => ({
  // received_ms is the moment of writing, different in each fill.
  events: db
    .prepare('SELECT * FROM events ORDER BY id')
    .all()
    .map((row) => ({ ...(row as object), received_ms: 0 })),
  payloads: db.prepare('SELECT * FROM event_payloads ORDER BY event_id').all(),
  tags: db.prepare('SELECT * FROM event_tags ORDER BY event_id, tag').all(),
  processes: db.prepare('SELECT * FROM event_processes ORDER BY event_id, level').all(),
  counts: [
    'event_counts_15m',
    'event_counts_1h',
    'event_counts_12h',
    'tag_counts_1h',
    'process_counts_1h',
    'priority_counts_15m',
  ].map((table) =>
    db
      .prepare(`SELECT * FROM ${table}`)
      .all()
      .map((row) => JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
      .sort(),
  ),
  // The word index answers the same searches (it keeps no text to compare directly).
  search: ['etc', 'shell', 'sh', 'no-such-text'].map((q) =>
    db.prepare('SELECT rowid FROM event_search WHERE event_search MATCH ? ORDER BY rowid').all(`"${q}"*`),
  ),
  schema: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all(),
  version: db.pragma('user_version', { simple: true }),
});
