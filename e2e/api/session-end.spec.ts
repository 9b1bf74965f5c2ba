// A session ends for good: a logout outlasts a restart and reaches the other processes on the
// store, and an open live stream ends with its session (logout or expiry).
import { expect, test, type APIRequestContext } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError } from '../fixtures/api-helpers';
import { OwnServer } from '../fixtures/own-server';
import { SseClient } from '../fixtures/sse';
import { ACCESS, INGEST_TOKEN } from '../servers';

const LOGIN_ON = { PERCH_UI_USERS: `${ACCESS.user}:${ACCESS.passwordHash}`, PERCH_INGEST_TOKEN: INGEST_TOKEN };
const ingestToken = { authorization: `Bearer ${INGEST_TOKEN}` };

async function login(request: APIRequestContext, server: OwnServer): Promise<string> {
  const response = await request.post(`${server.url}/api/auth/login`, {
    data: { user: ACCESS.user, password: ACCESS.password },
  });
  expect(response.status()).toBe(200);
  return /perch_session=[^;]+/.exec(response.headers()['set-cookie'] ?? '')![0];
}

async function expectLoggedOut(request: APIRequestContext, server: OwnServer, cookie: string) {
  await expectError(await request.get(`${server.url}/api/events`, { headers: { cookie } }), 401, 'unauthorized');
  const page = await request.get(`${server.url}/events`, { headers: { cookie }, maxRedirects: 0 });
  expect(page.status()).toBe(303);
  expect(page.headers().location).toBe('/login?next=%2Fevents');
}

async function expectLoggedIn(request: APIRequestContext, server: OwnServer, cookie: string) {
  expect((await request.get(`${server.url}/api/events`, { headers: { cookie } })).status()).toBe(200);
  expect((await request.get(`${server.url}/events?from=24h`, { headers: { cookie }, maxRedirects: 0 })).status()).toBe(
    200,
  );
}

async function openStream(server: OwnServer, cookie: string): Promise<SseClient> {
  const { client, status } = await SseClient.open(`${server.url}/api/stream`, { cookie });
  expect(status).toBe(200);
  await client.waitFor(() => client.types.includes('ready'), 'ready');
  return client;
}

/** Ms until the stream's connection ends, polled up to `limitMs`. */
async function msUntilEnded(client: SseClient, limitMs: number): Promise<number> {
  const started = Date.now();
  while (!client.ended && Date.now() - started < limitMs) await new Promise((resolve) => setTimeout(resolve, 20));
  return Date.now() - started;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.describe('logout', () => {
  const server = new OwnServer('session-end', 50, LOGIN_ON);
  test.beforeAll(async () => server.start());
  test.afterAll(async () => server.stop());

  test('a logged-out cookie stays refused after a restart; other sessions go on', async ({ request }) => {
    test.setTimeout(90_000);
    const ended = await login(request, server);
    const kept = await login(request, server);
    await expectLoggedIn(request, server, ended);
    expect((await request.post(`${server.url}/api/auth/logout`, { headers: { cookie: ended } })).status()).toBe(204);
    await expectLoggedOut(request, server, ended);

    // Killed the hard way right after the 204: the logout was already committed.
    await server.stop();
    await server.start();
    await expectLoggedOut(request, server, ended);
    await expectLoggedIn(request, server, kept);
  });

  test('an open stream ends within a few seconds of its session logging out, and stays refused', async ({
    request,
  }) => {
    const cookie = await login(request, server);
    const other = await login(request, server);
    const stream = await openStream(server, cookie);
    const bystander = await openStream(server, other);
    try {
      // The periodic check keeps a valid session's stream open.
      await sleep(2_500);
      expect(stream.ended).toBe(false);

      expect((await request.post(`${server.url}/api/auth/logout`, { headers: { cookie } })).status()).toBe(204);
      const ms = await msUntilEnded(stream, 10_000);
      console.log(`stream ended ${ms} ms after its logout`);
      expect(stream.ended).toBe(true);
      expect(ms).toBeLessThan(6_000);

      // Nothing more reaches it; the other session's stream still delivers.
      const host = uniqueTag('after-logout');
      expect(
        (await post(request, `${server.url}/api/events`, makeAlert({ hostname: host }), ingestToken)).status(),
      ).toBe(200);
      await bystander.waitFor(() => bystander.alerts.some((a) => a.hostname === host), 'the alert on the other stream');
      expect(bystander.ended).toBe(false);
      expect(stream.alerts.some((a) => a.hostname === host)).toBe(false);
      const again = await SseClient.open(`${server.url}/api/stream`, { cookie });
      expect(again.status).toBe(401);
    } finally {
      stream.close();
      bystander.close();
    }
  });
});

test('a logout on one Perch process is refused by another on the same store within a few seconds', async ({
  request,
}) => {
  test.setTimeout(90_000);
  const first = new OwnServer('session-end-shared', 51, LOGIN_ON);
  // Same store (and so the same session.key): created before either starts, as the fixture empties the folder.
  const second = new OwnServer('session-end-shared', 52, LOGIN_ON);
  try {
    await first.start();
    await second.start();
    const cookie = await login(request, first);
    await expectLoggedIn(request, second, cookie);
    const stream = await openStream(second, cookie);
    expect((await request.post(`${first.url}/api/auth/logout`, { headers: { cookie } })).status()).toBe(204);
    const started = Date.now();
    while (
      (await request.get(`${second.url}/api/events`, { headers: { cookie } })).status() !== 401 &&
      Date.now() - started < 10_000
    )
      await sleep(100);
    const ms = Date.now() - started;
    console.log(`the other process refused the cookie ${ms} ms after the logout`);
    expect(ms).toBeLessThan(5_000);
    await expectLoggedOut(request, second, cookie);
    expect(await msUntilEnded(stream, 6_000)).toBeLessThan(6_000);
  } finally {
    await first.stop();
    await second.stop();
  }
});

test('an open stream ends within a few seconds of its session expiring', async ({ request }) => {
  test.setTimeout(60_000);
  const server = new OwnServer('session-end-ttl', 53, { ...LOGIN_ON, PERCH_SESSION_TTL: '4s' });
  try {
    await server.start();
    const loggedInAt = Date.now();
    const cookie = await login(request, server);
    const stream = await openStream(server, cookie);
    try {
      await msUntilEnded(stream, 15_000);
      const sinceLogin = Date.now() - loggedInAt;
      console.log(`stream ended ${sinceLogin} ms after login (TTL 4 s)`);
      expect(stream.ended).toBe(true);
      expect(sinceLogin).toBeGreaterThanOrEqual(4_000 - 50);
      expect(sinceLogin).toBeLessThan(4_000 + 6_000);
      await expectError(await request.get(`${server.url}/api/events`, { headers: { cookie } }), 401, 'unauthorized');
    } finally {
      stream.close();
    }
  } finally {
    await server.stop();
  }
});
