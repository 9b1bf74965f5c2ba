import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { applyMigrations, openDatabase } from './connection';
import { migrate, pendingMigrations, readMigrations } from './migrate';
import { rangeSummary } from './range-summary';

const dirs: string[] = [];
function storeFile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'perch-migrate-'));
  dirs.push(dir);
  return path.join(dir, 'perch.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store as the first release left it: only migration 0001 applied. */
function firstReleaseStore(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(
    db,
    readMigrations().filter((m) => m.version === 1),
  );
  db.close();
}

describe('store upgrades', () => {
  it('applies every newer migration once, and nothing on the next open', () => {
    const file = storeFile();
    firstReleaseStore(file);
    const db = openDatabase(file);
    const latest = Math.max(...readMigrations().map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(pendingMigrations(db)).toEqual([]);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('0007 gives every stored alert its time row, which free text then counts', () => {
    const file = storeFile();
    const old = new Database(file);
    migrate(
      old,
      readMigrations().filter((m) => m.version <= 6),
    );
    const insert =
      old.prepare(`INSERT INTO events (dedup_key, time_ns, received_ms, priority, priority_rank, rule, internal)
      VALUES (randomblob(8), ?, 0, ?, ?, 'Some rule', ?)`);
    const NOW = Date.parse('2026-03-01T12:00:00Z');
    const alerts = [
      ['Warning', 4, 0],
      ['Critical', 2, 0],
      ['Warning', 4, 0],
      ['Debug', 7, 1],
    ] as const;
    alerts.forEach(([priority, rank, internal], i) => {
      const id = Number(
        insert.run(BigInt(NOW - (i + 1) * 60_000) * 1_000_000n, priority, rank, internal).lastInsertRowid,
      );
      old
        .prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)')
        .run(id, `some rule ${priority.toLowerCase()} shadow`);
    });
    old.close();

    const db = openDatabase(file);
    expect(db.prepare('SELECT id, time_ns, internal, priority_rank FROM event_times ORDER BY id').all()).toEqual(
      db.prepare('SELECT id, time_ns, internal, priority_rank FROM events ORDER BY id').all(),
    );
    const summary = rangeSummary(db, EventFilter.parse({ from: '1h', q: 'shadow' }), NOW);
    expect(summary.priorities.filter((p) => p.count > 0).map((p) => [p.priority, p.count])).toEqual([
      ['Critical', 1],
      ['Warning', 2],
    ]);
    expect(summary.internal).toBe(1);
    db.close();
  });

  it('0008 counts the stored alerts per quarter hour, which a day-long timeline then reads', () => {
    const file = storeFile();
    const old = new Database(file);
    migrate(
      old,
      readMigrations().filter((m) => m.version <= 7),
    );
    const insert =
      old.prepare(`INSERT INTO events (dedup_key, time_ns, received_ms, priority, priority_rank, rule, internal, container_id)
      VALUES (randomblob(8), ?, 0, 'Warning', 4, ?, 0, ?)`);
    const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
    insert.run(at('2026-03-01T10:01:00Z'), 'Shell', 'c1');
    insert.run(at('2026-03-01T10:14:59Z'), 'Shell', 'c1');
    insert.run(at('2026-03-01T10:15:00Z'), 'Shell', 'c1');
    insert.run(at('2026-03-01T10:20:00Z'), 'Shell', null);
    old.close();

    const db = openDatabase(file);
    expect(
      db
        .prepare(`SELECT quarter * 900000 AS startMs, rule, nullif(container_id, x'') AS container, alerts,
      first_ns / 1000000 AS firstMs, last_ns / 1000000 AS lastMs FROM event_counts_15m ORDER BY quarter, container IS NULL`)
        .all(),
    ).toEqual([
      {
        startMs: Date.parse('2026-03-01T10:00:00Z'),
        rule: 'Shell',
        container: 'c1',
        alerts: 2,
        firstMs: Date.parse('2026-03-01T10:01:00Z'),
        lastMs: Date.parse('2026-03-01T10:14:59Z'),
      },
      {
        startMs: Date.parse('2026-03-01T10:15:00Z'),
        rule: 'Shell',
        container: 'c1',
        alerts: 1,
        firstMs: Date.parse('2026-03-01T10:15:00Z'),
        lastMs: Date.parse('2026-03-01T10:15:00Z'),
      },
      {
        startMs: Date.parse('2026-03-01T10:15:00Z'),
        rule: 'Shell',
        container: null,
        alerts: 1,
        firstMs: Date.parse('2026-03-01T10:20:00Z'),
        lastMs: Date.parse('2026-03-01T10:20:00Z'),
      },
    ]);
    db.close();
  });

  it('0013 counts the stored alerts per dimension, as each alert keys them, and deletes take them off', () => {
    const file = storeFile();
    firstReleaseStore(file);
    const old = new Database(file);
    const insert =
      old.prepare(`INSERT INTO events (dedup_key, time_ns, received_ms, priority, priority_rank, rule, hostname, internal, container_id, image_repository, image_tag, user_name)
      VALUES (randomblob(8), ?, 0, 'Warning', 4, ?, ?, 0, ?, ?, ?, ?)`);
    const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
    const shell = insert.run(
      at('2026-03-01T10:01:00Z'),
      'Shell',
      'node-a',
      'c1',
      'nginx',
      '1.25',
      'root',
    ).lastInsertRowid;
    insert.run(at('2026-03-01T11:30:00Z'), 'Shell', 'node-a', 'host', null, null, null);
    insert.run(at('2026-03-01T13:00:00Z'), 'Shell', 'node-b', 'host', null, null, 'root');
    insert.run(at('2026-03-01T13:05:00Z'), 'Audit', null, null, null, null, '');
    const process = old.prepare('INSERT INTO event_processes (event_id, level, name) VALUES (?, ?, ?)');
    process.run(shell, 0, 'sudo');
    process.run(shell, 1, 'sudo');
    process.run(shell, 2, 'bash');
    old.close();

    const db = openDatabase(file);
    const counts = (table: string) =>
      db
        .prepare(`SELECT dimension, nullif(value, x'') AS value, nullif(detail, x'') AS detail, alerts FROM ${table}
      ORDER BY dimension, value, detail`)
        .all();
    const half = [
      ['container', null, null],
      ['container', 'c1', null],
      ['container', 'host', 'node-a'],
      ['container', 'host', 'node-b'],
      ['hostname', null, null],
      ['hostname', 'node-b', null],
    ];
    const rows = counts('dimension_counts_12h') as {
      dimension: string;
      value: string | null;
      detail: string | null;
      alerts: number;
    }[];
    for (const [dimension, value, detail] of half)
      expect(rows, `${dimension} ${value} ${detail}`).toContainEqual({ dimension, value, detail, alerts: 1 });
    expect(rows).toContainEqual({ dimension: 'hostname', value: 'node-a', detail: null, alerts: 2 });
    expect(rows).toContainEqual({ dimension: 'image', value: 'nginx', detail: '1.25', alerts: 1 });
    expect(rows).toContainEqual({ dimension: 'proc', value: 'sudo', detail: null, alerts: 1 });
    expect(rows).toContainEqual({ dimension: 'rule', value: 'Shell', detail: null, alerts: 2 });
    expect(rows).toContainEqual({ dimension: 'rule_container', value: 'Shell', detail: 'host\u001fnode-a', alerts: 1 });
    expect(rows).toContainEqual({ dimension: 'rule_container', value: 'Audit', detail: '\u001f', alerts: 1 });
    expect(rows.filter((row) => row.dimension === 'user' && row.value === 'root')).toEqual([
      { dimension: 'user', value: 'root', detail: null, alerts: 1 },
      { dimension: 'user', value: 'root', detail: null, alerts: 1 },
    ]);
    expect(rows).toContainEqual({ dimension: 'user', value: '', detail: null, alerts: 1 });
    expect(counts('dimension_counts_1h')).toContainEqual({
      dimension: 'rule',
      value: 'Shell',
      detail: null,
      alerts: 1,
    });

    db.prepare('DELETE FROM events WHERE id = ?').run(shell);
    expect(counts('dimension_counts_12h')).not.toContainEqual(expect.objectContaining({ value: 'sudo' }));
    expect(counts('dimension_counts_12h')).toContainEqual({
      dimension: 'rule',
      value: 'Shell',
      detail: null,
      alerts: 1,
    });
    expect(db.prepare('SELECT sum(alerts) AS n FROM dimension_counts_1h').get()).toEqual({ n: 6 });
    db.close();
  });

  it('refuses a read-only store that still needs a migration, naming it and the fix', () => {
    const file = storeFile();
    firstReleaseStore(file);
    const db = new Database(file, { readonly: true });
    const names = pendingMigrations(db).map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(() => applyMigrations(db, file)).toThrow(new RegExp(`read-only and needs ${names[0]}.*make it writable`));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('opens an up-to-date read-only store without writing', () => {
    const file = storeFile();
    openDatabase(file).close();
    const db = new Database(file, { readonly: true });
    expect(() => applyMigrations(db, file)).not.toThrow();
    db.close();
  });
});
