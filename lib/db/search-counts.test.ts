import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FalcoAlert, toStoredAlert, type StoredAlert } from '../falco/alert';
import { EventFilter } from '../filters/event-filter';
import { openDatabase, type Db } from './connection';
import { writeAlerts } from './event-writer';
import { readMigrations } from './migrate';
import { searchSummaryCounts, searchTimelineRows } from './search-counts';
import { rangeSummary } from './range-summary';
import { timeline } from './timeline';

// Free text's counts read along the id runs of migration 0014 must equal the plain read of every
// match (`rawOnly`), and a count over `events` written out in SQL, whatever the order of the ids.

const NOW = Date.parse('2026-03-01T12:00:00Z');
const MINUTE = 60_000;
const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

let n = 0;
/** An alert `minutesAgo` (plus some seconds, so alerts fall all over their quarter) with `words` in its output. */
function alert(minutesAgo: number, words: string, priority: string, internal = false): StoredAlert {
  n++;
  const raw = {
    time: new Date(NOW - minutesAgo * MINUTE - (n % 53) * 1_000).toISOString(),
    rule: internal ? 'Falco internal: syscall event drop' : 'Test rule',
    priority,
    source: internal ? 'internal' : 'syscall',
    output: `${words} alert ${n}`,
    hostname: 'node-1',
    output_fields: {},
  };
  return toStoredAlert(FalcoAlert.parse(raw), {}, JSON.stringify(raw));
}

/** `count` alerts from `fromMinutesAgo` towards now, priorities and health events mixed, most with "common". */
function alerts(count: number, fromMinutesAgo: number, stepMinutes: number): StoredAlert[] {
  return Array.from({ length: count }, (_, i) => {
    const words = i % 10 === 9 ? 'other words' : i % 3 === 0 ? 'common shell here' : 'common word';
    return alert(fromMinutesAgo - i * stepMinutes, words, PRIORITIES[(i * 7) % 8]!, i % 41 === 0);
  });
}

let db: Db;
beforeAll(() => {
  db = openDatabase(':memory:');
  // Three days in arrival order, then alerts of the same days imported late (ids after all of them).
  for (let batch = 0; batch < 30; batch++) writeAlerts(db, alerts(1_000, 3 * 1440 - batch * 144, 0.144));
  for (let batch = 0; batch < 4; batch++) writeAlerts(db, alerts(1_000, 3 * 1440 - 30 - batch * 300, 0.29));
  // One batch of alerts from either side of the last day's start, taking turns: their ids interleave.
  writeAlerts(
    db,
    alerts(1_000, 1500, 0.06).map((a, i) => (i % 2 === 0 ? a : alert(600 - i * 0.06, 'common word', 'Error'))),
  );
  // Deleted alerts, the newest among them: their ids come back for the alerts written next.
  db.prepare('DELETE FROM events WHERE id % 97 = 0 OR id > (SELECT max(id) - 300 FROM events)').run();
  writeAlerts(db, alerts(600, 2 * 1440, 1.5));
}, 60_000);
afterAll(() => db.close());

const f = (input: Record<string, unknown>) => EventFilter.parse(input);

const FILTERS: Record<string, unknown>[] = [
  { from: '24h', q: 'common' },
  { from: '7d', q: 'common' },
  { from: '3d', q: 'common word' },
  { from: '3d', q: 'common', internal: 'include' },
  { from: '3d', q: 'common', internal: 'only' },
  { from: '3d', q: 'common', minPriority: 'Warning' },
  { from: '3d', q: 'common', priority: ['Error', 'Debug'] },
  // Edges inside a quarter hour, to the nanosecond.
  { from: '2026-02-27T10:07:13.123456789Z', to: '2026-02-28T23:52:01.5Z', q: 'common' },
  { from: '2026-02-28T07:41:00Z', to: '2026-02-28T08:03:00Z', q: 'common' },
];

describe('free-text counts along id runs', () => {
  it.each(FILTERS)('timeline by priority as the plain read gives it: %j', (input) => {
    const filter = f(input);
    expect(timeline(db, filter, 'priority', 8, NOW)).toEqual(
      timeline(db, filter, 'priority', 8, NOW, { rawOnly: true }),
    );
  });

  it.each(FILTERS)('summary as the plain read gives it: %j', (input) => {
    const filter = f(input);
    expect(rangeSummary(db, filter, NOW)).toEqual(rangeSummary(db, filter, NOW, { rawOnly: true }));
  });

  it('reads along the runs for a common word, and counts as SQL over events does', () => {
    const filter = f({ from: '3d', q: 'common' });
    const range = timeline(db, filter, 'priority', 8, NOW);
    expect(searchTimelineRows(db, filter, NOW, range.from, range.to, range.widthMs)).not.toBeNull();
    const fromNs = BigInt(NOW - 3 * 1440 * MINUTE) * 1_000_000n;
    const spans = {
      fromNs,
      toNs: undefined,
      previousFromNs: fromNs - 3n * 1440n * 60_000_000_000n,
      previousToNs: fromNs,
    };
    const counts = searchSummaryCounts(db, filter, spans);
    expect(counts).not.toBeNull();
    const expected = db
      .prepare(
        `SELECT count(*) FILTER (WHERE internal = 0) AS alerts, count(*) FILTER (WHERE internal = 1) AS internal FROM events e
       JOIN event_search s ON s.rowid = e.id WHERE s.event_search MATCH 'common' AND e.time_ns >= ?`,
      )
      .get(fromNs) as { alerts: number; internal: number };
    expect(expected.internal).toBeGreaterThan(0);
    expect(counts!.current.total).toBe(expected.alerts);
    expect(counts!.internal).toBe(expected.internal);
    expect(range.buckets.reduce((sum, bucket) => sum + bucket.total, 0)).toBe(expected.alerts);
  });

  it('leaves a word of few alerts and a prefix to the plain read', () => {
    writeAlerts(db, [alert(30, 'seldom', 'Error')]);
    const range = timeline(db, f({ from: '3d', q: 'seldom' }), 'priority', 8, NOW);
    expect(range.buckets.reduce((sum, bucket) => sum + bucket.total, 0)).toBe(1);
    expect(searchTimelineRows(db, f({ from: '3d', q: 'seldom' }), NOW, range.from, range.to, range.widthMs)).toBeNull();
    expect(searchTimelineRows(db, f({ from: '3d', q: 'comm*' }), NOW, range.from, range.to, range.widthMs)).toBeNull();
  });
});

describe('id runs', () => {
  const uncovered = (store: Db) =>
    store
      .prepare(
        `SELECT count(*) AS n FROM event_times t WHERE NOT EXISTS (SELECT 1 FROM event_id_runs r
         WHERE r.quarter = t.time_ns / 900000000000 AND t.id BETWEEN r.first_id AND r.last_id)`,
      )
      .get() as { n: number };

  it('hold every alert as the writer keeps them', () => {
    expect(uncovered(db)).toEqual({ n: 0 });
  });

  it('hold every alert as the migration makes them, a run per stretch of a quarter', () => {
    const store = openDatabase(':memory:');
    writeAlerts(store, alerts(2_000, 600, 0.25));
    writeAlerts(store, alerts(500, 700, 1));
    store.exec('DROP TABLE event_id_runs');
    store.exec(readMigrations().find((m) => m.version === 14)!.sql);
    expect(uncovered(store)).toEqual({ n: 0 });
    // The late import of old alerts starts runs of its own instead of widening the first ones.
    const spanned = store.prepare('SELECT sum(last_id - first_id + 1) AS ids FROM event_id_runs').get() as {
      ids: number;
    };
    expect(spanned.ids).toBeLessThan(2 * 2_500);
    store.close();
  });
});

describe('a read along a run', () => {
  it('seeks the word index to the run and sorts nothing', () => {
    const sqls: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      sqls.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    try {
      const filter = f({ from: '3d', q: 'common', priority: ['Error', 'Notice', 'Debug'] });
      const range = timeline(db, filter, 'priority', 8, NOW, { rawOnly: true });
      expect(searchTimelineRows(db, filter, NOW, range.from, range.to, range.widthMs)).not.toBeNull();
    } finally {
      db.prepare = prepare;
    }
    const read = sqls.find((sql) => sql.includes('s.rowid >= @firstId'))!;
    const params = Object.fromEntries(
      [...new Set(read.match(/@\w+/g))].map((name) => [name.slice(1), name === '@q' ? '"word"' : 1n]),
    );
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${read}`).all(params) as { detail: string }[])
      .map((row) => row.detail)
      .join('; ');
    expect(plan).toMatch(/^SCAN s VIRTUAL TABLE INDEX \d+:M\d*\S*; SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)$/);
  });
});
