import { describe, expect, it } from 'vitest';
import { AccessConfigError, readAccessConfig } from './access-config';
import { safeNext } from './login';
import { LoginLimiter, WINDOW_MS } from './login-limiter';
import { hashPassword, isPasswordHash, verifyPassword } from './password';
import { createSession, endSession, sessionUser } from './session';
import { peerAddress, resolveViewer, type RequestFacts } from './viewer';

// Settings as the process environment would carry them (Next's types make NODE_ENV required there).
const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

const key = Buffer.from('test-key-test-key-test-key-12345');

describe('passwords', () => {
  it('verifies the password it hashed and nothing else; hashes are salted', async () => {
    const hash = await hashPassword('correct horse');
    expect(isPasswordHash(hash)).toBe(true);
    expect(hash).not.toMatch(/[,:]/); // fits in PERCH_UI_USERS
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(hash);
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
  });
});

describe('sessions', () => {
  it('names its user until it expires or is ended', () => {
    const cookie = createSession('alice', 60_000, key, 1_000);
    expect(sessionUser(cookie, key, 2_000)).toBe('alice');
    expect(sessionUser(cookie, key, 61_001)).toBeNull();
    endSession(cookie, key, 2_000);
    expect(sessionUser(cookie, key, 2_000)).toBeNull();
  });

  it('refuses a cookie that was altered or signed with another key', () => {
    const cookie = createSession('alice', 60_000, key, 1_000);
    const [payload, signature] = cookie.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'admin', e: 9e15, n: 'x' })).toString('base64url');
    expect(sessionUser(`${forged}.${signature}`, key, 2_000)).toBeNull();
    expect(sessionUser(`${payload}.${signature}x`, key, 2_000)).toBeNull();
    expect(sessionUser(cookie, Buffer.from('another-key-another-key-12345678'), 2_000)).toBeNull();
    expect(sessionUser('garbage', key, 2_000)).toBeNull();
  });
});

describe('readAccessConfig', () => {
  it('is off with nothing set, and on with any way in', () => {
    expect(readAccessConfig(env({})).enabled).toBe(false);
    expect(readAccessConfig(env({ PERCH_VIEW_TOKENS: 'wall:0123456789abcdef' })).enabled).toBe(true);
  });

  it('refuses plain passwords, short tokens, a header without proxies and bad ranges', () => {
    expect(() => readAccessConfig(env({ PERCH_UI_USERS: 'admin:admin' }))).toThrow(AccessConfigError);
    expect(() => readAccessConfig(env({ PERCH_VIEW_TOKENS: 'wall:short' }))).toThrow(/shorter than 16/);
    expect(() => readAccessConfig(env({ PERCH_TRUSTED_USER_HEADER: 'X-User' }))).toThrow(/PERCH_TRUSTED_PROXIES/);
    expect(() => readAccessConfig(env({ PERCH_TRUSTED_USER_HEADER: 'X-User', PERCH_TRUSTED_PROXIES: '10.0.0.0/40' }))).toThrow(/prefix/);
    expect(() => readAccessConfig(env({ PERCH_TRUSTED_USER_HEADER: 'X-User', PERCH_TRUSTED_PROXIES: 'proxy.local' }))).toThrow(/not an IP/);
  });
});

describe('resolveViewer', () => {
  const config = readAccessConfig(env({
    PERCH_VIEW_TOKENS: 'wall:0123456789abcdef',
    PERCH_TRUSTED_USER_HEADER: 'X-Forwarded-User',
    PERCH_TRUSTED_PROXIES: '10.1.0.0/16,::1',
  }));
  const facts = (headers: Record<string, string>, cookies: Record<string, string> = {}): RequestFacts => ({ headers: new Headers(headers), cookie: (name) => cookies[name] });

  it('takes the proxy header only from a trusted peer that the server itself vouched for', () => {
    process.env.PERCH_PEER_SECRET = 'server-secret';
    expect(resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'server-secret 10.1.2.3' }), config)).toEqual({ kind: 'user', name: 'bob', via: 'proxy' });
    expect(resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'server-secret ::ffff:10.1.2.3' }), config)).toMatchObject({ name: 'bob' });
    expect(resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'server-secret 10.2.0.1' }), config)).toBeNull();
    expect(resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'guess 10.1.2.3' }), config)).toBeNull();
    expect(resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-forwarded-for': '10.1.2.3' }), config)).toBeNull();
    delete process.env.PERCH_PEER_SECRET;
    expect(peerAddress(new Headers({ 'x-perch-peer': 'server-secret 10.1.2.3' }))).toBeNull();
  });

  it('knows a view token by header or cookie, and nothing else', () => {
    expect(resolveViewer(facts({ authorization: 'Bearer 0123456789abcdef' }), config)).toEqual({ kind: 'view-token', name: 'wall' });
    expect(resolveViewer(facts({}, { perch_view: '0123456789abcdef' }), config)).toEqual({ kind: 'view-token', name: 'wall' });
    expect(resolveViewer(facts({ authorization: 'Bearer 0123456789abcdeX' }), config)).toBeNull();
    expect(resolveViewer(facts({}), readAccessConfig(env({})))).toEqual({ kind: 'anyone' });
  });
});

describe('LoginLimiter', () => {
  it('locks an address out after five failures for the rest of the window, others unaffected', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 5; i++) limiter.recordFailure('10.0.0.1', 1_000 + i);
    expect(limiter.waitMs('10.0.0.1', 2_000)).toBe(1_000 + WINDOW_MS - 2_000);
    expect(limiter.waitMs('10.0.0.2', 2_000)).toBe(0);
    expect(limiter.waitMs('10.0.0.1', 1_000 + WINDOW_MS)).toBe(0);
  });
});

describe('safeNext', () => {
  it('keeps paths on this site and nothing else', () => {
    expect(safeNext('/events?from=1h')).toBe('/events?from=1h');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', null]) expect(safeNext(bad)).toBe('/');
  });
});
