// The ingest token: required on the secured server (bearer, basic-auth password or ?token=, since
// Falco's http_output cannot send headers), never on the read API, and not asked for when unset.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { eventCount, makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested, listAllIds } from '../fixtures/api-helpers';
import { INGEST_TOKEN, SERVERS } from '../servers';

const secured = SERVERS.secured.url;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Asserts a refused ingest: 401 unauthorized with a challenge, and nothing stored for that hostname. */
async function expectRefused(
  request: APIRequestContext,
  send: () => ReturnType<APIRequestContext['post']>,
  hostname: string,
) {
  const before = await eventCount(request, secured);
  const response = await send();
  await expectError(response, 401, 'unauthorized');
  expect(response.headers()['www-authenticate']).toMatch(/Bearer|Basic/);
  expect(await eventCount(request, secured)).toBe(before);
  expect(await listAllIds(request, secured, { hostname })).toEqual([]);
}

test.describe('secured server: ingest needs the token', () => {
  test('no token → 401 unauthorized, nothing stored', async ({ request }) => {
    const hostname = uniqueTag('auth-none');
    await expectRefused(request, () => post(request, `${secured}/api/events`, makeAlert({ hostname })), hostname);
  });

  const wrong: [string, (url: string) => string, Record<string, string>][] = [
    ['wrong bearer token', (url) => url, { authorization: `Bearer ${INGEST_TOKEN}x` }],
    ['empty bearer token', (url) => url, { authorization: 'Bearer ' }],
    [
      'bearer token with a prefix of the real one',
      (url) => url,
      { authorization: `Bearer ${INGEST_TOKEN.slice(0, -1)}` },
    ],
    ['wrong basic-auth password', (url) => url, { authorization: basic('falco', 'nope') }],
    ['the token as the basic-auth user name', (url) => url, { authorization: basic(INGEST_TOKEN, '') }],
    ['wrong ?token=', (url) => `${url}?token=nope`, {}],
    ['empty ?token=', (url) => `${url}?token=`, {}],
    ['token in another parameter', (url) => `${url}?access_token=${INGEST_TOKEN}`, {}],
  ];
  for (const [name, url, headers] of wrong) {
    test(`${name} → 401`, async ({ request }) => {
      const hostname = uniqueTag('auth-wrong');
      await expectRefused(
        request,
        () => post(request, url(`${secured}/api/events`), makeAlert({ hostname }), headers),
        hostname,
      );
    });
  }

  test('the falcosidekick-ui routes refuse without the token too', async ({ request }) => {
    for (const route of ['/', '/api/v1/', '/api/v1/events/add']) {
      const hostname = uniqueTag('auth-webui');
      await expectRefused(
        request,
        () =>
          post(request, `${secured}${route}`, {
            event: makeAlert({ hostname, uuid: randomUUID() }),
            outputs: ['WebUI'],
          }),
        hostname,
      );
    }
  });

  const right: [string, string, Record<string, string>][] = [
    ['Authorization: Bearer <token>', '/api/events', { authorization: `Bearer ${INGEST_TOKEN}` }],
    ['bearer scheme in lower case', '/api/events', { authorization: `bearer ${INGEST_TOKEN}` }],
    [
      'basic auth falco:<token> (http://falco:<token>@host/)',
      '/api/events',
      { authorization: basic('falco', INGEST_TOKEN) },
    ],
    ['?token=<token>', `/api/events?token=${INGEST_TOKEN}`, {}],
    ['?token=<token> on POST /', `/?token=${INGEST_TOKEN}`, {}],
    ['?token=<token> on POST /api/v1/events/add', `/api/v1/events/add?token=${INGEST_TOKEN}`, {}],
  ];
  for (const [name, route, headers] of right) {
    test(`${name} → 200, stored`, async ({ request }) => {
      const hostname = uniqueTag('auth-ok');
      const alert = makeAlert({ hostname, uuid: randomUUID() });
      const body = route.startsWith('/?') ? { event: alert, outputs: ['WebUI'] } : alert;
      const report = await expectIngested(await post(request, `${secured}${route}`, body, headers), 1, 0);
      expect(await listAllIds(request, secured, { hostname })).toEqual(report.ids);
    });
  }

  test('PUT with the bearer token (falcosidekick webhook customheaders) → 200', async ({ request }) => {
    const hostname = uniqueTag('auth-put');
    const response = await request.put(`${secured}/api/events`, {
      data: JSON.stringify(makeAlert({ hostname, uuid: randomUUID() })),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
    });
    await expectIngested(response, 1, 0);
  });

  test('the read API answers without a token', async ({ request }) => {
    const hostname = uniqueTag('auth-read');
    const report = await expectIngested(
      await post(request, `${secured}/api/events?token=${INGEST_TOKEN}`, makeAlert({ hostname })),
      1,
      0,
    );
    const list = await request.get(`${secured}/api/events?hostname=${hostname}`);
    expect(list.status()).toBe(200);
    expect(((await list.json()) as { events: { id: number }[] }).events.map((e) => e.id)).toEqual(report.ids);
    const detail = await request.get(`${secured}/api/events/${report.ids[0]}`);
    expect(detail.status()).toBe(200);
    const health = await request.get(`${secured}/api/health`);
    expect(health.status()).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const all = await request.get(`${secured}/api/events`);
    expect(all.status()).toBe(200);
    expect((await request.get(`${secured}/api/stats/priorities`)).status()).toBe(200);
  });
});

test.describe('open server: no token configured', () => {
  test('ingest without a token is accepted on SERVERS.main', async ({ request }) => {
    const hostname = uniqueTag('auth-open');
    const report = await expectIngested(
      await post(request, `${SERVERS.main.url}/api/events`, makeAlert({ hostname })),
      1,
      0,
    );
    expect(await listAllIds(request, SERVERS.main.url, { hostname })).toEqual(report.ids);
  });

  test('a token sent anyway to an open server does no harm', async ({ request }) => {
    const hostname = uniqueTag('auth-open-token');
    await expectIngested(
      await post(request, `${SERVERS.main.url}/api/events?token=anything`, makeAlert({ hostname }), {
        authorization: 'Bearer anything',
      }),
      1,
      0,
    );
  });
});
