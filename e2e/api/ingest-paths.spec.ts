// The ingest URLs are answered by node:http ahead of Next (lib/ingest/node-ingest.ts); other
// spellings and verbs still go through Next. Either way a sender gets the same answers: headers,
// token, size limit, and a client that hangs up mid-body stores nothing and breaks nothing.
import { expect, test } from '@playwright/test';
import net from 'node:net';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested, listAllIds } from '../fixtures/api-helpers';
import { INGEST_TOKEN, SERVERS } from '../servers';

const main = SERVERS.main.url;
const secured = SERVERS.secured.url;

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

test('every ingest URL answers with the JSON headers the routes always sent', async ({ request }) => {
  for (const route of ['/api/events', '/api/v1/events/add', '/', '/api/v1', '/api/v1/']) {
    const hostname = uniqueTag('paths-headers');
    const response = await post(request, `${main}${route}`, makeAlert({ hostname }));
    expect(response.headers(), route).toMatchObject(JSON_HEADERS);
    const report = await expectIngested(response, 1, 0);
    expect(await listAllIds(request, main, { hostname })).toEqual(report.ids);

    const refused = await post(request, `${secured}${route}`, makeAlert({ hostname }));
    expect(refused.headers(), route).toMatchObject({
      ...JSON_HEADERS,
      'www-authenticate': expect.stringMatching(/Bearer/),
    });
    await expectError(refused, 401, 'unauthorized');
  }
});

test('spellings of the URLs that node:http leaves to Next still behave as before', async ({ request }) => {
  const hostname = uniqueTag('paths-next');
  // A trailing slash reaches the same route through Next.
  const report = await expectIngested(await post(request, `${main}/api/events/`, makeAlert({ hostname })), 1, 0);
  expect(await listAllIds(request, main, { hostname })).toEqual(report.ids);
  await expectError(await post(request, `${secured}/api/events/`, makeAlert({ hostname })), 401, 'unauthorized');
  expect((await post(request, `${main}/api/%65vents`, makeAlert({ hostname }))).status()).toBe(404);
  // Other verbs on the ingest URLs are Next's: the list, and 405 with Allow.
  expect((await request.get(`${main}/api/events?hostname=${hostname}`)).status()).toBe(200);
  const patch = await request.patch(`${main}/api/events`, { data: '{}' });
  await expectError(patch, 405, 'method_not_allowed');
  expect(patch.headers().allow).toBe('GET, POST, PUT');
  expect(await listAllIds(request, main, { hostname })).toEqual(report.ids);
});

test('under a sub-path only the sub-path ingests', async ({ request }) => {
  const hostname = uniqueTag('paths-sub');
  const sub = SERVERS.subpath;
  const report = await expectIngested(
    await post(request, `${sub.url}/api/v1/events/add`, makeAlert({ hostname })),
    1,
    0,
  );
  for (const route of ['/api/events', '/api/v1/events/add', '/api/v1/']) {
    expect((await post(request, `${sub.origin}${route}`, makeAlert({ hostname }))).status(), route).toBe(404);
  }
  expect(await listAllIds(request, sub.url, { hostname })).toEqual(report.ids);
});

test('the token, the size limit and the error envelope hold on the ingest URLs', async ({ request }) => {
  const hostname = uniqueTag('paths-limits');
  await expectError(
    await post(request, `${secured}/api/v1/events/add?token=nope`, makeAlert({ hostname })),
    401,
    'unauthorized',
  );
  const big = makeAlert({ hostname, output: 'x'.repeat(70 * 1024) });
  const tooLarge = await post(request, `${secured}/api/events?token=${INGEST_TOKEN}`, big);
  await expectError(tooLarge, 413, 'payload_too_large');
  await expectError(await post(request, `${main}/api/events`, '{"rule":'), 400, 'invalid_json');
  await expectError(await post(request, `${main}/`, ''), 400, 'empty_body');
  expect(await listAllIds(request, secured, { hostname })).toEqual([]);
  // The server still takes alerts on a fresh connection after refusing.
  await expectIngested(
    await post(request, `${secured}/api/events?token=${INGEST_TOKEN}`, makeAlert({ hostname })),
    1,
    0,
  );
});

test('a client that hangs up mid-body stores nothing and the server keeps answering', async ({ request }) => {
  const hostname = uniqueTag('paths-hangup');
  const body = JSON.stringify(makeAlert({ hostname }));
  const { hostname: host, port } = new URL(main);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(Number(port), host, () => {
      socket.write(
        `POST /api/events HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 40)}`,
      );
      setTimeout(() => socket.destroy(), 200);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  await expectIngested(await post(request, `${main}/api/events`, makeAlert({ hostname: `${hostname}-after` })), 1, 0);
  expect(await listAllIds(request, main, { hostname })).toEqual([]);
});
