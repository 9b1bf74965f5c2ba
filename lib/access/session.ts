// Login sessions as signed cookies (`<payload>.<HMAC-SHA256>`: user, expiry, random id), checked from
// memory alone since the proxy checks every page request. Logouts are kept in the store too
// (lib/db/ended-sessions.ts), so they outlast a restart and reach other processes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../errors';

export const SESSION_COOKIE = 'perch_session';

interface SessionPayload {
  /** user */
  u: string;
  /** expiry, ms since the epoch */
  e: number;
  /** random id, for logout */
  n: string;
}

/** Where logouts are kept beyond this process's memory. */
export interface EndedSessionStore {
  /** Records a logout; throws when it could not be kept. */
  add(id: string, expiresMs: number, nowMs: number): void;
}

const holder = globalThis as typeof globalThis & {
  __perchSessionKey?: Buffer;
  __perchEndedSessions?: Map<string, number>;
  __perchEndedSessionStore?: EndedSessionStore | null;
};

/**
 * The signing key: PERCH_SESSION_SECRET, or a random key kept beside the store (so sessions
 * survive restarts) and created on first use.
 */
export function sessionKey(): Buffer {
  if (holder.__perchSessionKey) return holder.__perchSessionKey;
  const secret = process.env.PERCH_SESSION_SECRET?.trim();
  if (secret) return (holder.__perchSessionKey = Buffer.from(secret, 'utf8'));
  const dbFile = path.resolve(/*turbopackIgnore: true*/ process.env.PERCH_DB?.trim() || path.join('data', 'perch.db'));
  const file = path.join(path.dirname(dbFile), 'session.key');
  try {
    holder.__perchSessionKey = Buffer.from(readFileSync(/*turbopackIgnore: true*/ file, 'utf8').trim(), 'base64url');
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(/*turbopackIgnore: true*/ file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch {
      // another request created it first
    }
    holder.__perchSessionKey = Buffer.from(readFileSync(/*turbopackIgnore: true*/ file, 'utf8').trim(), 'base64url');
  }
  return holder.__perchSessionKey;
}

const sign = (payload: string, key: Buffer) => createHmac('sha256', key).update(payload).digest();

export function createSession(user: string, ttlMs: number, key = sessionKey(), nowMs = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({ u: user, e: nowMs + ttlMs, n: randomBytes(12).toString('base64url') } satisfies SessionPayload),
  ).toString('base64url');
  return `${payload}.${sign(payload, key).toString('base64url')}`;
}

function readSession(cookie: string, key: Buffer, nowMs: number, evenIfEnded = false): SessionPayload | null {
  const [payload, signature, extra] = cookie.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, 'base64url');
  const expected = sign(payload, key);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SessionPayload;
    if (typeof session.u !== 'string' || typeof session.e !== 'number' || typeof session.n !== 'string') return null;
    if (session.e <= nowMs || (!evenIfEnded && endedSessions().has(session.n))) return null;
    return session;
  } catch {
    return null;
  }
}

function endedSessions(): Map<string, number> {
  holder.__perchEndedSessions ??= new Map();
  return holder.__perchEndedSessions;
}

/** The user a session cookie names, if it is genuine, unexpired and not logged out. */
export function sessionUser(cookie: string | undefined, key = sessionKey(), nowMs = Date.now()): string | null {
  return cookie ? (readSession(cookie, key, nowMs)?.u ?? null) : null;
}

/**
 * Logout: the cookie stops working at once, even if someone kept a copy. Returns once the store has
 * it too; throws DomainError store_unavailable when it could not be kept (ended here until a restart).
 */
export function endSession(cookie: string | undefined, key = sessionKey(), nowMs = Date.now()): void {
  // A cookie already ended here is written again: its first write may have failed.
  const session = cookie ? readSession(cookie, key, nowMs, true) : null;
  if (!session) return;
  noteEndedSessions([{ id: session.n, expiresMs: session.e }], nowMs);
  const store = holder.__perchEndedSessionStore;
  if (!store) return;
  try {
    store.add(session.n, session.e, nowMs);
  } catch (error) {
    console.error('[perch] a logout could not be saved in the store:', error);
    throw new DomainError(
      'store_unavailable',
      'The logout could not be saved in the store; retry. This server already refuses the session, but after a restart it would work again until it expires.',
      undefined,
      5,
    );
  }
}

/** Sessions ended elsewhere: kept in the store by an earlier run, or by another process. */
export function noteEndedSessions(sessions: Iterable<{ id: string; expiresMs: number }>, nowMs = Date.now()): void {
  const ended = endedSessions();
  for (const { id, expiresMs } of sessions) if (expiresMs > nowMs) ended.set(id, expiresMs);
  // Forget ids whose sessions have expired anyway, so the list stays small.
  for (const [id, expiry] of ended) if (expiry <= nowMs) ended.delete(id);
}

/** Where endSession keeps logouts from now on (lib/db/ended-sessions.ts sets the store at start). */
export function keepEndedSessionsIn(store: EndedSessionStore | null): void {
  holder.__perchEndedSessionStore = store;
}
