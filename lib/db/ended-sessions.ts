import 'server-only';
// Logouts kept in the store (migration 0009) until their cookies expire. Session checks stay in
// memory: this file fills that memory at start, adds each logout, and picks up the logouts of
// other processes on the same store every few seconds.
import { keepEndedSessionsIn, noteEndedSessions } from '../access/session';
import type { Db } from './connection';
import { prepared } from './statements';

export interface EndedSessionRow {
  seq: number;
  id: string;
  expiresMs: number;
}

// Another process's logout takes effect here within this long.
const ENDED_SESSIONS_POLL_MS = 2_000;

/** Keeps a logout until `expiresMs`, and drops the rows that have expired; one transaction. */
export function recordEndedSession(db: Db, id: string, expiresMs: number, nowMs = Date.now()): void {
  db.transaction(() => {
    prepared(db, 'INSERT OR IGNORE INTO ended_sessions (session_id, expires_ms) VALUES (@id, @expiresMs)').run({
      id,
      expiresMs,
    });
    pruneEndedSessions(db, nowMs);
  }).immediate();
}

/** Drops the logouts whose cookies have expired anyway; returns how many. */
export function pruneEndedSessions(db: Db, nowMs = Date.now()): number {
  return prepared(db, 'DELETE FROM ended_sessions WHERE expires_ms <= @nowMs').run({ nowMs }).changes;
}

/** The logouts recorded after `afterSeq`, oldest first (seq grows with each commit). */
export function endedSessionsAfter(db: Db, afterSeq: number): EndedSessionRow[] {
  return prepared<EndedSessionRow>(
    db,
    'SELECT seq, session_id AS id, expires_ms AS expiresMs FROM ended_sessions WHERE seq > @afterSeq ORDER BY seq',
  ).all({ afterSeq });
}

/**
 * Makes logouts last: loads the kept ones into memory, has every logout written here, and reads
 * other processes' logouts every ENDED_SESSIONS_POLL_MS. Returns a function that stops the reading.
 */
export function keepEndedSessions(db: Db, pollMs = ENDED_SESSIONS_POLL_MS): () => void {
  try {
    pruneEndedSessions(db);
  } catch (error) {
    // A read-only store still serves reads; expired rows are ignored when loading.
    if ((error as { code?: unknown }).code !== 'SQLITE_READONLY') throw error;
  }
  let lastSeq = 0;
  const catchUp = () => {
    const rows = endedSessionsAfter(db, lastSeq);
    if (rows.length === 0) return;
    noteEndedSessions(rows);
    lastSeq = rows.at(-1)!.seq;
  };
  catchUp();
  keepEndedSessionsIn({ add: (id, expiresMs, nowMs) => recordEndedSession(db, id, expiresMs, nowMs) });
  const timer = setInterval(() => {
    try {
      catchUp();
    } catch (error) {
      // A busy store: the next tick tries again.
      console.error('[perch] reading logouts from the store failed:', error);
    }
  }, pollMs);
  timer.unref?.();
  return () => {
    clearInterval(timer);
    keepEndedSessionsIn(null);
  };
}
