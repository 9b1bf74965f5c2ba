import 'server-only';
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';

// SQL text depends only on which filters are present and how many values each has (their shape),
// never on values, so statements are prepared once per shape and reused. A client can still ask
// for many shapes, and each prepared statement holds native memory: keep the most recently used.
export const MAX_CACHED_STATEMENTS = 200;

const statements = new WeakMap<Db, Map<string, Statement>>();
let evicted = 0;

/**
 * The statement for `sql`, cached; `Row` is what its rows hold, which only the SQL text can say:
 * the one place a row's type is asserted.
 */
export function prepared<Row = unknown>(db: Db, sql: string): Statement<unknown[], Row> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (statement) {
    // A Map keeps insertion order: moving a hit to the end leaves the least recently used first.
    cache.delete(sql);
  } else {
    statement = db.prepare(sql);
    if (cache.size >= MAX_CACHED_STATEMENTS) {
      cache.delete(cache.keys().next().value!);
      evicted += 1;
    }
  }
  cache.set(sql, statement);
  return statement as Statement<unknown[], Row>;
}

/**
 * Statements dropped from the cache since the last call. A dropped statement frees its native
 * memory only when the garbage collector finds it, which V8 does late: it does not see that memory.
 */
export function takeEvictions(): number {
  const count = evicted;
  evicted = 0;
  return count;
}

/** How many statements are cached for a connection (for tests). */
export const cachedStatements = (db: Db) => statements.get(db)?.size ?? 0;
