import 'server-only';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from '../config';
import { migrate } from './migrate';

export type Db = Database.Database;

/** Opens (creating folder and file if needed) and migrates a store. `:memory:` works for tests. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: a 2xx on ingest promises the alert survives a power cut, not only a crash. Group commit
  // keeps the fsync per batch, not per alert.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MB; the indexes of a million alerts are far larger, and every
  // insert touches several of them. A bigger cache and memory-mapped reads keep them in memory.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 1073741824');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  migrate(db);
  // Refresh the planner's statistics where they are stale (cheap, bounded by analysis_limit).
  db.pragma('optimize = 0x10002');
  return db;
}

// One connection per process; cached on globalThis so dev reloads do not open another.
const holder = globalThis as typeof globalThis & { __perchDb?: { file: string; db: Db } };

export function getDb(): Db {
  const file = getConfig().dbFile;
  if (!holder.__perchDb || holder.__perchDb.file !== file) {
    holder.__perchDb = { file, db: openDatabase(file) };
  }
  return holder.__perchDb.db;
}
