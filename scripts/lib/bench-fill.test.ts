import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../lib/db/connection';
import { importStream } from '../../lib/ingest/import-stream';
import { benchAlerts, LONG_CMDLINE } from './bench-alerts';
import { fillStore } from './bench-fill';
import { dumpStore } from './store-dump';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'perch-fill-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bench fill', () => {
  it('stores exactly what `npm run import` of the same alerts stores, in time order', async () => {
    // Three parts on two threads, so that the writer puts parts from both back in order.
    const options = { alerts: 2_500, days: 1, nowMs: Date.UTC(2025, 4, 14, 10, 17, 33), partAlerts: 1_000 };
    const lines = [...benchAlerts(options)];
    const imported = openDatabase(':memory:');
    const summary = await importStream(imported, Readable.from([lines.join('\n')]));
    expect(summary.imported).toBe(2_500);

    const file = path.join(tmp, 'filled.db');
    const result = await fillStore({ ...options, file, workers: 2 });
    expect(result.alerts).toBe(2_500);
    expect(result.long).toBe(lines.filter((line) => line.length > LONG_CMDLINE).length);
    const filled = openDatabase(file);

    const expected = dumpStore(imported);
    expect(expected.events).toHaveLength(2_500);
    expect(expected.search[0]!.length).toBeGreaterThan(10);
    expect(dumpStore(filled)).toEqual(expected);
    const times = (filled.prepare('SELECT time_ns AS t FROM events ORDER BY id').all() as { t: number }[]).map(
      (r) => r.t,
    );
    expect(times).toEqual([...times].sort((a, b) => a - b));
    imported.close();
    filled.close();
  }, 120_000);
});
