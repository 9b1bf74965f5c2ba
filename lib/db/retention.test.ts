import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredAlert } from '../falco/alert';
import { prepareEntries } from '../ingest/prepare';
import { splitBody } from '../ingest/split-body';
import { openDatabase, type Db } from './connection';
import { writeAlerts } from './event-writer';
import { PRUNE_BATCH, pruneAll, pruneBatch } from './retention';
import { storedAlert } from '../testing/alerts';

const NOW = Date.UTC(2026, 3, 6, 12, 0, 0);
const MINUTE = 60_000;

/** One alert `minutesAgo` before NOW, with tags and a two-level ancestry so child rows exist. */
function alertAt(minutesAgo: number, rule = `rule ${minutesAgo}`): StoredAlert {
  const value = {
    time: new Date(NOW - minutesAgo * MINUTE).toISOString(),
    rule,
    priority: 'Notice',
    tags: ['container', 'shell'],
    output_fields: { 'proc.name': 'sh', 'proc.pname': 'bash' },
  };
  return storedAlert(value);
}

const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const remainingRules = (db: Db) => db.prepare('SELECT rule FROM events ORDER BY time_ns, id').pluck().all() as string[];
const orphans = (db: Db) =>
  count(db, 'event_tags WHERE event_id NOT IN (SELECT id FROM events)') +
  count(db, 'event_processes WHERE event_id NOT IN (SELECT id FROM events)') +
  count(db, 'event_times WHERE id NOT IN (SELECT id FROM events)') +
  count(db, 'events WHERE id NOT IN (SELECT id FROM event_times)');

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('pruneBatch', () => {
  it('deletes alerts older than the retention age with their tags and ancestry', () => {
    writeAlerts(db, [alertAt(120), alertAt(90), alertAt(61), alertAt(59), alertAt(1)]);
    expect(count(db, 'event_tags')).toBe(10);
    expect(count(db, 'event_processes')).toBe(10);

    expect(pruneBatch(db, { retentionMs: 60 * MINUTE, maxEvents: null }, NOW)).toBe(3);
    expect(remainingRules(db)).toEqual(['rule 59', 'rule 1']);
    expect(count(db, 'event_tags')).toBe(4);
    expect(count(db, 'event_processes')).toBe(4);
    expect(orphans(db)).toBe(0);
    expect(pruneBatch(db, { retentionMs: 60 * MINUTE, maxEvents: null }, NOW)).toBe(0);
    // The id runs of quarters left without alerts go; the oldest kept alert's quarter stays.
    const quarterOf = (minutesAgo: number) => Math.floor((NOW - minutesAgo * MINUTE) / 900_000);
    expect(db.prepare('SELECT quarter FROM event_id_runs ORDER BY quarter').pluck().all()).toEqual([
      quarterOf(59),
      quarterOf(1),
    ]);
  });

  it('keeps an alert exactly at the cutoff', () => {
    writeAlerts(db, [alertAt(60), alertAt(60.001)]);
    expect(pruneBatch(db, { retentionMs: 60 * MINUTE, maxEvents: null }, NOW)).toBe(1);
    expect(remainingRules(db)).toEqual(['rule 60']);
  });

  it('keeps the newest N alerts by time (then arrival) under a maximum count', () => {
    // Arrival order differs from time order; two alerts share a time.
    writeAlerts(db, [
      alertAt(5, 'e'),
      alertAt(50, 'a'),
      alertAt(1, 'f'),
      alertAt(30, 'b'),
      alertAt(10, 'c'),
      alertAt(10, 'd'),
    ]);
    expect(pruneBatch(db, { retentionMs: null, maxEvents: 3 }, NOW)).toBe(3);
    expect(remainingRules(db)).toEqual(['d', 'e', 'f']);
    expect(orphans(db)).toBe(0);
    expect(pruneBatch(db, { retentionMs: null, maxEvents: 3 }, NOW)).toBe(0);
  });

  it('does nothing when under the limits or without a policy', () => {
    writeAlerts(db, [alertAt(1), alertAt(2)]);
    expect(pruneBatch(db, { retentionMs: null, maxEvents: 5 }, NOW)).toBe(0);
    expect(pruneBatch(db, { retentionMs: null, maxEvents: null }, NOW)).toBe(0);
    expect(pruneBatch(db, { retentionMs: 24 * 60 * MINUTE, maxEvents: null }, NOW)).toBe(0);
    expect(count(db, 'events')).toBe(2);
  });

  it('applies age first, then count, within one batch', () => {
    writeAlerts(db, [alertAt(200), alertAt(100), alertAt(3), alertAt(2), alertAt(1)]);
    expect(pruneBatch(db, { retentionMs: 60 * MINUTE, maxEvents: 2 }, NOW)).toBe(3);
    expect(remainingRules(db)).toEqual(['rule 2', 'rule 1']);
  });

  it('deletes at most one batch per call', () => {
    const total = PRUNE_BATCH * 2 + 37;
    writeAlerts(
      db,
      Array.from({ length: total }, (_, i) => alertAt(1000 + i)),
    );
    const policy = { retentionMs: 60 * MINUTE, maxEvents: null };
    expect(pruneBatch(db, policy, NOW)).toBe(PRUNE_BATCH);
    // The oldest go first.
    expect(remainingRules(db)[0]).toBe(`rule ${1000 + total - PRUNE_BATCH - 1}`);
    // Then full batches until the rest, which is smaller than one.
    let removed = PRUNE_BATCH;
    let last = pruneBatch(db, policy, NOW);
    while (last === PRUNE_BATCH) {
      removed += last;
      last = pruneBatch(db, policy, NOW);
    }
    expect(last).toBe(total % PRUNE_BATCH);
    expect(removed + last).toBe(total);
    expect(count(db, 'events')).toBe(0);
    expect(pruneBatch(db, { retentionMs: null, maxEvents: 1 }, NOW, 10)).toBe(0);
  });

  it('shares the batch between age and count', () => {
    writeAlerts(
      db,
      Array.from({ length: 30 }, (_, i) => alertAt(i < 8 ? 1000 + i : i)),
    );
    // 8 are too old; the count limit wants 30 - 5 = 25 gone in all. A batch of 10 takes 8 + 2.
    expect(pruneBatch(db, { retentionMs: 60 * MINUTE, maxEvents: 5 }, NOW, 10)).toBe(10);
    expect(count(db, 'events')).toBe(20);
  });
});

describe('pruneAll', () => {
  it('prunes in batches until the policy holds, leaving no orphaned child rows', async () => {
    const total = PRUNE_BATCH * 2 + 100;
    writeAlerts(
      db,
      Array.from({ length: total }, (_, i) => alertAt(i)),
    );
    expect(count(db, 'event_tags')).toBe(total * 2);
    const deleted = await pruneAll(db, { retentionMs: null, maxEvents: 50 }, NOW);
    expect(deleted).toBe(total - 50);
    expect(count(db, 'events')).toBe(50);
    // The 50 newest survive.
    expect(remainingRules(db)).toEqual(Array.from({ length: 50 }, (_, i) => `rule ${49 - i}`));
    expect(count(db, 'event_tags')).toBe(100);
    expect(count(db, 'event_processes')).toBe(100);
    expect(orphans(db)).toBe(0);
  });

  it('returns 0 without a policy or when nothing is due', async () => {
    writeAlerts(db, [alertAt(1000)]);
    expect(await pruneAll(db, { retentionMs: null, maxEvents: null }, NOW)).toBe(0);
    expect(await pruneAll(db, { retentionMs: 10_000 * MINUTE, maxEvents: 10 }, NOW)).toBe(0);
    expect(count(db, 'events')).toBe(1);
  });

  it('prunes exactly one full batch and stops', async () => {
    writeAlerts(
      db,
      Array.from({ length: PRUNE_BATCH }, (_, i) => alertAt(100 + i)),
    );
    expect(await pruneAll(db, { retentionMs: 60 * MINUTE, maxEvents: null }, NOW)).toBe(PRUNE_BATCH);
    expect(count(db, 'events')).toBe(0);
  });
});

describe('alerts dated far ahead of their arrival (PERCH_MAX_CLOCK_SKEW)', () => {
  /** Alerts as ingest prepares them when they arrive at `arrivedMs`. */
  const arriving = (arrivedMs: number, values: Record<string, unknown>[]) =>
    prepareEntries(splitBody(values.map((v) => JSON.stringify(v)).join('\n')).entries, { nowMs: arrivedMs }).valid.map(
      (e) => e.alert,
    );
  const junk = (i: number) => ({
    time: `2262-01-01T00:00:${String(i).padStart(2, '0')}Z`,
    rule: `junk ${i}`,
    priority: 'Debug',
    output: 'j',
  });
  const real = (i: number, arrivedMs: number) => ({
    time: new Date(arrivedMs - 1_000).toISOString(),
    rule: `real ${i}`,
    priority: 'Critical',
    output: 'r',
  });

  it('do not make the count limit delete genuine alerts that arrived after them', async () => {
    writeAlerts(
      db,
      arriving(
        NOW - 10 * MINUTE,
        Array.from({ length: 20 }, (_, i) => junk(i)),
      ),
    );
    for (let i = 0; i < 10; i++) writeAlerts(db, arriving(NOW - (9 - i) * MINUTE, [real(i, NOW - (9 - i) * MINUTE)]));
    expect(await pruneAll(db, { retentionMs: null, maxEvents: 20 }, NOW)).toBe(10);
    const kept = remainingRules(db);
    expect(kept.filter((rule) => rule.startsWith('real'))).toHaveLength(10);
    expect(kept.filter((rule) => rule.startsWith('junk'))).toHaveLength(10);
    // A genuine alert arriving now pushes out the oldest arrival, never itself.
    writeAlerts(db, arriving(NOW, [real(10, NOW)]));
    expect(pruneBatch(db, { retentionMs: null, maxEvents: 20 }, NOW)).toBe(1);
    expect(remainingRules(db).at(-1)).toBe('real 10');
    expect(remainingRules(db).filter((rule) => rule.startsWith('real'))).toHaveLength(11);
  });

  it('age out like the alerts that arrived with them', async () => {
    writeAlerts(db, arriving(NOW - 90 * MINUTE, [junk(0), real(0, NOW - 90 * MINUTE)]));
    writeAlerts(db, arriving(NOW - 30 * MINUTE, [junk(1), real(1, NOW - 30 * MINUTE)]));
    expect(await pruneAll(db, { retentionMs: 60 * MINUTE, maxEvents: null }, NOW)).toBe(2);
    expect(remainingRules(db)).toEqual(['real 1', 'junk 1']);
  });
});
