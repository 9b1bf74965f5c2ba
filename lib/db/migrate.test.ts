import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from './connection';
import { migrate, pendingMigrations, readMigrations } from './migrate';

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
