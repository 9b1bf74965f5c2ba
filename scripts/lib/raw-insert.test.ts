import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../lib/db/connection';
import { writeAlerts } from '../../lib/db/event-writer';
import { prepareEntries } from '../../lib/ingest/prepare';
import { splitBody } from '../../lib/ingest/split-body';
import { benchAlerts } from './bench-alerts';
import { rawInserter } from './raw-insert';

const dump = (db: Db) => ({
  events: db.prepare('SELECT * FROM events ORDER BY id').all().map((row) => ({ ...(row as object), received_ms: 0 })),
  payloads: db.prepare('SELECT * FROM event_payloads ORDER BY event_id').all(),
  tags: db.prepare('SELECT * FROM event_tags ORDER BY event_id, tag').all(),
  processes: db.prepare('SELECT * FROM event_processes ORDER BY event_id, level').all(),
  counts: ['event_counts_1h', 'event_counts_12h', 'tag_counts_1h', 'process_counts_1h'].map((table) =>
    db.prepare(`SELECT * FROM ${table}`).all().map((row) => JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).sort()),
  // The word index answers the same searches (it keeps no text to compare directly).
  search: ['etc', 'shell', 'no-such-text'].map((q) => db.prepare('SELECT rowid FROM event_search WHERE event_search MATCH ? ORDER BY rowid').all(`"${q}"*`)),
});

describe('raw insert', () => {
  it('stores exactly the rows Perch stores for the same alerts', () => {
    const lines = [...benchAlerts({ alerts: 600, days: 1, nowMs: Date.UTC(2025, 4, 14, 10) })];
    const { valid } = prepareEntries(lines.map((line) => splitBody(line).entries[0]!));
    const alerts = valid.map((entry) => entry.alert);
    const perch = openDatabase(':memory:');
    const raw = openDatabase(':memory:');
    writeAlerts(perch, alerts.slice(0, 300));
    writeAlerts(perch, alerts.slice(300));
    const inserter = rawInserter(raw);
    inserter.insert(inserter.prepare(alerts.slice(0, 300)));
    inserter.insert(inserter.prepare(alerts.slice(300)));
    const expected = dump(perch);
    expect(expected.events).toHaveLength(600);
    expect(expected.processes.length).toBeGreaterThan(600);
    expect(expected.counts[0]!.length).toBeGreaterThan(10);
    expect(expected.search[0]!.length).toBeGreaterThan(10);
    expect(dump(raw)).toEqual(expected);
  }, 60_000);
});
