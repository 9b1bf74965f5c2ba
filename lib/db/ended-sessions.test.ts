import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession, endSession, keepEndedSessionsIn, sessionUser } from '../access/session';
import { openDatabase, type Db } from './connection';
import { endedSessionsAfter, keepEndedSessions, pruneEndedSessions, recordEndedSession } from './ended-sessions';

const key = Buffer.from('test-key-test-key-test-key-12345');
const HOUR = 3_600_000;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  keepEndedSessionsIn(null);
});

function memoryStore(): Db {
  const db = openDatabase(':memory:');
  cleanups.push(() => db.close());
  return db;
}

function storeFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'perch-ended-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'perch.db');
}

const ids = (db: Db) => endedSessionsAfter(db, 0).map((row) => row.id);

describe('ended sessions in the store', () => {
  it('keeps each logout once with its expiry, in commit order', () => {
    const db = memoryStore();
    recordEndedSession(db, 'a', 10 * HOUR, 0);
    recordEndedSession(db, 'b', 12 * HOUR, 0);
    recordEndedSession(db, 'a', 10 * HOUR, 0); // logged out twice (two tabs)
    const rows = endedSessionsAfter(db, 0);
    expect(rows.map(({ id, expiresMs }) => [id, expiresMs])).toEqual([
      ['a', 10 * HOUR],
      ['b', 12 * HOUR],
    ]);
    expect(endedSessionsAfter(db, rows[0]!.seq).map((row) => row.id)).toEqual(['b']);
  });

  it('drops expired logouts when adding one, and on demand', () => {
    const db = memoryStore();
    recordEndedSession(db, 'old', 1 * HOUR, 0);
    recordEndedSession(db, 'newer', 3 * HOUR, 0);
    recordEndedSession(db, 'latest', 5 * HOUR, 2 * HOUR);
    expect(ids(db)).toEqual(['newer', 'latest']);
    expect(pruneEndedSessions(db, 3 * HOUR)).toBe(1);
    expect(ids(db)).toEqual(['latest']);
  });

  it('never reuses a position, so a reader that saw the newest row misses no later one', () => {
    const db = memoryStore();
    recordEndedSession(db, 'short', 1 * HOUR, 0);
    const seen = endedSessionsAfter(db, 0).at(-1)!.seq;
    recordEndedSession(db, 'next', 9 * HOUR, 2 * HOUR); // prunes 'short', the newest row
    expect(endedSessionsAfter(db, seen).map((row) => row.id)).toEqual(['next']);
  });
});

describe('keepEndedSessions', () => {
  it('makes a logout outlast a restart: the next process refuses the cookie from the start', () => {
    const file = storeFile();
    const first = openDatabase(file);
    const stopFirst = keepEndedSessions(first);
    const cookie = createSession('alice', HOUR, key);
    const other = createSession('alice', HOUR, key);
    endSession(cookie, key);
    stopFirst();
    first.close();
    // A restart: the memory of the first process is gone.
    globalThis.__perchEndedSessions?.clear();
    expect(sessionUser(cookie, key)).toBe('alice');

    const second = openDatabase(file);
    cleanups.push(() => second.close());
    cleanups.push(keepEndedSessions(second));
    expect(sessionUser(cookie, key)).toBeNull();
    expect(sessionUser(other, key)).toBe('alice');
  });

  it('drops expired rows at start', () => {
    const file = storeFile();
    const db = openDatabase(file);
    cleanups.push(() => db.close());
    recordEndedSession(db, 'expired', Date.now() - 1, 0);
    recordEndedSession(db, 'current', Date.now() + HOUR, 0);
    cleanups.push(keepEndedSessions(db));
    expect(ids(db)).toEqual(['current']);
  });

  it("sees another process's logouts within a poll", async () => {
    const file = storeFile();
    const mine = openDatabase(file);
    const theirs = openDatabase(file); // another Perch process on the same store
    cleanups.push(
      () => mine.close(),
      () => theirs.close(),
    );
    cleanups.push(keepEndedSessions(mine, 50));
    const cookie = createSession('alice', HOUR, key);
    expect(sessionUser(cookie, key)).toBe('alice');

    const [payload] = cookie.split('.');
    const { n: id, e: expiresMs } = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as {
      n: string;
      e: number;
    };
    recordEndedSession(theirs, id, expiresMs);
    const deadline = Date.now() + 2_000;
    while (sessionUser(cookie, key) !== null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sessionUser(cookie, key)).toBeNull();
  });
});

declare global {
  var __perchEndedSessions: Map<string, number> | undefined;
}
