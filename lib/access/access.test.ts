import { describe, expect, it } from 'vitest';
import { AccessConfigError, readAccessConfig } from './access-config';
import { hostAllowed } from './allowed-hosts';
import { crossSiteRefusal, isFormContentType } from './cross-site';
import { safeNext } from './login';
import { hashPassword, isPasswordHash, verifyPassword } from './password';
import { createSession, endSession, sessionUser } from './session';
import { clientAddress, peerAddress, resolveViewer, type RequestFacts } from './viewer';

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
    expect(() =>
      readAccessConfig(env({ PERCH_TRUSTED_USER_HEADER: 'X-User', PERCH_TRUSTED_PROXIES: '10.0.0.0/40' })),
    ).toThrow(/prefix/);
    expect(() =>
      readAccessConfig(env({ PERCH_TRUSTED_USER_HEADER: 'X-User', PERCH_TRUSTED_PROXIES: 'proxy.local' })),
    ).toThrow(/not an IP/);
  });
});

describe('resolveViewer', () => {
  const config = readAccessConfig(
    env({
      PERCH_VIEW_TOKENS: 'wall:0123456789abcdef',
      PERCH_TRUSTED_USER_HEADER: 'X-Forwarded-User',
      PERCH_TRUSTED_PROXIES: '10.1.0.0/16,::1',
    }),
  );
  const facts = (headers: Record<string, string>, cookies: Record<string, string> = {}): RequestFacts => ({
    headers: new Headers(headers),
    cookie: (name) => cookies[name],
  });

  it('takes the proxy header only from a trusted peer that the server itself vouched for', () => {
    process.env.PERCH_PEER_SECRET = 'server-secret';
    expect(
      resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'server-secret 10.1.2.3' }), config),
    ).toEqual({ kind: 'user', name: 'bob', via: 'proxy' });
    expect(
      resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'server-secret ::ffff:10.1.2.3' }), config),
    ).toMatchObject({ name: 'bob' });
    expect(
      resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'server-secret 10.2.0.1' }), config),
    ).toBeNull();
    expect(resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-perch-peer': 'guess 10.1.2.3' }), config)).toBeNull();
    expect(resolveViewer(facts({ 'x-forwarded-user': 'bob', 'x-forwarded-for': '10.1.2.3' }), config)).toBeNull();
    delete process.env.PERCH_PEER_SECRET;
    expect(peerAddress(new Headers({ 'x-perch-peer': 'server-secret 10.1.2.3' }))).toBeNull();
  });

  it('knows a view token by header or cookie, and nothing else', () => {
    expect(resolveViewer(facts({ authorization: 'Bearer 0123456789abcdef' }), config)).toEqual({
      kind: 'view-token',
      name: 'wall',
    });
    expect(resolveViewer(facts({}, { perch_view: '0123456789abcdef' }), config)).toEqual({
      kind: 'view-token',
      name: 'wall',
    });
    expect(resolveViewer(facts({ authorization: 'Bearer 0123456789abcdeX' }), config)).toBeNull();
    expect(resolveViewer(facts({}), readAccessConfig(env({})))).toEqual({ kind: 'anyone' });
  });

  it('never takes a token from the URL (proxy.ts swaps one on page URLs only)', () => {
    // A token in a URL counts on page URLs only, where proxy.ts trades it for the cookie.
    const withQuery = { ...facts({}), searchParams: new URLSearchParams({ view_token: '0123456789abcdef' }) };
    expect(resolveViewer(withQuery, config)).toBeNull();
  });
});

describe('safeNext', () => {
  it('keeps paths on this site and nothing else', () => {
    expect(safeNext('/events?from=1h')).toBe('/events?from=1h');
    expect(safeNext('/rules?from=7d#top')).toBe('/rules?from=7d#top');
    const bad = [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
      null,
      'events',
      '/\t/evil.example',
      '/\t\\evil.example',
      '/\n/evil.example',
      '/x\ny',
      '/x\u000by',
      '/x\ry',
      '/\u0000/evil',
      '/\u007f',
      '/\u0085',
      '/..//evil.example',
      '/.//evil.example',
      '/%2e%2e//evil.example',
      '/a/..//evil.example',
    ];
    for (const next of bad) expect(safeNext(next), JSON.stringify(next)).toBe('/');
  });

  it('answers with what a header may carry: non-ASCII escaped, never a control character', () => {
    expect(safeNext('/events?q=zürich €')).toBe('/events?q=z%C3%BCrich%20%E2%82%AC');
    expect(safeNext('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example'); // one path segment on this site
  });
});

describe('clientAddress', () => {
  const proxies = readAccessConfig(env({ PERCH_TRUSTED_PROXIES: '127.0.0.1,10.9.0.0/16' })).trustedProxies;
  const from = (peer: string, xff?: string) => {
    const headers = new Headers({ 'x-perch-peer': `server-secret ${peer}` });
    if (xff !== undefined) headers.set('x-forwarded-for', xff);
    return clientAddress(headers, proxies);
  };

  it('is the connection address unless that is a trusted proxy', () => {
    process.env.PERCH_PEER_SECRET = 'server-secret';
    try {
      expect(from('192.0.2.7', '203.0.113.1')).toBe('192.0.2.7'); // not a proxy: its XFF is its own word
      expect(from('::ffff:192.0.2.7')).toBe('192.0.2.7');
      expect(from('127.0.0.1', '203.0.113.1')).toBe('203.0.113.1');
      // The right-most entry the proxies did not write themselves; entries to its left are the client's own.
      expect(from('127.0.0.1', '6.6.6.6, 203.0.113.1, 10.9.3.4')).toBe('203.0.113.1');
      expect(from('127.0.0.1', '203.0.113.1:5123')).toBe('203.0.113.1');
      expect(from('127.0.0.1', '[2001:db8::5]:443')).toBe('2001:db8::5');
      expect(from('127.0.0.1', '6.6.6.6, garbage')).toBeNull();
      expect(from('127.0.0.1')).toBe('127.0.0.1'); // the proxy itself
      expect(from('127.0.0.1', '10.9.0.1, 127.0.0.1')).toBe('10.9.0.1');
    } finally {
      delete process.env.PERCH_PEER_SECRET;
    }
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.1' }), proxies)).toBeNull(); // next start
  });
});

describe('hostAllowed (PERCH_ALLOWED_HOSTS)', () => {
  const loginOff = readAccessConfig(env({ PERCH_ALLOWED_HOSTS: 'perch.example.com, *.corp.example' })).allowedHosts;
  const loginOffDefault = readAccessConfig(env({})).allowedHosts;
  const loginOn = readAccessConfig(env({ PERCH_VIEW_TOKENS: 'wall:0123456789abcdef' })).allowedHosts;
  const loginOnListed = readAccessConfig(
    env({ PERCH_VIEW_TOKENS: 'wall:0123456789abcdef', PERCH_ALLOWED_HOSTS: 'perch.example.com' }),
  ).allowedHosts;

  it('with login off takes IP literals, localhost names and the listed names only', () => {
    for (const host of [
      '127.0.0.1:3000',
      '10.1.2.3',
      '[::1]:3000',
      '[2001:db8::1]',
      'localhost:3000',
      'LOCALHOST',
      'wall.localhost',
      'localhost.',
      undefined,
      null,
    ]) {
      expect(hostAllowed(host, loginOffDefault), String(host)).toBe(true);
    }
    for (const host of [
      'rebind.attacker.example:3000',
      'perch.example.com',
      'localhost.attacker.example',
      '2130706433',
      'perch',
    ]) {
      expect(hostAllowed(host, loginOffDefault), host).toBe(false);
    }
    expect(hostAllowed('Perch.Example.com.:3000', loginOff)).toBe(true);
    expect(hostAllowed('wall.corp.example', loginOff)).toBe(true);
    expect(hostAllowed('corp.example', loginOff)).toBe(false);
    expect(hostAllowed('rebind.attacker.example', loginOff)).toBe(false);
  });

  it('with login on takes any name unless the setting lists some; * takes any', () => {
    expect(hostAllowed('anything.example', loginOn)).toBe(true);
    expect(hostAllowed('anything.example', loginOnListed)).toBe(false);
    expect(hostAllowed('perch.example.com', loginOnListed)).toBe(true);
    expect(hostAllowed('anything.example', readAccessConfig(env({ PERCH_ALLOWED_HOSTS: '*' })).allowedHosts)).toBe(
      true,
    );
  });

  it('refuses entries that are not host names', () => {
    for (const bad of ['http://perch.example', 'perch.example:3000', 'perch/x', 'a b']) {
      expect(() => readAccessConfig(env({ PERCH_ALLOWED_HOSTS: bad })), bad).toThrow(/PERCH_ALLOWED_HOSTS/);
    }
  });
});

describe('crossSiteRefusal', () => {
  const hosts = readAccessConfig(env({})).allowedHosts;
  const check = (headers: Record<string, string>) => crossSiteRefusal((name) => new Headers(headers).get(name), hosts);

  it('lets through requests without browser headers, and same-origin ones', () => {
    expect(check({ host: '127.0.0.1:3000' })).toBeNull();
    expect(check({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' })).toBeNull();
    expect(
      check({ host: '127.0.0.1:3000', 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:3000' }),
    ).toBeNull();
    // Behind a TLS proxy: the browser's Origin names the public host, as Host or X-Forwarded-Host.
    expect(check({ host: 'localhost', origin: 'https://localhost' })).toBeNull();
    expect(check({ host: '10.0.0.2:3000', 'x-forwarded-host': 'localhost', origin: 'https://localhost' })).toBeNull();
    expect(
      check({ host: '10.0.0.2:3000', 'sec-fetch-site': 'same-origin', origin: 'https://perch.elsewhere' }),
    ).toBeNull();
  });

  it('refuses another site, an opaque origin and a same-origin request under a name not allowed', () => {
    expect(check({ host: '127.0.0.1:3000', origin: 'http://evil.example' })).toMatch(/another site/);
    expect(check({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3001' })).toMatch(/another site/);
    expect(check({ host: '127.0.0.1:3000', origin: 'null' })).toMatch(/another site/);
    expect(check({ host: '127.0.0.1:3000', 'sec-fetch-site': 'cross-site' })).toMatch(/another site/);
    expect(check({ host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:3000' })).toMatch(
      /another site/,
    );
    expect(check({ host: 'rebind.attacker.example:3000', origin: 'http://rebind.attacker.example:3000' })).toMatch(
      /PERCH_ALLOWED_HOSTS/,
    );
  });

  it('knows the content types forms send', () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'Application/X-WWW-Form-Urlencoded;charset=utf-8',
    ])
      expect(isFormContentType(type)).toBe(true);
    for (const type of ['application/json', 'text/plain', 'application/x-ndjson', null, ''])
      expect(isFormContentType(type)).toBe(false);
  });
});
