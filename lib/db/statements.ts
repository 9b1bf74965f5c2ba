import 'server-only';
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';

// SQL text depends only on which filters are present (their shape), never on values, so
// statements are prepared once per shape and reused.
const statements = new WeakMap<Db, Map<string, Statement>>();

export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
