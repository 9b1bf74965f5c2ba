// Numbered .sql migrations applied in order under PRAGMA user_version. A shipped file is never
// edited; a change to the schema is a new file. Numbers may skip (there is no 0003): versions need
// only increase.
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const MIGRATIONS_DIR = path.join(process.cwd(), 'lib', 'db', 'migrations');

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(/*turbopackIgnore: true*/ dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file,
      sql: readFileSync(path.join(/*turbopackIgnore: true*/ dir, file), 'utf8'),
    }));
}

/** The migrations newer than the database, in order. Reads only: a read-only store can answer. */
export function pendingMigrations(db: Database.Database, migrations = readMigrations()): Migration[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  return migrations.filter((migration) => migration.version > current);
}

/** Applies every migration newer than the database; returns the names applied. */
export function migrate(db: Database.Database, migrations = readMigrations()): string[] {
  const applied: string[] = [];
  for (const migration of pendingMigrations(db, migrations)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.name);
  }
  return applied;
}
