import { expect, test, type APIRequestContext } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError } from '../fixtures/api-helpers';
import { OwnServer } from '../fixtures/own-server';
import { SseClient } from '../fixtures/sse';
import { ACCESS, INGEST_TOKEN, SERVERS } from '../servers';

// Who may see and send alerts, route by route, on a server with login on (SERVERS.access).
const base = SERVERS.access.url;
const READ_ROUTES = [
  '/api/events',
  '/api/events/1',
  '/api/events/1/related',
  '/api/events/export?format=csv',
  '/api/stats/priorities',
  '/api/stats/summary',
  '/api/stats/timeline',
  '/api/stats/top?dimension=rule',
  '/api/rules',
  '/api/containers',
  '/api/process-tree',
];
const PAGES = [
  '/',
  '/events',
  '/events/1',
  '/rules',
  '/rules/x',
  '/containers',
  '/containers/x',
  '/health',
  '/setup',
  '/kiosk',
];
const viewToken = { authorization: `Bearer ${ACCESS.viewTokens.wall}` };
const ingestToken = { authorization: `Bearer ${INGEST_TOKEN}` };

async function login(request: APIRequestContext, server = base): Promise<string> {
  const response = await request.post(`${server}/api/auth/login`, {
    data: { user: ACCESS.user, password: ACCESS.password },
  });
  expect(response.status()).toBe(200);
  const setCookie = response.headers()['set-cookie'] ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  return /perch_session=[^;]+/.exec(setCookie)![0];
}

test.beforeAll(async ({ request }) => {
  // One alert so the detail and related routes have something to show to those allowed.
  expect(
    (await post(request, `${base}/api/events`, makeAlert({ hostname: uniqueTag('access') }), ingestToken)).status(),
  ).toBe(200);
});

test('anonymous requests get 401 from every read route and the login page from every page', async ({ request }) => {
  for (const route of [...READ_ROUTES, '/api/stream', '/metrics']) {
    await expectError(await request.get(`${base}${route}`), 401, 'unauthorized');
  }
  for (const page of PAGES) {
    const response = await request.get(`${base}${page}`, { maxRedirects: 0 });
    expect(response.status(), page).toBe(303);
    expect(response.headers().location, page).toBe(`/login?next=${encodeURIComponent(page)}`);
  }
  // Probes may ask whether the server is up, and learn nothing else.
  expect(await (await request.get(`${base}/api/health`)).json()).toEqual({ status: 'ok', version: expect.any(String) });
});

test('a view token reads every route and page, and never ingests', async ({ request }) => {
  for (const route of READ_ROUTES) {
    const status = (await request.get(`${base}${route}`, { headers: viewToken })).status();
    expect([200, 404], route).toContain(status); // 404: an alert id that does not exist
  }
  for (const page of PAGES.filter((p) => !p.includes('/x'))) {
    expect((await request.get(`${base}${page}`, { headers: viewToken, maxRedirects: 0 })).status(), page).not.toBe(303);
  }
  // Prometheus scrapes with a view token as its bearer token.
  expect((await request.get(`${base}/metrics`, { headers: viewToken })).status()).toBe(200);
  const stream = await SseClient.open(`${base}/api/stream`, viewToken);
  expect(stream.status).toBe(200);
  stream.client.close();
  await expectError(await post(request, `${base}/api/events`, makeAlert(), viewToken), 401, 'unauthorized');
  expect(
    (await request.get(`${base}/api/health`, { headers: viewToken }).then((r) => r.json())) as object,
  ).toHaveProperty('events');
});

test('a session reads, never ingests, and stops working at logout (copies included)', async ({ request }) => {
  const cookie = await login(request);
  for (const route of [...READ_ROUTES, '/metrics']) {
    const status = (await request.get(`${base}${route}`, { headers: { cookie } })).status();
    expect([200, 404], route).toContain(status); // 404: an alert id that does not exist
  }
  expect((await request.get(`${base}/events?from=24h`, { headers: { cookie }, maxRedirects: 0 })).status()).toBe(200);
  await expectError(await post(request, `${base}/api/events`, makeAlert(), { cookie }), 401, 'unauthorized');

  expect((await request.post(`${base}/api/auth/logout`, { headers: { cookie } })).status()).toBe(204);
  await expectError(await request.get(`${base}/api/events`, { headers: { cookie } }), 401, 'unauthorized');
  expect((await request.get(`${base}/events`, { headers: { cookie }, maxRedirects: 0 })).status()).toBe(303);
});

test('the ingest token sends alerts and reads nothing', async ({ request }) => {
  expect((await post(request, `${base}/api/events`, makeAlert(), ingestToken)).status()).toBe(200);
  await expectError(await post(request, `${base}/api/events`, makeAlert()), 401, 'unauthorized');
  await expectError(await request.get(`${base}/api/events`, { headers: ingestToken }), 401, 'unauthorized');
});

test('wrong passwords are refused and login never redirects off the site', async ({ request }) => {
  await expectError(
    await request.post(`${base}/api/auth/login`, { data: { user: ACCESS.user, password: 'nope' } }),
    401,
    'unauthorized',
  );
  await expectError(
    await request.post(`${base}/api/auth/login`, { data: { user: 'nobody', password: ACCESS.password } }),
    401,
    'unauthorized',
  );
  for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
    const response = await request.post(`${base}/api/auth/login`, {
      form: { user: ACCESS.user, password: ACCESS.password, next },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe('/');
  }
  const onSite = await request.post(`${base}/api/auth/login`, {
    form: { user: ACCESS.user, password: ACCESS.password, next: '/rules?from=7d' },
    maxRedirects: 0,
  });
  expect(onSite.headers().location).toBe('/rules?from=7d');
});

test('a user name from the trusted proxy header is accepted from loopback, a forged peer header is not', async ({
  request,
}) => {
  expect((await request.get(`${base}/api/events`, { headers: { [ACCESS.userHeader]: 'sso-user' } })).status()).toBe(
    200,
  );
  const page = await request.get(`${base}/events?from=24h`, { headers: { [ACCESS.userHeader]: 'sso-user' } });
  expect(await page.text()).toContain('sso-user');

  const untrusting = new OwnServer('access-untrusted-proxy', 20, {
    PERCH_TRUSTED_USER_HEADER: ACCESS.userHeader,
    PERCH_TRUSTED_PROXIES: '10.0.0.0/8',
  });
  try {
    await untrusting.start();
    await expectError(
      await request.get(`${untrusting.url}/api/events`, { headers: { [ACCESS.userHeader]: 'sso-user' } }),
      401,
      'unauthorized',
    );
    await expectError(
      await request.get(`${untrusting.url}/api/events`, {
        headers: { [ACCESS.userHeader]: 'sso-user', 'x-perch-peer': 'guessed-secret 10.1.2.3' },
      }),
      401,
      'unauthorized',
    );
  } finally {
    await untrusting.stop();
  }
});

test('a view-token link becomes an HttpOnly cookie, and removing the token ends access at once', async ({
  request,
}) => {
  const token = 'e2e-revocable-token-55555555';
  const server = new OwnServer('access-revoke', 21, { PERCH_VIEW_TOKENS: `wall:${token}` });
  try {
    await server.start();
    const link = await request.get(`${server.url}/kiosk?view_token=${token}&minPriority=Error`, { maxRedirects: 0 });
    expect(link.status()).toBe(303);
    expect(link.headers().location).toBe('/kiosk?minPriority=Error');
    const setCookie = link.headers()['set-cookie'] ?? '';
    expect(setCookie).toMatch(/^perch_view=[^;]+;.*HttpOnly/i);
    const cookie = /perch_view=[^;]+/.exec(setCookie)![0];
    expect(
      (await request.get(`${server.url}/kiosk?minPriority=Error`, { headers: { cookie }, maxRedirects: 0 })).status(),
    ).toBe(200);
    expect((await request.get(`${server.url}/api/stats/summary`, { headers: { cookie } })).status()).toBe(200);

    // Revoked: the setting no longer lists it.
    await server.stop();
    server.setEnv({ PERCH_VIEW_TOKENS: 'wall:e2e-replacement-token-77777777' });
    await server.start();
    expect((await request.get(`${server.url}/kiosk`, { headers: { cookie }, maxRedirects: 0 })).status()).toBe(303);
    await expectError(
      await request.get(`${server.url}/api/stats/summary`, { headers: { cookie } }),
      401,
      'unauthorized',
    );
  } finally {
    await server.stop();
  }
});

test('five failed logins from one address lock it out for a while', async ({ request }) => {
  const server = new OwnServer('access-lockout', 22, { PERCH_UI_USERS: `${ACCESS.user}:${ACCESS.passwordHash}` });
  try {
    await server.start();
    for (let i = 0; i < 5; i++) {
      await expectError(
        await request.post(`${server.url}/api/auth/login`, { data: { user: ACCESS.user, password: `guess-${i}` } }),
        401,
        'unauthorized',
      );
    }
    // Now even the right password waits.
    const locked = await request.post(`${server.url}/api/auth/login`, {
      data: { user: ACCESS.user, password: ACCESS.password },
    });
    await expectError(locked, 429, 'too_many_login_attempts');
    expect(Number(locked.headers()['retry-after'])).toBeGreaterThan(0);
  } finally {
    await server.stop();
  }
});

test('pages carry a nonce-based Content-Security-Policy and the other security headers', async ({ request }) => {
  const page = await request.get(`${SERVERS.main.url}/events?from=24h`);
  const headers = page.headers();
  const nonce = /'nonce-([^']+)'/.exec(headers['content-security-policy'] ?? '')?.[1];
  expect(nonce).toBeTruthy();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  // Every script tag in the page is Next's own, carrying this response's nonce.
  const html = await page.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A second response has a different nonce.
  const again = (await request.get(`${SERVERS.main.url}/events?from=24h`)).headers()['content-security-policy'];
  expect(again).not.toBe(headers['content-security-policy']);
  expect((await request.get(`${SERVERS.main.url}/api/health`)).headers()['x-content-type-options']).toBe('nosniff');
});

test('served under a sub-path, the API, ingest, stream and pages all answer there', async ({ request }) => {
  const sub = SERVERS.subpath.url; // …/perch
  const host = uniqueTag('subpath');
  expect(
    (await post(request, `${sub}/api/events`, makeAlert({ hostname: host, rule: `Sub-path ${host}` }))).status(),
  ).toBe(200);
  const list = (await (await request.get(`${sub}/api/events?hostname=${host}`)).json()) as {
    events: { rule: string }[];
  };
  expect(list.events.map((e) => e.rule)).toEqual([`Sub-path ${host}`]);
  // falcosidekick's webui output posts to the base URL it is given.
  expect(
    (
      await post(request, `${sub}/`, { event: makeAlert({ hostname: host, rule: 'Via webui' }), outputs: ['WebUI'] })
    ).status(),
  ).toBe(200);
  const stream = await SseClient.open(`${sub}/api/stream?hostname=${host}`);
  expect(stream.status).toBe(200);
  stream.client.close();
  const page = await request.get(`${sub}/events?from=24h&hostname=${host}`);
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain('/perch/_next/static/');
  expect((await request.get(`${SERVERS.subpath.origin}/api/events`)).status()).toBe(404);
});
