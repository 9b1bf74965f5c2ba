import { afterEach, describe, expect, it } from 'vitest';
import { toApiError } from '../api/errors';
import { DomainError } from '../errors';
import { createSession, endSession, keepEndedSessionsIn, noteEndedSessions, sessionUser } from './session';

const key = Buffer.from('test-key-test-key-test-key-12345');
const HOUR = 3_600_000;
const idOf = (cookie: string) =>
  (JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString('utf8')) as { n: string }).n;

afterEach(() => keepEndedSessionsIn(null));

describe('logout', () => {
  it('hands the ended session to the store before it returns, with the expiry of the cookie', () => {
    const kept: [string, number][] = [];
    keepEndedSessionsIn({ add: (id, expiresMs) => kept.push([id, expiresMs]) });
    const cookie = createSession('alice', HOUR, key, 1_000);
    endSession(cookie, key, 2_000);
    expect(kept).toEqual([[idOf(cookie), 1_000 + HOUR]]);
    expect(sessionUser(cookie, key, 2_000)).toBeNull();
  });

  it('keeps nothing for a forged, expired or missing cookie', () => {
    const kept: string[] = [];
    keepEndedSessionsIn({ add: (id) => kept.push(id) });
    const cookie = createSession('alice', HOUR, key, 1_000);
    endSession(`${cookie}x`, key, 2_000);
    endSession(cookie, key, 2 * HOUR);
    endSession(undefined, key, 2_000);
    expect(kept).toEqual([]);
  });

  it('says so when the store cannot keep it, ends the session here anyway, and writes it on a retry', () => {
    let fail = true;
    const kept: string[] = [];
    keepEndedSessionsIn({
      add: (id) => {
        if (fail) throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
        kept.push(id);
      },
    });
    const cookie = createSession('alice', HOUR, key, 1_000);
    let error: unknown;
    try {
      endSession(cookie, key, 2_000);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(toApiError(error as DomainError).status).toBe(503);
    expect((error as DomainError).code).toBe('store_unavailable');
    expect(sessionUser(cookie, key, 2_000)).toBeNull();

    fail = false;
    endSession(cookie, key, 3_000);
    expect(kept).toEqual([idOf(cookie)]);
  });
});

describe('noteEndedSessions', () => {
  it('ends the sessions it is given (from the store), ignoring those already expired', () => {
    const live = createSession('alice', HOUR, key, 1_000);
    const other = createSession('bob', HOUR, key, 1_000);
    noteEndedSessions(
      [
        { id: idOf(live), expiresMs: 1_000 + HOUR },
        { id: idOf(other), expiresMs: 1_500 },
      ],
      2_000,
    );
    expect(sessionUser(live, key, 2_000)).toBeNull();
    // Its entry was expired: the id was not kept, and this cookie's own expiry is what counts.
    expect(sessionUser(other, key, 2_000)).toBe('bob');
  });
});
