import { describe, expect, it } from 'vitest';
import { FalcoAlert, toStoredAlert, type StoredAlert } from '../falco/alert';
import { openDatabase, type Db } from './connection';
import { writeAlerts } from './event-writer';
import { pruneAll } from './retention';
import { storeStats } from './store-stats';

const LIMIT = 512 * 1024;

/** An alert with a big output, so a few dozen fill the store. */
function bigAlert(i: number): StoredAlert {
  const value = {
    time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    rule: `rule ${i}`,
    priority: 'Warning',
    output: `alert ${i} ${'x'.repeat(4096)}`,
    tags: ['container'],
    output_fields: { 'proc.name': 'sh', 'proc.pname': 'bash' },
  };
  return toStoredAlert(FalcoAlert.parse(value), value.output_fields, JSON.stringify(value));
}

const errorCode = (work: () => unknown) => {
  try {
    work();
    return null;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

/** Writes alerts one transaction each until the store refuses one; returns how many went in. */
function fill(db: Db, from: number): number {
  for (let i = from; i < from + 10_000; i++) {
    const code = errorCode(() => writeAlerts(db, [bigAlert(i)]));
    if (code !== null) {
      expect(code).toBe('SQLITE_FULL');
      return i - from;
    }
  }
  throw new Error('the store never filled up');
}

describe('PERCH_MAX_STORE_SIZE', () => {
  it('refuses writes with SQLITE_FULL at the cap and keeps serving reads', () => {
    const db = openDatabase(':memory:', { maxStoreBytes: LIMIT });
    const written = fill(db, 0);
    expect(written).toBeGreaterThan(20);
    const stats = storeStats(db);
    expect(stats.maxBytes).toBeLessThanOrEqual(LIMIT);
    expect(stats.bytes).toBeLessThanOrEqual(stats.maxBytes);
    expect(stats.alerts).toBe(written);
    // A failed transaction leaves nothing behind.
    expect(db.prepare('SELECT count(*) AS n FROM event_payloads').get()).toEqual({ n: written });
  });

  it('takes alerts again once retention has freed pages, round after round', async () => {
    const db = openDatabase(':memory:', { maxStoreBytes: LIMIT });
    let next = 0;
    for (let round = 0; round < 5; round++) {
      next += fill(db, next) + 1;
      // Pruning a full store needs no new pages.
      const deleted = await pruneAll(db, { retentionMs: null, maxEvents: 10 });
      expect(deleted).toBeGreaterThan(0);
      expect(storeStats(db).freeBytes).toBeGreaterThan(0);
      expect(() => writeAlerts(db, [bigAlert(next++)])).not.toThrow();
    }
    // The file did not grow past the cap while it was reused.
    expect(storeStats(db).bytes).toBeLessThanOrEqual(LIMIT);
  });

  it('leaves a store without the setting unlimited but by the disk', () => {
    const db = openDatabase(':memory:');
    expect(storeStats(db).maxBytes).toBeGreaterThan(1024 ** 4);
  });
});
