// What a hostile web page can make a visitor's browser do to Perch: log them in or out (CSRF),
// post alerts to an open ingest URL, read a login-off Perch through DNS rebinding, or carry a
// view token into logs. Each request below is shaped the way a browser would send it.
import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { makeAlert, uniqueTag } from '../fixtures/alerts';
import { listAllIds } from '../fixtures/api-helpers';
import { metric, scrape } from '../fixtures/metrics';
import { OwnServer } from '../fixtures/own-server';
import { ACCESS, INGEST_TOKEN, SERVERS } from '../servers';

const access = SERVERS.access;
const open = SERVERS.main; // login off, ingest open
const EVIL = 'http://evil.example';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One request exactly as given (Host and path spelling included), with node:http. */
function raw(url: string, { method = 'GET', headers = {} as Record<string, string>, body = '' } = {}): Promise<Raw> {
  const { hostname, port } = new URL(url);
  const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        hostname,
        port,
        path,
        method,
        headers: { ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const errorCode = (answer: Raw) => (JSON.parse(answer.text) as { error: { code: string } }).error.code;
const json = { 'content-type': 'application/json' };
const credentials = JSON.stringify({ user: ACCESS.user, password: ACCESS.password });
const sessionOf = (answer: Raw) => /perch_session=[^;]+/.exec(String(answer.headers['set-cookie'] ?? ''))?.[0] ?? null;

test.describe('login and logout refuse other sites', () => {
  test('a cross-site login is refused with 403 and sets no cookie; the same login from the site itself works', async () => {
    const origin = new URL(access.url).origin;
    const browsers: Record<string, string>[] = [
      { origin: EVIL },
      { 'sec-fetch-site': 'cross-site', origin: EVIL },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of browsers) {
      const answer = await raw(`${access.url}/api/auth/login`, {
        method: 'POST',
        headers: { ...json, ...headers },
        body: credentials,
      });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(errorCode(answer)).toBe('cross_site_request');
      expect(sessionOf(answer)).toBeNull();
    }
    const own = await raw(`${access.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...json, origin, 'sec-fetch-site': 'same-origin' },
      body: credentials,
    });
    expect(own.status).toBe(200);
    expect(sessionOf(own)).not.toBeNull();
    // Behind a proxy the browser's Origin names the public host, which the proxy passes on.
    const proxied = await raw(`${access.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...json, origin: 'https://perch.example.com', 'x-forwarded-host': 'perch.example.com' },
      body: credentials,
    });
    expect(proxied.status).toBe(200);
  });

  test('the login CSRF of the review: a text/plain body holding JSON is refused, as is multipart', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'multipart/form-data; boundary=x', '']) {
      const headers: Record<string, string> = type ? { 'content-type': type } : {};
      const answer = await raw(`${access.url}/api/auth/login`, {
        method: 'POST',
        headers,
        body: `${credentials.slice(0, -1)}, "x=":"y"}`,
      });
      expect(answer.status, type).toBe(403);
      expect(errorCode(answer)).toBe('cross_site_request');
      expect(sessionOf(answer)).toBeNull();
    }
    // Scripts: JSON with its content type (charset allowed), as before.
    expect(
      (
        await raw(`${access.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: credentials,
        })
      ).status,
    ).toBe(200);
  });

  test('a cross-site logout is refused and the session keeps working', async () => {
    const cookie = sessionOf(
      await raw(`${access.url}/api/auth/login`, { method: 'POST', headers: json, body: credentials }),
    )!;
    const refused = await raw(`${access.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, origin: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe('cross_site_request');
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await raw(`${access.url}/api/events`, { headers: { cookie } })).status).toBe(200);
    const own = await raw(`${access.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, origin: new URL(access.url).origin, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(own.status).toBe(303);
    expect((await raw(`${access.url}/api/events`, { headers: { cookie } })).status).toBe(401);
  });
});

test.describe('next after login', () => {
  const nexts = [
    '/\t/evil.example',
    '/\t\\evil.example',
    '/\\evil.example',
    '/\n/evil.example',
    '/x\r\nSet-Cookie: a=b',
    '/\v/evil.example',
    '/..//evil.example',
    '/\u0000',
  ];
  for (const next of nexts) {
    test(`next=${JSON.stringify(next)} → 303 to /`, async () => {
      const body = new URLSearchParams({ user: ACCESS.user, password: ACCESS.password, next }).toString();
      const answer = await raw(`${access.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe('/');
    });
  }

  test('a path on the site is kept, with non-ASCII escaped rather than a 500', async () => {
    const body = new URLSearchParams({
      user: ACCESS.user,
      password: ACCESS.password,
      next: '/events?q=zürich €&from=1h',
    }).toString();
    const answer = await raw(`${access.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe('/events?q=z%C3%BCrich%20%E2%82%AC&from=1h');
  });
});

async function expectRefused(name: string, route: string, headers: Record<string, string>, alert: string) {
  const body = route === '/' ? JSON.stringify({ event: JSON.parse(alert) as unknown, outputs: ['WebUI'] }) : alert;
  const answer = await raw(`${open.url}${route}`, { method: name.includes('PUT') ? 'PUT' : 'POST', headers, body });
  expect(answer.status, name).toBe(403);
  expect(errorCode(answer), name).toBe('cross_site_request');
}

test.describe('ingest refuses what only browsers send', () => {
  test('on an open ingest URL a form post or a cross-site post is refused and counted; Falco-shaped posts are stored', async ({
    request,
  }) => {
    const hostname = uniqueTag('browser-ingest');
    const alert = JSON.stringify(makeAlert({ hostname }));
    const before = await scrape(request, open.url);
    const refusals: [string, string, Record<string, string>][] = [
      ['urlencoded form', '/api/events', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['multipart form', '/api/events', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['cross-site Origin', '/api/events', { ...json, origin: EVIL }],
      [
        'cross-site fetch, no-cors text/plain',
        '/api/events',
        { 'content-type': 'text/plain', origin: EVIL, 'sec-fetch-site': 'cross-site' },
      ],
      ['form to the falcosidekick-ui root', '/', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['cross-site PUT', '/api/v1/events/add', { ...json, origin: EVIL }],
    ];
    for (const [name, route, headers] of refusals) await expectRefused(name, route, headers, alert);
    expect(await listAllIds(request, open.url, { hostname })).toEqual([]);
    const after = await scrape(request, open.url);
    expect(
      metric(after, 'perch_ingest_rejected_total', { reason: 'cross_site_request' }) -
        metric(before, 'perch_ingest_rejected_total', { reason: 'cross_site_request' }),
    ).toBe(refusals.length);

    // What Falco (application/json, or text/plain without json_output) and falcosidekick send: no Origin.
    const senders: Record<string, string>[] = [
      { 'content-type': 'application/json', 'user-agent': 'falcosecurity/falco' },
      { 'content-type': 'text/plain', 'user-agent': 'falcosecurity/falco' },
      { 'content-type': 'application/json', 'user-agent': 'Falcosidekick' },
      {},
    ];
    for (const headers of senders) {
      const answer = await raw(`${open.url}/api/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify(makeAlert({ hostname, uuid: randomUUID() })),
      });
      expect(answer.status, JSON.stringify(headers)).toBe(200);
    }
    expect(await listAllIds(request, open.url, { hostname })).toHaveLength(senders.length);
  });

  test('the spellings that Next routes (not the node:http fast path) refuse them too', async ({ request }) => {
    const hostname = uniqueTag('browser-ingest-next');
    const alert = JSON.stringify(makeAlert({ hostname }));
    await expectRefused(
      'form to /api/events/',
      '/api/events/',
      { 'content-type': 'application/x-www-form-urlencoded' },
      alert,
    );
    await expectRefused('cross-site to /api/v1/events/add/', '/api/v1/events/add/', { ...json, origin: EVIL }, alert);
    await expectRefused('cross-site PUT to /api/./events', '/api/./events', { ...json, origin: EVIL }, alert);
    expect(await listAllIds(request, open.url, { hostname })).toEqual([]);
  });

  test('with an ingest token a cross-site post is refused even when the page has the token', async () => {
    const answer = await raw(`${access.url}/api/events?token=${INGEST_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: EVIL },
      body: JSON.stringify(makeAlert()),
    });
    expect(answer.status).toBe(403);
  });
});

test.describe('Host allow-list (PERCH_ALLOWED_HOSTS) against DNS rebinding', () => {
  test('a login-off Perch answers its IP literals and localhost, and 421 to any other name, on every read', async () => {
    const port = new URL(open.url).port;
    for (const path of ['/api/events', '/api/health', '/metrics', '/api/stats/summary', '/events', '/']) {
      const api = await raw(`${open.url}${path}`, { headers: { host: `rebind.attacker.example:${port}` } });
      expect(api.status, path).toBe(421);
      expect(errorCode(api)).toBe('host_not_allowed');
      expect(JSON.parse(api.text).error.message).toContain('PERCH_ALLOWED_HOSTS');
    }
    const page = await raw(`${open.url}/events`, {
      headers: { host: `rebind.attacker.example:${port}`, accept: 'text/html' },
    });
    expect(page.status).toBe(421);
    expect(page.headers['content-type']).toMatch(/^text\/plain/);
    expect(page.text).toContain('PERCH_ALLOWED_HOSTS');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `wall.localhost:${port}`]) {
      expect((await raw(`${open.url}/api/events?limit=1`, { headers: { host } })).status, host).toBe(200);
    }
    // The rebinding page itself, posting with its (same-origin) Origin, is refused too.
    const posted = await raw(`${open.url}/api/events`, {
      method: 'POST',
      headers: { ...json, host: `rebind.attacker.example:${port}`, origin: `http://rebind.attacker.example:${port}` },
      body: JSON.stringify(makeAlert()),
    });
    expect(posted.status).toBe(421);
  });

  test('ingest is not Host-checked: Falco posts to whatever service name reaches Perch', async ({ request }) => {
    const hostname = uniqueTag('ingest-any-host');
    for (const route of ['/api/events', '/api/events/', '/']) {
      const body = JSON.stringify(
        route === '/'
          ? { event: makeAlert({ hostname, uuid: randomUUID() }), outputs: ['WebUI'] }
          : makeAlert({ hostname, uuid: randomUUID() }),
      );
      const answer = await raw(`${open.url}${route}`, {
        method: 'POST',
        headers: { ...json, host: 'perch.falco.svc:3000' },
        body,
      });
      expect(answer.status, route).toBe(200);
    }
    expect(await listAllIds(request, open.url, { hostname })).toHaveLength(3);
  });

  test('with login on any name is answered, unless PERCH_ALLOWED_HOSTS lists names', async () => {
    const viewToken = { authorization: `Bearer ${ACCESS.viewTokens.wall}` };
    expect(
      (await raw(`${access.url}/api/events?limit=1`, { headers: { ...viewToken, host: 'perch.example.com' } })).status,
    ).toBe(200);
    const listed = new OwnServer('browser-guards-hosts', 43, {
      PERCH_VIEW_TOKENS: `wall:${ACCESS.viewTokens.wall}`,
      PERCH_ALLOWED_HOSTS: 'perch.example.com,*.perch.example.net',
    });
    try {
      await listed.start();
      expect(
        (await raw(`${listed.url}/api/events?limit=1`, { headers: { ...viewToken, host: 'perch.example.com' } }))
          .status,
      ).toBe(200);
      expect(
        (
          await raw(`${listed.url}/api/events?limit=1`, {
            headers: { ...viewToken, host: 'wall.perch.example.net:8080' },
          })
        ).status,
      ).toBe(200);
      expect(
        (await raw(`${listed.url}/api/events?limit=1`, { headers: { ...viewToken, host: 'other.example.com' } }))
          .status,
      ).toBe(421);
      expect(
        (
          await raw(`${listed.url}/kiosk`, {
            headers: { ...viewToken, host: 'other.example.com', accept: 'text/html' },
          })
        ).status,
      ).toBe(421);
    } finally {
      await listed.stop();
    }
  });
});

test.describe('view tokens in URLs', () => {
  test('?view_token= on an API URL is no credential (401), and does not spoil another one', async () => {
    const answer = await raw(`${access.url}/api/events?view_token=${ACCESS.viewTokens.wall}`);
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('unauthorized');
    expect((await raw(`${access.url}/metrics?view_token=${ACCESS.viewTokens.wall}`)).status).toBe(401);
    const bearer = await raw(`${access.url}/api/events?limit=1&view_token=nonsense`, {
      headers: { authorization: `Bearer ${ACCESS.viewTokens.wall}` },
    });
    expect(bearer.status).toBe(200);
  });

  test('a browser with a session opening a view-token link is sent to the clean URL, and keeps its session', async () => {
    const cookie = sessionOf(
      await raw(`${access.url}/api/auth/login`, { method: 'POST', headers: json, body: credentials }),
    )!;
    const link = await raw(`${access.url}/events?from=1h&view_token=${ACCESS.viewTokens.wall}`, {
      headers: { cookie },
    });
    expect(link.status).toBe(303);
    expect(link.headers.location).toBe('/events?from=1h');
    // The logged-in user stays who they are: no view cookie to outlast their logout.
    expect(String(link.headers['set-cookie'] ?? '')).not.toContain('perch_view=');
    const page = await raw(`${access.url}/events?from=1h`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(ACCESS.viewTokens.wall);
    // A wrong token is dropped too, for anyone who may look; someone who may not is sent to log in without it.
    expect(
      (await raw(`${access.url}/rules?view_token=wrong-token-000000`, { headers: { cookie } })).headers.location,
    ).toBe('/rules');
    const anonymous = await raw(`${access.url}/rules?x=1&view_token=wrong-token-000000`);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent('/rules?x=1')}`);
  });

  test('a wall screen with a view cookie opening another token link gets the new cookie', async () => {
    const first = await raw(`${access.url}/kiosk?view_token=${ACCESS.viewTokens.wall}`);
    const cookie = /perch_view=[^;]+/.exec(String(first.headers['set-cookie']))![0];
    const second = await raw(`${access.url}/kiosk?view_token=${ACCESS.viewTokens.other}`, { headers: { cookie } });
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe('/kiosk');
    expect(String(second.headers['set-cookie'])).toContain(`perch_view=${ACCESS.viewTokens.other}`);
  });
});
