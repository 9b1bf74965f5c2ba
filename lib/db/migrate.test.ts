import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { applyMigrations, openDatabase } from './connection';
import { migrate, pendingMigrations, readMigrations } from './migrate';
import { rangeSummary } from './stats-queries';

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
  migrate(db, readMigrations().filter((m) => m.version === 1));
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
    migrate(old, readMigrations().filter((m) => m.version <= 6));
    const insert = old.prepare(`INSERT INTO events (dedup_key, time_ns, received_ms, priority, priority_rank, rule, internal)
      VALUES (randomblob(8), ?, 0, ?, ?, 'Some rule', ?)`);
    const NOW = Date.parse('2026-03-01T12:00:00Z');
    const alerts = [['Warning', 4, 0], ['Critical', 2, 0], ['Warning', 4, 0], ['Debug', 7, 1]] as const;
    alerts.forEach(([priority, rank, internal], i) => {
      const id = Number(insert.run(BigInt(NOW - (i + 1) * 60_000) * 1_000_000n, priority, rank, internal).lastInsertRowid);
      old.prepare('INSERT INTO event_search (rowid, text) VALUES (?, ?)').run(id, `some rule ${priority.toLowerCase()} shadow`);
    });
    old.close();

    const db = openDatabase(file);
    expect(db.prepare('SELECT id, time_ns, internal, priority_rank FROM event_times ORDER BY id').all())
      .toEqual(db.prepare('SELECT id, time_ns, internal, priority_rank FROM events ORDER BY id').all());
    const summary = rangeSummary(db, EventFilter.parse({ from: '1h', q: 'shadow' }), NOW);
    expect(summary.priorities.filter((p) => p.count > 0).map((p) => [p.priority, p.count])).toEqual([['Critical', 1], ['Warning', 2]]);
    expect(summary.internal).toBe(1);
    db.close();
  });

  it('0008 counts the stored alerts per quarter hour, which a day-long timeline then reads', () => {
    const file = storeFile();
    const old = new Database(file);
    migrate(old, readMigrations().filter((m) => m.version <= 7));
    const insert = old.prepare(`INSERT INTO events (dedup_key, time_ns, received_ms, priority, priority_rank, rule, internal, container_id)
      VALUES (randomblob(8), ?, 0, 'Warning', 4, ?, 0, ?)`);
    const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
    insert.run(at('2026-03-01T10:01:00Z'), 'Shell', 'c1');
    insert.run(at('2026-03-01T10:14:59Z'), 'Shell', 'c1');
    insert.run(at('2026-03-01T10:15:00Z'), 'Shell', 'c1');
    insert.run(at('2026-03-01T10:20:00Z'), 'Shell', null);
    old.close();

    const db = openDatabase(file);
    expect(db.prepare(`SELECT quarter * 900000 AS startMs, rule, nullif(container_id, x'') AS container, alerts,
      first_ns / 1000000 AS firstMs, last_ns / 1000000 AS lastMs FROM event_counts_15m ORDER BY quarter, container IS NULL`).all()).toEqual([
      { startMs: Date.parse('2026-03-01T10:00:00Z'), rule: 'Shell', container: 'c1', alerts: 2, firstMs: Date.parse('2026-03-01T10:01:00Z'), lastMs: Date.parse('2026-03-01T10:14:59Z') },
      { startMs: Date.parse('2026-03-01T10:15:00Z'), rule: 'Shell', container: 'c1', alerts: 1, firstMs: Date.parse('2026-03-01T10:15:00Z'), lastMs: Date.parse('2026-03-01T10:15:00Z') },
      { startMs: Date.parse('2026-03-01T10:15:00Z'), rule: 'Shell', container: null, alerts: 1, firstMs: Date.parse('2026-03-01T10:20:00Z'), lastMs: Date.parse('2026-03-01T10:20:00Z') },
    ]);
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
