// GET /metrics on a server of its own, so every count is exact: what was received, stored, found
// duplicate, rejected and refused, by source and priority or reason; latency; store; streams; retention.
import { expect, test } from '@playwright/test';
import http from 'node:http';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested, sendRaw } from '../fixtures/api-helpers';
import { metric, scrape, scrapeText } from '../fixtures/metrics';
import { OwnServer } from '../fixtures/own-server';

const TOKEN = 'metrics-token-5b1e';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const server = new OwnServer('metrics', 36, {
  PERCH_INGEST_TOKEN: TOKEN,
  PERCH_MAX_BODY: '64kb',
  PERCH_MAX_EVENTS: '8',
  PERCH_PRUNE_INTERVAL: '1s',
});

test.beforeAll(async () => {
  test.setTimeout(60_000);
  await server.start();
});
test.afterAll(() => server.stop());

/** Opens /api/stream and resolves once its first message arrived; returns how to close it. */
function openStream(url: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/api/stream`, (response) => {
      response.once('data', () => resolve(() => request.destroy()));
    });
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
  });
}

test('every line is a sample or a comment, and each family has HELP and TYPE before its samples', async ({
  request,
}) => {
  const text = await scrapeText(request, server.url);
  expect(text.endsWith('\n')).toBe(true);
  const declared = new Map<string, string>();
  for (const line of text.trimEnd().split('\n')) {
    const typeLine = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (typeLine) {
      expect(declared.has(typeLine[1]!), `${typeLine[1]} declared twice`).toBe(false);
      declared.set(typeLine[1]!, typeLine[2]!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const name = /^([a-zA-Z_:][\w:]*)/.exec(line)?.[1] ?? '';
    const family = [...declared.keys()].find(
      (f) =>
        name === f ||
        (declared.get(f) === 'histogram' && /^_(bucket|sum|count)$/.test(name.slice(f.length)) && name.startsWith(f)),
    );
    expect(family, `sample ${line} has no TYPE before it`).toBeDefined();
  }
  for (const name of [
    'perch_alerts_received_total',
    'perch_alerts_stored_total',
    'perch_alerts_duplicate_total',
    'perch_ingest_rejected_total',
    'perch_ingest_refused_total',
    'perch_ingest_duration_seconds',
    'perch_ingest_pending_alerts',
    'perch_store_size_bytes',
    'perch_store_alerts',
    'perch_stream_clients',
    'perch_retention_deleted_total',
    'process_resident_memory_bytes',
    'perch_ingest_worker_entries_total',
    'perch_ingest_streamed_entries_total',
  ]) {
    expect(declared.has(name), name).toBe(true);
  }
});

test('counts what ingest did, by source and priority, and by reason', async ({ request }) => {
  const before = await scrape(request, server.url);
  const url = `${server.url}/api/events`;
  const hostname = uniqueTag('metrics');
  const warning = [makeAlert({ hostname }), makeAlert({ hostname })];
  await expectIngested(await post(request, url, warning, auth), 2, 0);
  await expectIngested(
    await post(request, url, makeAlert({ hostname, source: 'k8s_audit', priority: 'notice' }), auth),
    1,
    0,
  );
  // A source nobody knows is counted, under `other`: senders cannot mint label values.
  await expectIngested(
    await post(request, url, makeAlert({ hostname, source: `custom-${hostname}`, priority: 'Critical' }), auth),
    1,
    0,
  );
  await expectIngested(await post(request, url, warning[0]!, auth), 0, 1);
  // ?partial=1: one stored, two entries left out.
  await expectIngested(
    await sendRaw(request, `${url}?partial=1`, JSON.stringify([makeAlert({ hostname }), { rule: 'x' }, 5]), auth),
    1,
    0,
  );

  await expectError(await sendRaw(request, url, '{"rule":', auth), 400, 'invalid_json');
  await expectError(await sendRaw(request, url, '{}', auth), 422, 'invalid_alert');
  await expectError(await sendRaw(request, url, '', auth), 400, 'empty_body');
  await expectError(
    await sendRaw(request, url, JSON.stringify(makeAlert({ output: 'x'.repeat(70_000) })), auth),
    413,
    'payload_too_large',
  );
  await expectError(await post(request, url, makeAlert({ hostname })), 401, 'unauthorized');

  const after = await scrape(request, server.url);
  const delta = (name: string, labels: Record<string, string> = {}) =>
    metric(after, name, labels) - metric(before, name, labels);
  expect(delta('perch_alerts_received_total', { source: 'syscall', priority: 'Warning' })).toBe(4);
  expect(delta('perch_alerts_received_total', { source: 'k8s_audit', priority: 'Notice' })).toBe(1);
  expect(delta('perch_alerts_received_total', { source: 'other', priority: 'Critical' })).toBe(1);
  expect(delta('perch_alerts_stored_total', { source: 'syscall', priority: 'Warning' })).toBe(3);
  expect(delta('perch_alerts_stored_total')).toBe(5);
  expect(delta('perch_alerts_duplicate_total', { source: 'syscall', priority: 'Warning' })).toBe(1);
  expect(delta('perch_alerts_duplicate_total')).toBe(1);
  expect(after.some((s) => s.labels.source?.startsWith('custom-'))).toBe(false);
  expect(delta('perch_ingest_partial_entries_rejected_total')).toBe(2);
  for (const reason of ['invalid_json', 'invalid_alert', 'empty_body', 'payload_too_large', 'unauthorized']) {
    expect(delta('perch_ingest_rejected_total', { reason }), reason).toBe(1);
  }
  expect(delta('perch_ingest_refused_total')).toBe(0);
  expect(delta('perch_ingest_duration_seconds_count', { outcome: 'stored' })).toBe(5);
  expect(delta('perch_ingest_duration_seconds_count', { outcome: 'rejected' })).toBe(5);
  const stored = metric(after, 'perch_ingest_duration_seconds_bucket', { outcome: 'stored', le: '+Inf' });
  expect(stored).toBe(metric(after, 'perch_ingest_duration_seconds_count', { outcome: 'stored' }));
});

test('store size and rows, pending alerts, stream clients and retention deletions', async ({ request }) => {
  test.setTimeout(30_000);
  const hostname = uniqueTag('metrics-store');
  // More than PERCH_MAX_EVENTS (8): retention deletes the oldest within a second or two.
  const alerts = Array.from({ length: 12 }, () => makeAlert({ hostname }));
  await expectIngested(await post(request, `${server.url}/api/events`, alerts, auth), 12, 0);
  await expect
    .poll(async () => metric(await scrape(request, server.url), 'perch_retention_deleted_total'), { timeout: 10_000 })
    .toBeGreaterThanOrEqual(4);

  const samples = await scrape(request, server.url);
  const health = (await (await request.get(`${server.url}/api/health`)).json()) as { events: number };
  expect(metric(samples, 'perch_store_alerts')).toBe(health.events);
  expect(health.events).toBeLessThanOrEqual(8);
  const size = metric(samples, 'perch_store_size_bytes');
  expect(size).toBeGreaterThan(0);
  expect(size % 4096).toBe(0);
  expect(metric(samples, 'perch_store_free_bytes')).toBeLessThanOrEqual(size);
  expect(metric(samples, 'perch_ingest_pending_alerts')).toBe(0);
  expect(metric(samples, 'perch_ingest_max_pending_alerts')).toBe(10_000);
  expect(metric(samples, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);

  expect(metric(samples, 'perch_stream_clients')).toBe(0);
  const closeStreams = await Promise.all([openStream(server.url), openStream(server.url)]);
  expect(metric(await scrape(request, server.url), 'perch_stream_clients')).toBe(2);
  for (const close of closeStreams) close();
  await expect
    .poll(async () => metric(await scrape(request, server.url), 'perch_stream_clients'), { timeout: 5_000 })
    .toBe(0);
});

// Last: its alerts go beyond PERCH_MAX_EVENTS too, and the test above counts retention's deletions.
test('a large NDJSON batch is checked on the worker thread as it is written, and answered in line order', async ({
  request,
}) => {
  test.setTimeout(60_000);
  const url = `${server.url}/api/events`;
  const hostname = uniqueTag('threads');
  // Small alerts, enough lines to go to the worker thread yet within this server's body limit.
  const line = (i: number) =>
    JSON.stringify({
      time: new Date(Date.UTC(2026, 10, 29, 12, 0, i)).toISOString(),
      rule: `threads ${i}`,
      priority: 'Notice',
      hostname,
      output: `line ${i}`,
    });
  const lines = Array.from({ length: 70 }, (_, i) => line(i));
  // The worker thread starts with the server; wait until it takes part (the first batches it may miss).
  const workerEntries = async () => metric(await scrape(request, server.url), 'perch_ingest_worker_entries_total');
  const start = await workerEntries();
  await expect
    .poll(
      async () => {
        expect((await sendRaw(request, url, lines.join('\n'), auth)).status()).toBe(200);
        return (await workerEntries()) - start;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);

  // Two bad lines, in different chunks: both are named, by line, in order, and nothing is stored.
  const spoiled = lines.map((text, i) =>
    i === 10 ? '{"rule": "cut' : i === 60 ? text.replace('"Notice"', '"Urgent"') : text.replace('threads', 'spoiled'),
  );
  const streamedEntries = async () => metric(await scrape(request, server.url), 'perch_ingest_streamed_entries_total');
  const before = await workerEntries();
  const streamedBefore = await streamedEntries();
  const refused = await expectError(await sendRaw(request, url, spoiled.join('\n'), auth), 400, 'invalid_json');
  expect(refused.error.issues?.map((issue) => [issue.line, issue.code])).toEqual([
    [11, 'invalid_json'],
    [61, 'unknown_priority'],
  ]);
  const report = await expectIngested(await sendRaw(request, `${url}?partial=1`, spoiled.join('\n'), auth), 68, 0);
  expect(report.rejected?.map((issue) => issue.line)).toEqual([11, 61]);
  // New alerts get increasing ids in request order, across the chunks.
  expect(report.ids).toEqual([...report.ids].sort((a, b) => a - b));
  expect(new Set(report.ids).size).toBe(68);
  // Every line of the two bodies was written as it was prepared, the worker's share by the worker.
  expect((await streamedEntries()) - streamedBefore).toBe(140);
  expect((await workerEntries()) - before).toBeLessThanOrEqual(140);
});
