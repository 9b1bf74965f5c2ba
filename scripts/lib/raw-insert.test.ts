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
    const insert = rawInserter(raw);
    insert(alerts.slice(0, 300));
    insert(alerts.slice(300));
    const expected = dump(perch);
    expect(expected.events).toHaveLength(600);
    expect(expected.processes.length).toBeGreaterThan(600);
    expect(dump(raw)).toEqual(expected);
  }, 60_000);
});
