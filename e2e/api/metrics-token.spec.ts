// /metrics needs a read credential, or PERCH_METRICS_TOKEN: a token Prometheus can carry that reads
// the counters and nothing else.
import { expect, test } from '@playwright/test';
import { expectError } from '../fixtures/api-helpers';
import { OwnServer } from '../fixtures/own-server';
import { ACCESS } from '../servers';

const METRICS_TOKEN = 'e2e-metrics-token-77c1';
const server = new OwnServer('metrics-token', 70, {
  PERCH_UI_USERS: `${ACCESS.user}:${ACCESS.passwordHash}`,
  PERCH_VIEW_TOKENS: `wall:${ACCESS.viewTokens.wall}`,
  PERCH_METRICS_TOKEN: METRICS_TOKEN,
});

test.beforeAll(async () => {
  test.setTimeout(60_000);
  await server.start();
});
test.afterAll(() => server.stop());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('the metrics token reads /metrics; without a credential it is 401', async ({ request }) => {
  await expectError(await request.get(`${server.url}/metrics`), 401, 'unauthorized');
  await expectError(
    await request.get(`${server.url}/metrics`, { headers: bearer('not-the-token') }),
    401,
    'unauthorized',
  );
  const scraped = await request.get(`${server.url}/metrics`, { headers: bearer(METRICS_TOKEN) });
  expect(scraped.status()).toBe(200);
  expect(await scraped.text()).toContain('perch_store_alerts ');
});

test('a read credential still reads /metrics', async ({ request }) => {
  expect((await request.get(`${server.url}/metrics`, { headers: bearer(ACCESS.viewTokens.wall) })).status()).toBe(200);
});

test('the metrics token reads no alerts, pages or stream', async ({ request }) => {
  for (const path of ['/api/events', '/api/stats/summary', '/api/stream']) {
    await expectError(
      await request.get(`${server.url}${path}`, { headers: bearer(METRICS_TOKEN) }),
      401,
      'unauthorized',
    );
  }
  const page = await request.get(`${server.url}/events`, { headers: bearer(METRICS_TOKEN), maxRedirects: 0 });
  expect(page.status()).toBe(303);
  expect(page.headers().location).toContain('/login');
});
