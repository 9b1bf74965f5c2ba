import 'server-only';
// The store's size and alert count for /metrics: SQLite's own page counts and the 12-hour counts.
import { statSync } from 'node:fs';
import type { Db } from './connection';
import { countAlerts } from './event-queries';

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
  // The same count as /api/health: a sum over the 12-hour counts, not a walk over every alert.
  const alerts = countAlerts(db);
  return {
    bytes: pages * pageSize,
    freeBytes: free * pageSize,
    maxBytes: maxPages * pageSize,
    walBytes: db.memory ? 0 : fileSize(`${db.name}-wal`),
    alerts,
  };
}
