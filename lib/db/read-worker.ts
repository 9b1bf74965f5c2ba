// A reader thread of lib/db/read-pool.ts: its own connection to the store, answering READS by name.
// SQLite in WAL mode lets it read while the main thread writes, so a long read holds neither the
// main thread's event loop (ingest, health, the live stream) nor the writer.
import Database from 'better-sqlite3';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { DomainError, type ErrorCode, type ErrorIssue } from '../errors';
import { getConfig } from '../config';
import { stringifyJson } from '../falco/json';
import { READS, type ReadName } from './reads';
import { takeEvictions } from './statements';
import { WORKER_READY } from '../worker-threads';

export interface ReadRequest {
  id: number;
  name: ReadName;
  args: unknown[];
  /** Answer with the result as JSON text (for a route to send as it is) rather than as a value. */
  json: boolean;
}

export type ReadAnswer =
  | { id: number; value: unknown }
  | { id: number; domainError: { code: ErrorCode; message: string; issues?: ErrorIssue[]; retryAfterSeconds?: number } }
  | { id: number; failure: { message: string; stack?: string } };

/** A connection that only reads: the main thread's has already brought the schema up to date. */
export function openReader(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // Half the writer's page cache: pages beyond it come from the system's file cache.
  db.pragma('cache_size = -32768');
  db.pragma('mmap_size = 0');
  db.pragma('temp_store = MEMORY');
  db.pragma('query_only = ON');
  return db;
}

export function answer(db: Database.Database, { id, name, args, json }: ReadRequest): ReadAnswer {
  try {
    const read = READS[name] as (db: Database.Database, ...args: unknown[]) => unknown;
    const value = read(db, ...args);
    return { id, value: json ? stringifyJson(value) : value };
  } catch (error) {
    if (error instanceof DomainError) {
      const { code, message, issues, retryAfterSeconds } = error;
      return { id, domainError: { code, message, issues, retryAfterSeconds } };
    }
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    return { id, failure: { message, stack } };
  }
}

// Statements dropped from the cache hold native memory until a full collection, which V8 puts off
// (it sees only their small wrappers): under many distinct filters a reader collects after this
// many drops, between reads, so its memory stays flat.
const EVICTIONS_PER_COLLECTION = 100;

/** V8's full collection, made callable in this thread (a worker cannot take --expose-gc). */
function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

if (parentPort) {
  const db = openReader(getConfig().dbFile);
  const collect = fullCollection();
  let evictions = 0;
  parentPort.on('message', (request: ReadRequest) => {
    parentPort!.postMessage(answer(db, request));
    evictions += takeEvictions();
    if (evictions >= EVICTIONS_PER_COLLECTION) {
      evictions = 0;
      collect();
    }
  });
  parentPort.postMessage(WORKER_READY);
}
