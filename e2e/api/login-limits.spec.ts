// The login limit under attack: concurrent guesses, guesses spread over addresses, a success in
// between, clients behind a trusted proxy, and `next start` (no connection address at all).
import { expect, test } from '@playwright/test';
import http from 'node:http';
import { OwnServer } from '../fixtures/own-server';
import { ACCESS } from '../servers';

// Every user has the same password; each test guesses at its own names, from its own addresses.
const USERS = ['race', 'spread', 'spread-other', 'loop', 'proxied', 'next-a', 'next-b'];
const usersSetting = USERS.map((user) => `${user}:${ACCESS.passwordHash}`).join(',');
const server = new OwnServer('login-limits', 40, { PERCH_UI_USERS: usersSetting, PERCH_TRUSTED_PROXIES: '127.0.0.1' });
test.beforeAll(() => server.start());
test.afterAll(() => server.stop());

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

interface Answer {
  status: number;
  code: string | null;
  retryAfter: string | null;
  ms: number;
}

/** A JSON login with node:http, so the source address (`from`, any loopback address) and headers are exact. */
function login(
  port: number,
  user: string,
  password: string,
  { from = '127.0.0.1', headers = {} as Record<string, string> } = {},
): Promise<Answer> {
  const body = JSON.stringify({ user, password });
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress: from,
        agent,
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let code: string | null = null;
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
          } catch {
            // a 200 carries {user}
          }
          resolve({
            status: response.statusCode ?? 0,
            code,
            retryAfter: response.headers['retry-after'] ?? null,
            ms: performance.now() - started,
          });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

test('100 guesses at once from one address: at most five are checked, and the right password among them waits too', async () => {
  const guesses = Array.from({ length: 99 }, (_, i) => login(server.port, 'race', `guess-${i}`, { from: '127.0.0.4' }));
  // Sent once the burst is being refused, while checked guesses may still be running.
  const firstRefusal = Promise.race(
    guesses.map((g) => g.then((a) => (a.status === 429 ? a : new Promise<never>(() => undefined)))),
  );
  const right = Promise.race([firstRefusal, Promise.all(guesses)]).then(() =>
    login(server.port, 'race', ACCESS.password, { from: '127.0.0.4' }),
  );
  // Someone else logs in during the burst: the checks are bounded, so they need not queue behind it.
  const bystander = login(server.port, 'spread-other', ACCESS.password, { from: '127.0.0.5' });
  const answers = [...(await Promise.all(guesses)), await right];
  expect(count(answers, 401), 'guesses checked').toBeGreaterThanOrEqual(1);
  expect(count(answers, 401), 'guesses checked').toBeLessThanOrEqual(5);
  expect(count(answers, 401) + count(answers, 429)).toBe(100);
  expect((await right).status, 'the right password within the burst').toBe(429);
  expect(
    answers
      .filter((a) => a.status === 429)
      .every((a) => a.code === 'too_many_login_attempts' && Number(a.retryAfter) > 0),
  ).toBe(true);
  const other = await bystander;
  expect(other.status).toBe(200);
  console.log(
    `[login-limits] 100 concurrent guesses: ${count(answers, 401)} checked; a login from another address took ${other.ms.toFixed(0)} ms`,
  );
  expect(other.ms).toBeLessThan(3_000);
  // Afterwards the address waits out the window, right password or not.
  const after = await login(server.port, 'race', ACCESS.password, { from: '127.0.0.4' });
  expect(after.status).toBe(429);
  expect(Number(after.retryAfter)).toBeGreaterThan(60);
});

test('twenty guesses at one user name from four addresses lock that name; another user still logs in', async () => {
  const addresses = ['10.20.0.1', '10.20.0.2', '10.20.0.3', '10.20.0.4'];
  const rounds = await Promise.all(
    addresses.map(async (address) => {
      const answers: Answer[] = [];
      for (let i = 0; i < 5; i++)
        answers.push(await login(server.port, 'spread', `guess-${i}`, { headers: { 'x-forwarded-for': address } }));
      return answers;
    }),
  );
  expect(rounds.flat().map((a) => a.status)).toEqual(Array(20).fill(401));
  // A fifth address, with the right password: the name is locked.
  const locked = await login(server.port, 'spread', ACCESS.password, { headers: { 'x-forwarded-for': '10.20.0.5' } });
  expect(locked.status).toBe(429);
  expect(locked.code).toBe('too_many_login_attempts');
  expect(
    (await login(server.port, 'spread-other', ACCESS.password, { headers: { 'x-forwarded-for': '10.20.0.5' } })).status,
  ).toBe(200);
});

test('a success in between does not reset the count: four wrong and one right, four times over, ends in 429', async () => {
  const statuses: number[] = [];
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await login(server.port, 'loop', 'guess', { headers: { 'x-forwarded-for': '10.30.0.1' } })).status,
      );
    statuses.push(
      (await login(server.port, 'loop', ACCESS.password, { headers: { 'x-forwarded-for': '10.30.0.1' } })).status,
    );
  }
  expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 200, 401]);
  expect(statuses.filter((s) => s === 401)).toHaveLength(5);
  expect(statuses.slice(6).every((s) => s === 429)).toBe(true);
});

test('behind a trusted proxy one client locks out itself only; a client that is not a proxy cannot choose its address', async () => {
  for (let i = 0; i < 5; i++)
    expect(
      (await login(server.port, 'proxied', `guess-${i}`, { headers: { 'x-forwarded-for': '10.40.0.1' } })).status,
    ).toBe(401);
  expect(
    (await login(server.port, 'proxied', ACCESS.password, { headers: { 'x-forwarded-for': '10.40.0.1' } })).status,
  ).toBe(429);
  // Another client of the same proxy, even for the same user.
  expect(
    (await login(server.port, 'proxied', ACCESS.password, { headers: { 'x-forwarded-for': '10.40.0.2' } })).status,
  ).toBe(200);
  // Entries left of the proxy's own are the client's words: the proxy's entry (right-most) counts.
  expect(
    (await login(server.port, 'proxied', ACCESS.password, { headers: { 'x-forwarded-for': '10.40.0.9, 10.40.0.1' } }))
      .status,
  ).toBe(429);
  // 127.0.0.6 is no proxy: its X-Forwarded-For is ignored and its own address counts.
  for (let i = 0; i < 5; i++) {
    expect(
      (
        await login(server.port, 'proxied', `guess-${i}`, {
          from: '127.0.0.6',
          headers: { 'x-forwarded-for': `10.41.0.${i}` },
        })
      ).status,
    ).toBe(401);
  }
  expect(
    (
      await login(server.port, 'proxied', ACCESS.password, {
        from: '127.0.0.6',
        headers: { 'x-forwarded-for': '10.41.0.99' },
      })
    ).status,
  ).toBe(429);
});

/** `next start` (npm run serve): no scripts/serve.mjs, so no connection address. */
test('under next start bad logins lock out their user name only, not everyone; pages still check Host', async ({
  request,
}) => {
  const nextStart = new OwnServer(
    'login-limits-next-start',
    41,
    { PERCH_UI_USERS: usersSetting, PERCH_ALLOWED_HOSTS: 'perch.example.com' },
    'next start',
  );
  try {
    await nextStart.start();
    for (let i = 0; i < 6; i++) {
      expect((await login(nextStart.port, 'next-a', `guess-${i}`, { from: '127.0.0.11' })).status).toBe(401);
    }
    // Another client, another user: in, where one shared "unknown" key would have locked everyone.
    expect((await login(nextStart.port, 'next-b', ACCESS.password, { from: '127.0.0.12' })).status).toBe(200);
    expect((await login(nextStart.port, 'next-a', ACCESS.password, { from: '127.0.0.12' })).status).toBe(200);

    const rebound = await request.get(`${nextStart.url}/events`, {
      headers: { host: 'rebind.attacker.example' },
      maxRedirects: 0,
    });
    expect(rebound.status()).toBe(421);
    expect(await rebound.text()).toContain('PERCH_ALLOWED_HOSTS');
    expect(
      (
        await request.get(`${nextStart.url}/events`, { headers: { host: 'perch.example.com' }, maxRedirects: 0 })
      ).status(),
    ).toBe(303);
  } finally {
    await nextStart.stop();
  }
});
