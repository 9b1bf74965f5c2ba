import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../lib/db/connection';
import { writeAlerts } from '../../lib/db/event-writer';
import { prepareEntries } from '../../lib/ingest/prepare';
import { splitBody } from '../../lib/ingest/split-body';
import { benchAlerts } from './bench-alerts';
import { rawInserter } from './raw-insert';
import { dumpStore } from './store-dump';

describe('raw insert', () => {
  it('stores exactly the rows Perch stores for the same alerts', () => {
    const nowMs = Date.UTC(2025, 4, 14, 10);
    const lines = [...benchAlerts({ alerts: 600, days: 1, nowMs })];
    // Written then: quarter-hour counts are kept for the last days only (migration 0016).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nowMs);
    const { valid } = prepareEntries(lines.map((line) => splitBody(line).entries[0]!));
    const alerts = valid.map((entry) => entry.alert);
    const perch = openDatabase(':memory:');
    const raw = openDatabase(':memory:');
    writeAlerts(perch, alerts.slice(0, 300));
    writeAlerts(perch, alerts.slice(300));
    const inserter = rawInserter(raw);
    inserter.insert(inserter.prepare(alerts.slice(0, 300)));
    inserter.insert(inserter.prepare(alerts.slice(300)));
    const expected = dumpStore(perch);
    expect(expected.events).toHaveLength(600);
    expect(expected.processes.length).toBeGreaterThan(600);
    expect(expected.counts[0]!.length).toBeGreaterThan(10);
    expect(expected.search[0]!.length).toBeGreaterThan(10);
    vi.useRealTimers();
    expect(dumpStore(raw)).toEqual(expected);
  }, 60_000);
});
