// Every read filter has a cap on its number of values and on their size, and a read that asks for
// more gets 400 invalid_query naming the cap: no request may cost the server more than the caps allow.
import { expect, test } from '@playwright/test';
import { makeAlert, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested, queryString } from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;
const READ_ROUTES = [
  '/api/events',
  '/api/stats/summary',
  '/api/stats/timeline',
  '/api/stats/priorities',
  '/api/stats/top?dimension=rule',
  '/api/rules',
  '/api/containers',
  '/api/process-tree',
  '/api/events/export',
];
const withQuery = (route: string, query: string) => `${base}${route}${route.includes('?') ? '&' : '?'}${query}`;

test("400 chain values (the review's stall) are refused at once on every read route, naming the cap", async ({
  request,
}) => {
  const chains = Array.from({ length: 400 }, (_, i) => `chain=${encodeURIComponent(`bash\x1fsh\x1fx${i}`)}`).join('&');
  for (const route of READ_ROUTES) {
    const started = Date.now();
    const body = await expectError(await request.get(withQuery(route, `from=all&${chains}`)), 400, 'invalid_query');
    expect(Date.now() - started, route).toBeLessThan(2_000);
    expect(body.error.message, route).toContain('at most 20 values of chain');
    expect(body.error.issues).toEqual([expect.objectContaining({ field: 'chain', code: 'too_big' })]);
  }
});

test('700 short chain values give 400, not SQLite\'s "expression tree is too large" 500', async ({ request }) => {
  const chains = Array.from({ length: 700 }, () => 'chain=a').join('&');
  await expectError(await request.get(withQuery('/api/stats/timeline', `from=all&${chains}`)), 400, 'invalid_query');
});

test('each list filter takes at most 50 values, and each value at most 1,000 characters', async ({ request }) => {
  for (const key of [
    'rule',
    'tag',
    'proc',
    'user',
    'image',
    'container',
    'pod',
    'namespace',
    'hostname',
    'source',
    'priority',
  ]) {
    const value = key === 'priority' ? 'Critical' : 'x';
    const fifty = Array.from({ length: 50 }, () => `${key}=${value}`).join('&');
    expect((await request.get(withQuery('/api/events', `from=1h&${fifty}`))).status(), `${key} ×50`).toBe(200);
    const body = await expectError(
      await request.get(withQuery('/api/events', `from=1h&${fifty}&${key}=${value}`)),
      400,
      'invalid_query',
    );
    expect(body.error.message).toContain(`at most 50 values of ${key}`);
  }
  expect((await request.get(withQuery('/api/events', `from=1h&rule=${'r'.repeat(1000)}`))).status()).toBe(200);
  const long = await expectError(
    await request.get(withQuery('/api/events', `from=1h&rule=${'r'.repeat(1001)}`)),
    400,
    'invalid_query',
  );
  expect(long.error.issues).toEqual([expect.objectContaining({ field: 'rule', code: 'too_big' })]);
});

test('free text takes at most 16 words: a phrase of one word repeated 49 times is refused, 16 still searches', async ({
  request,
}) => {
  const word = uniqueTag('word').replaceAll('-', '');
  await expectIngested(
    await request.post(`${base}/api/events`, { data: makeAlert({ output: `${Array(16).fill(word).join(' ')} end` }) }),
    1,
    0,
  );
  const sixteen = await request.get(
    `${base}/api/events?${queryString({ from: 'all', q: Array(16).fill(word).join(' ') })}`,
  );
  expect(sixteen.status()).toBe(200);
  expect((await sixteen.json()).events).toHaveLength(1);
  const body = await expectError(
    await request.get(
      `${base}/api/stats/timeline?${queryString({ from: 'all', q: Array(49).fill('container').join(' ') })}`,
    ),
    400,
    'invalid_query',
  );
  expect(body.error.message).toContain('at most 16 words');
});

test('a time bound near the end of 64-bit nanoseconds is a 400 on every read route, not a 500', async ({ request }) => {
  for (const bound of ['from', 'to']) {
    for (const route of READ_ROUTES) {
      const body = await expectError(
        await request.get(withQuery(route, `${bound}=2262-04-11T23:47:16.854775807Z`)),
        400,
        'invalid_query',
      );
      expect(body.error.message, route).toContain('before 2200');
    }
  }
  expect((await request.get(`${base}/api/stats/timeline?from=2199-12-31T00:00:00Z`)).status()).toBe(200);
});
