// The count tables, their triggers and the view of each alert's dimension keys, as the migrations
// created them, held against the dimension table (lib/filters/dimensions.ts) column for column.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COUNTED_NAMES, DIMENSIONS, SHAPE_COLUMNS, type DimensionSpec } from '../filters/dimensions';
import { prepareEntries } from '../ingest/prepare';
import { splitBody } from '../ingest/split-body';
import { openDatabase, type Db } from './connection';
import { dimensionKeys } from './event-counts';
import { writeAlerts } from './event-writer';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const alerts = prepareEntries(splitBody(readFileSync(CORPUS, 'utf8')).entries).valid.map((entry) => entry.alert);

const SHAPE = SHAPE_COLUMNS.map((c) => c.column);
const PAIRS = ['rule_container', 'rule_host'];

let db: Db;
beforeAll(() => {
  db = openDatabase(':memory:');
  // Written a day after the corpus's newest alert: its last days get quarter-hour counts (migration 0016).
  const newestMs = Number(alerts.reduce((max, a) => (a.timeNs > max ? a.timeNs : max), 0n) / 1_000_000n);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(newestMs + 86_400_000);
  writeAlerts(db, alerts);
  vi.useRealTimers();
});
afterAll(() => db.close());

const sqlOf = (type: 'trigger' | 'view', name: string) =>
  (db.prepare('SELECT sql FROM sqlite_master WHERE type = ? AND name = ?').pluck().get(type, name) as
    | string
    | undefined) ?? '';
const oldColumns = (sql: string) => new Set([...sql.matchAll(/OLD\.(\w+)/g)].map((m) => m[1]!));

describe('the count tables and the dimension table', () => {
  it.each([
    ['event_counts_15m', 'quarter'],
    ['event_counts_1h', 'hour'],
    ['event_counts_12h', 'half_day'],
  ])('%s keys its rows by the period, health, priority and the dimensions’ columns, in order', (table, period) => {
    const info = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[];
    expect(info.map((c) => c.name)).toEqual([
      period,
      'internal',
      'priority_rank',
      ...SHAPE,
      'alerts',
      'first_ns',
      'last_ns',
    ]);
    const key = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    expect(key).toEqual([period, 'internal', 'priority_rank', ...SHAPE]);
  });

  it.each(['events_uncounted', 'events_uncounted_15m'])(
    "the trigger %s takes a deleted alert off by every column, x'' for a nullable one",
    (name) => {
      const sql = sqlOf('trigger', name);
      expect(oldColumns(sql)).toEqual(new Set(['time_ns', 'internal', 'priority_rank', ...SHAPE]));
      for (const { column, nullable } of SHAPE_COLUMNS) {
        expect(sql.includes(`coalesce(OLD.${column}, x'')`)).toBe(nullable);
        expect(sql).toContain(`e.${column} ${nullable ? 'IS' : '='} OLD.${column}`);
      }
    },
  );

  it('a stored alert may change none of the counted columns', () => {
    const sql = sqlOf('trigger', 'events_immutable');
    const updated = /UPDATE OF ([\w\s,]+) ON events/
      .exec(sql)![1]!
      .split(',')
      .map((c) => c.trim());
    expect(updated).toEqual(['time_ns', 'internal', 'priority_rank', ...SHAPE]);
  });

  it('the view event_dimension_keys keys each alert as the count writer does', () => {
    expect(sqlOf('view', 'event_dimension_keys')).not.toBe('');
    const rows = db
      .prepare(`SELECT event_id AS id, dimension, nullif(value, x'') AS value, nullif(detail, x'') AS detail
      FROM event_dimension_keys ORDER BY 1, 2, 3, 4`)
      .all() as { id: number; dimension: string; value: string | null; detail: string | null }[];
    const expected = alerts.flatMap((alert, i) => {
      const names = new Set(alert.ancestry.flatMap((level) => (level.name === null ? [] : [level.name])));
      return dimensionKeys(alert, names).map(([dimension, value, detail]) => ({ id: i + 1, dimension, value, detail }));
    });
    const order = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      a.id - b.id ||
      a.dimension.localeCompare(b.dimension) ||
      String(a.value).localeCompare(String(b.value)) ||
      String(a.detail).localeCompare(String(b.detail));
    expect(rows.sort(order)).toEqual(expected.sort(order));
    expect(new Set(rows.map((row) => row.dimension))).toEqual(new Set([...COUNTED_NAMES, ...PAIRS, 'proc']));
    // The corpus holds both a missing value and a present one of every counted dimension.
    for (const name of COUNTED_NAMES) {
      const values = rows.filter((row) => row.dimension === name).map((row) => row.value);
      if ((DIMENSIONS[name] as DimensionSpec).nullable) expect(values).toContain(null);
      expect(values.some((value) => value !== null)).toBe(true);
    }
  });

  it('the trigger events_dimensions_uncounted takes the hourly dimensions off per hour', () => {
    const sql = sqlOf('trigger', 'events_dimensions_uncounted');
    const hourlyPart = sql.slice(sql.indexOf('INSERT INTO dimension_counts_1h'));
    const hourly = new Set([...hourlyPart.matchAll(/\('(\w+)', /g)].map((m) => m[1]!));
    expect(hourly).toEqual(
      new Set(COUNTED_NAMES.filter((name) => (DIMENSIONS[name] as DimensionSpec).counted!.hourly)),
    );
  });

  it('counts per shape and per dimension add up to the alerts written, and deletes take them all off', () => {
    const sum = (table: string, where = '') =>
      db.prepare(`SELECT coalesce(sum(alerts), 0) FROM ${table} ${where}`).pluck().get() as number;
    for (const table of ['event_counts_1h', 'event_counts_12h']) expect(sum(table)).toBe(alerts.length);
    // Per quarter hour only the alerts from the horizon on (migration 0016): the corpus spans years.
    const recent = db
      .prepare(
        'SELECT count(*) FROM events WHERE time_ns / 900000000000 >= (SELECT quarter FROM event_counts_15m_horizon)',
      )
      .pluck()
      .get() as number;
    expect(recent).toBeGreaterThan(0);
    expect(recent).toBeLessThan(alerts.length);
    expect(sum('event_counts_15m')).toBe(recent);
    for (const name of [...COUNTED_NAMES, ...PAIRS])
      expect(sum('dimension_counts_12h', `WHERE dimension = '${name}'`)).toBe(alerts.length);
    db.prepare('DELETE FROM events').run();
    for (const table of [
      'event_counts_15m',
      'event_counts_1h',
      'event_counts_12h',
      'dimension_counts_12h',
      'dimension_counts_1h',
    ]) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });
});
