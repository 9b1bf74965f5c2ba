// Alerts arriving faster than they can be committed: beyond PERCH_MAX_PENDING ingest answers
// 503 ingest_overloaded at once instead of buffering, every 2xx is stored, and /metrics counts
// each refusal (Falco drops what fails, so refusals must be visible).
import { expect, test } from '@playwright/test';
import { makeAlert, uniqueTag } from '../fixtures/alerts';
import { expectEnvelopeShape, expectError, listAllIds, sendRaw } from '../fixtures/api-helpers';
import { MB, metric, scrape, watchRss } from '../fixtures/metrics';
import { OwnServer } from '../fixtures/own-server';

const MAX_PENDING = 100;
const SENDERS = 48;
const BATCH = 50;
const FLOOD_MS = 5_000;

const server = new OwnServer('overload', 32, { PERCH_MAX_PENDING: String(MAX_PENDING) });
test.beforeAll(() => server.start());
test.afterAll(() => server.stop());

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

test('a batch with more alerts than PERCH_MAX_PENDING is 413, nothing stored', async ({ request }) => {
  const hostname = uniqueTag('overload-big');
  const body = Array.from({ length: MAX_PENDING + 1 }, () => JSON.stringify(makeAlert({ hostname }))).join('\n');
  const error = await expectError(await sendRaw(request, `${server.url}/api/events`, body), 413, 'payload_too_large');
  expect(error.error.message).toContain('PERCH_MAX_PENDING');
  expect(await listAllIds(request, server.url, { hostname })).toEqual([]);
});

test('a flood is refused fast with 503 ingest_overloaded; every 2xx is stored; refusals are counted', async ({
  request,
}) => {
  test.setTimeout(60_000);
  const hostname = uniqueTag('overload');
  const url = `${server.url}/api/events`;
  const before = await scrape(request, server.url);
  const acknowledged: number[] = [];
  const refusals: { latencyMs: number; retryAfter: string | null; body: unknown }[] = [];
  const acceptedLatencies: number[] = [];
  const unexpected: string[] = [];
  let pendingSeen = 0;
  let counter = 0;

  const deadline = Date.now() + FLOOD_MS;
  const sender = async () => {
    while (Date.now() < deadline) {
      const body = Array.from({ length: BATCH }, () =>
        JSON.stringify(makeAlert({ hostname, uuid: `${hostname}-${counter++}` })),
      ).join('\n');
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
      const text = await response.text();
      const latencyMs = performance.now() - started;
      if (response.status === 200) {
        acknowledged.push(...(JSON.parse(text) as { ids: number[] }).ids);
        acceptedLatencies.push(latencyMs);
      } else if (response.status === 503) {
        refusals.push({ latencyMs, retryAfter: response.headers.get('retry-after'), body: JSON.parse(text) });
      } else {
        unexpected.push(`${response.status} ${text.slice(0, 200)}`);
      }
    }
  };
  const watchPending = async () => {
    while (Date.now() < deadline) {
      pendingSeen = Math.max(pendingSeen, metric(await scrape(request, server.url), 'perch_ingest_pending_alerts'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const rss = watchRss(request, server.url);
  await Promise.all([...Array.from({ length: SENDERS }, sender), watchPending()]);
  const rssSeen = await rss.stop();

  expect(unexpected, 'answers other than 200 and 503').toEqual([]);
  expect(refusals.length, 'the flood was refused at least once').toBeGreaterThan(0);
  expect(acknowledged.length, 'alerts were still stored during the flood').toBeGreaterThan(0);
  // Each distinct refusal body checked once: a flood brings thousands of alike refusals, and a
  // Playwright expect per refusal cost a minute on a fast machine.
  for (const body of new Set(refusals.map((refusal) => JSON.stringify(refusal.body)))) {
    const refusal = JSON.parse(body) as unknown;
    expectEnvelopeShape(refusal);
    expect(refusal.error.code).toBe('ingest_overloaded');
  }
  expect(
    refusals.filter((refusal) => !(Number(refusal.retryAfter) > 0)).map((refusal) => refusal.retryAfter),
    'Retry-After on every refusal',
  ).toEqual([]);
  expect(pendingSeen, 'alerts waiting for a commit never exceed PERCH_MAX_PENDING').toBeLessThanOrEqual(MAX_PENDING);

  // Every acknowledged alert is in the store, and nothing else of this test is.
  const stored = await listAllIds(request, server.url, { hostname, from: 'all' });
  expect(stored.sort((a, b) => a - b)).toEqual([...acknowledged].sort((a, b) => a - b));

  const after = await scrape(request, server.url);
  const delta = (name: string, labels: Record<string, string> = {}) =>
    metric(after, name, labels) - metric(before, name, labels);
  expect(delta('perch_ingest_refused_total', { reason: 'ingest_overloaded' })).toBe(refusals.length);
  expect(delta('perch_alerts_stored_total')).toBe(acknowledged.length);
  // Server side, a refusal costs next to nothing: most are answered before the body is read.
  const refusedFast = delta('perch_ingest_duration_seconds_bucket', { outcome: 'refused', le: '0.05' });
  expect(refusedFast / refusals.length).toBeGreaterThan(0.8);

  test.info().annotations.push({
    type: 'overload',
    description:
      `${acknowledged.length} alerts stored, ${refusals.length} requests refused in ${FLOOD_MS / 1000} s by ${SENDERS} senders of ${BATCH}-alert batches; ` +
      `server-side ${refusedFast} of ${refusals.length} refusals under 50 ms; client-side refusal p50 ${percentile(
        refusals.map((r) => r.latencyMs),
        0.5,
      ).toFixed(0)} ms, ` +
      `accepted p50 ${percentile(acceptedLatencies, 0.5).toFixed(0)} ms; pending at most ${pendingSeen}; RSS at most ${(Math.max(...rssSeen) / MB).toFixed(0)} MB`,
  });

  // Once the flood stops, ingest takes alerts again by itself.
  expect(metric(await scrape(request, server.url), 'perch_ingest_pending_alerts')).toBe(0);
  const single = await sendRaw(request, url, JSON.stringify(makeAlert({ hostname: `${hostname}-after` })));
  expect(single.status()).toBe(200);
});
