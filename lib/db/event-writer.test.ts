import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { importStream } from '../ingest/import-stream';
import { prepareEntries } from '../ingest/prepare';
import { splitBody } from '../ingest/split-body';
import { openDatabase, type Db } from './connection';
import { getEventOrThrow, listEvents } from './event-queries';
import { writeAlerts } from './event-writer';
import { ingestMetrics } from '../metrics/ingest-metrics';
import { storedAlert } from '../testing/alerts';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusText = readFileSync(CORPUS, 'utf8');
const corpusLines = corpusText.split('\n').filter((line) => line !== '');

const prepared = (body: string) => prepareEntries(splitBody(body).entries).valid.map((entry) => entry.alert);
const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('writeAlerts', () => {
  it('returns new ids in order and writes tags and ancestry rows', () => {
    const results = writeAlerts(db, prepared(corpusText));
    expect(results).toEqual(corpusLines.map((_, i) => ({ id: i + 1, duplicate: false })));
    expect(count(db, 'events')).toBe(87);
    const expectedTags = corpusLines.reduce(
      (sum, line) => sum + ((JSON.parse(line) as { tags?: string[] }).tags?.length ?? 0),
      0,
    );
    expect(count(db, 'event_tags')).toBe(expectedTags);
    expect(db.prepare('SELECT level, name FROM event_processes WHERE event_id = 16 ORDER BY level').all()).toEqual([
      { level: 0, name: 'cat' },
      { level: 1, name: 'sudo' },
      { level: 2, name: 'sudo' },
      { level: 3, name: 'zsh' },
      { level: 4, name: 'kitty' },
    ]);
  });

  it('stores the nanosecond time exactly', () => {
    writeAlerts(db, prepared(corpusLines[0]!));
    expect(db.prepare('SELECT CAST(time_ns AS TEXT) AS t FROM events').get()).toEqual({ t: '1685022245478445995' });
  });

  it('reports a redelivered alert as a duplicate with the id of the first copy', () => {
    const alerts = prepared(corpusText);
    const first = writeAlerts(db, alerts);
    const processes = count(db, 'event_processes');
    const second = writeAlerts(db, alerts);
    expect(second).toEqual(first.map(({ id }) => ({ id, duplicate: true })));
    expect(count(db, 'events')).toBe(87);
    expect(count(db, 'event_processes')).toBe(processes);
  });

  it('does not add tag or ancestry rows for a duplicate', () => {
    const [alert] = prepared(corpusLines[15]!);
    writeAlerts(db, [alert!]);
    const tags = count(db, 'event_tags');
    const processes = count(db, 'event_processes');
    expect(writeAlerts(db, [alert!])).toEqual([{ id: 1, duplicate: true }]);
    expect(count(db, 'event_tags')).toBe(tags);
    expect(count(db, 'event_processes')).toBe(processes);
  });

  it('treats a duplicate inside one batch as a duplicate of its first copy', () => {
    const [a] = prepared(corpusLines[0]!);
    const [b] = prepared(corpusLines[1]!);
    expect(writeAlerts(db, [a!, b!, a!])).toEqual([
      { id: 1, duplicate: false },
      { id: 2, duplicate: false },
      { id: 1, duplicate: true },
    ]);
  });

  it('deduplicates by uuid when there is one', () => {
    const base = { time: '2024-01-01T00:00:00Z', rule: 'r', priority: 'Notice', uuid: 'u-1' };
    const [first] = writeAlerts(db, [storedAlert({ ...base, output: 'one' })]);
    const [again] = writeAlerts(db, [storedAlert({ ...base, output: 'two', hostname: 'elsewhere' })]);
    const [other] = writeAlerts(db, [storedAlert({ ...base, uuid: 'u-2', output: 'one' })]);
    expect(again).toEqual({ id: first!.id, duplicate: true });
    expect(other!.duplicate).toBe(false);
    expect(getEventOrThrow(db, first!.id).output).toBe('one');
  });

  it('writes all or nothing', () => {
    const [good] = prepared(corpusLines[0]!);
    const bad = {
      ...storedAlert({ time: '2024-01-01T00:00:00Z', rule: 'r', priority: 'Notice' }),
      rule: null as unknown as string,
    };
    expect(() => writeAlerts(db, [good!, bad])).toThrow();
    expect(count(db, 'events')).toBe(0);
    expect(count(db, 'event_tags')).toBe(0);
    expect(writeAlerts(db, [good!])).toEqual([{ id: 1, duplicate: false }]);
  });

  it('stores pids and exe paths of the chain and shows them in list and detail', () => {
    const [result] = writeAlerts(db, [
      storedAlert({
        time: '2024-01-01T00:00:00Z',
        rule: 'Shell with pids',
        priority: 'Warning',
        output_fields: {
          'proc.name': 'cat',
          'proc.pid': 4242,
          'proc.exepath': '/usr/bin/cat',
          'proc.pname': 'sudo',
          'proc.ppid': 4241,
          'proc.aname[2]': 'bash',
          'proc.apid[2]': 4000,
          'proc.acmdline[2]': '-bash',
          'proc.pid.ts': 1704067200123456789n,
        },
      }),
    ]);
    const detail = getEventOrThrow(db, result!.id);
    expect(detail.ancestry).toEqual([
      { level: 0, name: 'cat', exepath: '/usr/bin/cat', cmdline: null, pid: 4242 },
      { level: 1, name: 'sudo', exepath: null, cmdline: null, pid: 4241 },
      { level: 2, name: 'bash', exepath: null, cmdline: '-bash', pid: 4000 },
    ]);
    expect(detail.output_fields['proc.pid.ts']).toBe(1704067200123456789n);
    const [summary] = listEvents(db, EventFilter.parse({}), { limit: 10 }).events;
    expect(summary).toMatchObject({ procName: 'cat', procPid: 4242, parentName: 'sudo', parentPid: 4241 });
  });

  it('is what importStream uses: a second import of the corpus is all duplicates', async () => {
    expect(await importStream(db, Readable.from([corpusText]))).toMatchObject({ imported: 87, duplicates: 0 });
    expect(await importStream(db, Readable.from([corpusText]))).toMatchObject({ imported: 0, duplicates: 87 });
    expect(count(db, 'events')).toBe(87);
  });

  describe('an alert dated too far ahead of its arrival', () => {
    const NOW = Date.parse('2026-04-06T12:34:56.789Z');
    const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
    const arrivedAt = (nowMs: number, ...values: Record<string, unknown>[]) =>
      prepareEntries(splitBody(values.map((v) => JSON.stringify(v)).join('\n')).entries, { nowMs }).valid.map(
        (entry) => entry.alert,
      );
    const future = {
      time: '2262-01-01T00:00:00Z',
      rule: 'From the future',
      priority: 'Debug',
      output: 'j',
      hostname: 'h',
    };
    const genuine = { time: '2026-04-06T12:30:00Z', rule: 'Genuine', priority: 'Critical', output: 'g', hostname: 'h' };

    it('is stored, counted and listed at its arrival, with the time Falco gave beside it', () => {
      const skewedBefore = ingestMetrics().clockSkewedAlerts;
      // Written at its arrival: quarter-hour counts are kept for the last days only (migration 0016).
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW);
      const [f, g] = writeAlerts(db, arrivedAt(NOW, future, genuine));
      vi.useRealTimers();
      expect(
        db
          .prepare('SELECT id, CAST(time_ns AS TEXT) AS t, CAST(claimed_time_ns AS TEXT) AS c FROM events ORDER BY id')
          .all(),
      ).toEqual([
        { id: f!.id, t: String(BigInt(NOW) * 1_000_000n), c: String(ns(future.time)) },
        { id: g!.id, t: String(ns(genuine.time)), c: null },
      ]);
      expect(db.prepare('SELECT CAST(time_ns AS TEXT) AS t FROM event_times WHERE id = ?').get(f!.id)).toEqual({
        t: String(BigInt(NOW) * 1_000_000n),
      });
      // The counts read by every chart and total see the same time as the alert's row.
      for (const [table, period, size] of [
        ['event_counts_15m', 'quarter', 900_000],
        ['event_counts_1h', 'hour', 3_600_000],
        ['event_counts_12h', 'half_day', 43_200_000],
      ] as const) {
        expect(
          db
            .prepare(`SELECT ${period} AS period, CAST(first_ns AS TEXT) AS firstNs FROM ${table} WHERE rule = ?`)
            .all(future.rule),
          table,
        ).toEqual([{ period: Math.floor(NOW / size), firstNs: String(BigInt(NOW) * 1_000_000n) }]);
      }
      const { events } = listEvents(db, EventFilter.parse({ from: '24h' }), { limit: 10 }, NOW + 1_000);
      expect(events.map((e) => [e.rule, e.time, e.claimedTime])).toEqual([
        ['From the future', '2026-04-06T12:34:56.789000000Z', '2262-01-01T00:00:00.000000000Z'],
        ['Genuine', '2026-04-06T12:30:00.000000000Z', undefined],
      ]);
      expect('claimedTime' in events[1]!).toBe(false);
      const detail = getEventOrThrow(db, f!.id);
      expect([detail.time, detail.claimedTime, detail.raw]).toEqual([
        '2026-04-06T12:34:56.789000000Z',
        '2262-01-01T00:00:00.000000000Z',
        JSON.stringify(future),
      ]);
      expect(ingestMetrics().clockSkewedAlerts - skewedBefore).toBe(1);
    });

    it('is clamped by an import only when ahead of the clock of the import: old exports keep their times', async () => {
      const lines = [corpusLines[0]!, JSON.stringify(future)].join('\n');
      const before = BigInt(Date.now()) * 1_000_000n;
      expect(await importStream(db, Readable.from([lines]))).toMatchObject({ imported: 2, invalid: [] });
      const rows = db
        .prepare('SELECT CAST(time_ns AS TEXT) AS t, CAST(claimed_time_ns AS TEXT) AS c FROM events ORDER BY id')
        .all() as { t: string; c: string | null }[];
      expect(rows[0]).toEqual({ t: '1685022245478445995', c: null });
      expect(rows[1]!.c).toBe(String(ns(future.time)));
      expect(BigInt(rows[1]!.t) >= before && BigInt(rows[1]!.t) <= BigInt(Date.now()) * 1_000_000n).toBe(true);
    });

    it('is a duplicate when delivered again later, and counted in the metrics only once committed', () => {
      const skewedBefore = ingestMetrics().clockSkewedAlerts;
      const [first] = writeAlerts(db, arrivedAt(NOW, future));
      expect(writeAlerts(db, arrivedAt(NOW + 60_000, future))).toEqual([{ id: first!.id, duplicate: true }]);
      const bad = { ...arrivedAt(NOW, { ...future, output: 'other' })[0]!, rule: null as unknown as string };
      expect(() => writeAlerts(db, [...arrivedAt(NOW, { ...future, output: 'third' }), bad])).toThrow();
      expect(count(db, 'events')).toBe(1);
      expect(ingestMetrics().clockSkewedAlerts - skewedBefore).toBe(1);
    });
  });
});
