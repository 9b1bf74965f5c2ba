import 'server-only';
// The store's size and row count for /metrics: SQLite's own page counts and one indexed count.
import { statSync } from 'node:fs';
import type { Db } from './connection';

export interface StoreStats {
  /** Bytes of the database file's pages, free ones included. */
  bytes: number;
  /** Bytes of pages freed by deletes, reused before the file grows. */
  freeBytes: number;
  /** The most the database file may hold (max_page_count); meaningful when PERCH_MAX_STORE_SIZE is set. */
  maxBytes: number;
  /** The write-ahead log beside the file, folded back in by checkpoints. */
  walBytes: number;
  alerts: number;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // no WAL right after a checkpoint that truncated it, or an in-memory store
  }
}

export function storeStats(db: Db): StoreStats {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const maxPages = db.pragma('max_page_count', { simple: true }) as number;
  // count(*) walks the smallest index: tens of ms at a million alerts, fine once per scrape.
  const { alerts } = db.prepare('SELECT count(*) AS alerts FROM events').get() as { alerts: number };
  return { bytes: pages * pageSize, freeBytes: free * pageSize, maxBytes: maxPages * pageSize, walBytes: db.memory ? 0 : fileSize(`${db.name}-wal`), alerts };
}
