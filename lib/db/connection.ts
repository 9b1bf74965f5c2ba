import 'server-only';
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { getConfig } from '../config';
import { migrate, pendingMigrations } from './migrate';
import { refreshPlannerStats } from './planner-stats';

export type Db = Database.Database;

export interface OpenOptions {
  /** PERCH_MAX_STORE_SIZE: beyond it every write fails with SQLITE_FULL, as on a full disk. */
  maxStoreBytes?: number | null;
}

/**
 * A new store readable by Perch's user alone: its folder 0700 when Perch makes it, the file 0600
 * (SQLite gives the -wal and -shm files the database file's mode). An existing store keeps its modes.
 */
function createPrivately(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch {
    // There already, or not creatable here: SQLite opens it, or says why it cannot.
  }
}

/** Opens (creating folder and file if needed) and migrates a store. `:memory:` works for tests. */
export function openDatabase(file: string, { maxStoreBytes = null }: OpenOptions = {}): Db {
  if (file !== ':memory:') createPrivately(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: a 2xx on ingest promises the alert survives a power cut, not only a crash. Group commit
  // keeps the fsync per batch, not per alert.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // SQLite's default page cache is far smaller than the indexes of a large store, and every insert
  // touches several of them. Past the cache, pages come from the system's file cache.
  db.pragma('cache_size = -65536');
  // No memory-mapped reads: pages read through a map count in the server's resident memory, and
  // queries time the same without it (docs/benchmarks.md).
  db.pragma('mmap_size = 0');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, file);
  try {
    // Refresh the planner's statistics where they are stale (cheap, bounded by analysis_limit); the
    // writer does it again as the store grows (planner-stats.ts).
    refreshPlannerStats(db);
  } catch (error) {
    // The first write of a start-up: a read-only store (file, folder or disk) still serves reads,
    // and ingest answers 503 store_unavailable.
    if ((error as { code?: unknown }).code !== 'SQLITE_READONLY') throw error;
    console.warn(
      `[perch] the store ${file} is read-only: alerts can be read, ingest answers 503 until it is writable and Perch restarted`,
    );
  }
  if (maxStoreBytes !== null) limitStoreSize(db, maxStoreBytes);
  return db;
}

/**
 * Brings the store to this version's schema, saying so when it takes a while: a migration that
 * fills a new table from the stored alerts (0002's counts: docs/decisions/0016) runs once,
 * at the first start after an upgrade, and the server answers when it is done.
 */
export function applyMigrations(db: Db, file: string): void {
  const pending = pendingMigrations(db);
  if (pending.length === 0) return;
  if (file !== ':memory:' && hasAlerts(db))
    console.log(`[perch] upgrading the store ${file}: ${pending.map((m) => m.name).join(', ')}…`);
  const started = Date.now();
  try {
    migrate(db, pending);
  } catch (error) {
    // Without the new schema no query works: refuse to start, and say what would fix it.
    if ((error as { code?: unknown }).code === 'SQLITE_READONLY') {
      throw new Error(
        `the store ${file} is read-only and needs ${pending.map((m) => m.name).join(', ')}: make it writable for one start, then it can be read-only again`,
      );
    }
    throw error;
  }
  if (file !== ':memory:' && Date.now() - started > 1000)
    console.log(`[perch] store upgraded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function hasAlerts(db: Db): boolean {
  const table = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'events'").get();
  return table !== undefined && db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
}

/**
 * Caps the store's pages (a per-connection setting, so applied at every open). Retention's deletes
 * free pages inside the cap, so ingest resumes once it has pruned. A store already bigger keeps
 * its size as the cap: SQLite never lowers max_page_count below the pages in use.
 */
function limitStoreSize(db: Db, maxBytes: number): void {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = Math.floor(maxBytes / pageSize);
  capPages.set(db, pages);
  const applied = db.pragma(`max_page_count = ${pages - pruneReserve(pages)}`, { simple: true }) as number;
  if (applied * pageSize > maxBytes) {
    console.warn(
      `[perch] the store is already ${applied * pageSize} bytes, over PERCH_MAX_STORE_SIZE; it will not grow further`,
    );
  }
}

// The word index frees a deleted alert's space only when FTS5 merges segments, which writes new
// pages before freeing old ones: ingest stops this far short of the cap so that retention can
// always merge after it pruned (reclaimSearchSpace in lib/db/retention.ts).
const pruneReserve = (pages: number) => Math.min(Math.ceil(pages / 4), 16_384);
const capPages = new WeakMap<Db, number>();

/** Runs work with the pages kept back from ingest. */
export function withPruneRoom<T>(db: Db, work: () => T): T {
  const pages = capPages.get(db);
  if (pages === undefined) return work();
  db.pragma(`max_page_count = ${pages}`);
  try {
    return work();
  } finally {
    db.pragma(`max_page_count = ${pages - pruneReserve(pages)}`);
  }
}

// One connection per process; cached on globalThis so dev reloads do not open another.
const holder = globalThis as typeof globalThis & { __perchDb?: { file: string; db: Db } };

export function getDb(): Db {
  const { dbFile: file, maxStoreBytes } = getConfig();
  if (!holder.__perchDb || holder.__perchDb.file !== file) {
    holder.__perchDb = { file, db: openDatabase(file, { maxStoreBytes }) };
  }
  return holder.__perchDb.db;
}
