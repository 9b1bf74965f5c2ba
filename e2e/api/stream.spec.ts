import { expect, test } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectError } from '../fixtures/api-helpers';
import { SseClient } from '../fixtures/sse';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;
const streamUrl = (query: string) => `${base}/api/stream?${query}`;

async function openReady(query: string, headers: Record<string, string> = {}) {
  const { client, status, contentType } = await SseClient.open(streamUrl(query), headers);
  expect(status).toBe(200);
  expect(contentType).toContain('text/event-stream');
  await client.waitFor(() => client.types.includes('ready'), 'ready');
  return client;
}

test('sends each newly committed alert matching the filter, once, in order', async ({ request }) => {
  const host = uniqueTag('stream-filter');
  const mine = await openReady(`hostname=${host}`);
  const critical = await openReady(`hostname=${host}&minPriority=Critical`);
  try {
    const response = await post(request, '/api/events', [
      makeAlert({ hostname: host, rule: 'First', priority: 'Warning' }),
      makeAlert({ hostname: host, rule: 'Second', priority: 'Critical' }),
      makeAlert({ hostname: `${host}-other`, rule: 'Elsewhere' }),
    ]);
    const { ids } = (await response.json()) as { ids: number[] };
    await post(request, '/api/events', makeAlert({ hostname: host, rule: 'Third', priority: 'Emergency' }));
    await mine.waitFor(() => mine.alerts.length >= 3, 'three alerts');
    await critical.waitFor(() => critical.alerts.length >= 2, 'two alerts');

    expect(mine.alerts.map((a) => a.rule)).toEqual(['First', 'Second', 'Third']);
    expect(mine.alerts.slice(0, 2).map((a) => a.id)).toEqual(ids.slice(0, 2));
    expect(critical.alerts.map((a) => a.rule)).toEqual(['Second', 'Third']);
    // Every message's SSE id is its cursor, so a reconnecting EventSource resumes there.
    for (const message of mine.messages) expect(message.id).toBe(String(message.data.cursor));
  } finally {
    mine.close();
    critical.close();
  }
});

test('a duplicate alert is not streamed again', async ({ request }) => {
  const host = uniqueTag('stream-dup');
  const alert = makeAlert({ hostname: host, rule: 'Once', uuid: `${host}-uuid` });
  const client = await openReady(`hostname=${host}`);
  try {
    await post(request, '/api/events', alert);
    await client.waitFor(() => client.alerts.length === 1, 'the alert');
    expect((await (await post(request, '/api/events', alert)).json()) as object).toMatchObject({ stored: 0, duplicates: 1 });
    await post(request, '/api/events', makeAlert({ hostname: host, rule: 'Marker' }));
    await client.waitFor(() => client.alerts.length === 2, 'the marker');
    expect(client.alerts.map((a) => a.rule)).toEqual(['Once', 'Marker']);
  } finally {
    client.close();
  }
});

test('a reconnecting client catches up from its cursor (after= or Last-Event-ID) without gaps or repeats', async ({ request }) => {
  const host = uniqueTag('stream-resume');
  const first = await openReady(`hostname=${host}`);
  await post(request, '/api/events', makeAlert({ hostname: host, rule: 'Seen' }));
  await first.waitFor(() => first.alerts.length === 1, 'the first alert');
  const cursor = first.messages.at(-1)!.data.cursor;
  first.close();

  await post(request, '/api/events', [makeAlert({ hostname: host, rule: 'Missed 1' }), makeAlert({ hostname: host, rule: 'Missed 2' })]);
  const byParam = await openReady(`hostname=${host}&after=${cursor}`);
  const byHeader = await openReady(`hostname=${host}`, { 'last-event-id': String(cursor) });
  try {
    for (const client of [byParam, byHeader]) {
      expect(client.alerts.map((a) => a.rule)).toEqual(['Missed 1', 'Missed 2']);
      expect(client.types).toEqual(['alerts', 'ready']);
    }
  } finally {
    byParam.close();
    byHeader.close();
  }
});

test('bad stream requests get a clear error', async ({ request }) => {
  await expectError(await request.get('/api/stream?after=yesterday'), 400, 'invalid_query');
  await expectError(await request.get('/api/stream?minPriority=Loud'), 400, 'invalid_query');
  const response = await request.post('/api/stream', { data: '{}' });
  await expectError(response, 405, 'method_not_allowed');
  expect(response.headers().allow).toBe('GET');
});

test('50 clients each receive every alert while ingest keeps its pace', async ({ request }) => {
  test.setTimeout(120_000);
  const host = uniqueTag('stream-fanout');
  const ALERTS = 300;
  const CONCURRENCY = 8;

  /** Posts `count` single alerts from CONCURRENCY parallel senders; returns alerts per second. */
  const ingestRate = async (count: number, rule: string) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        expect((await post(request, '/api/events', makeAlert({ hostname: host, rule: `${rule} ${i}` }))).status()).toBe(200);
      }
    }));
    return count / ((performance.now() - started) / 1000);
  };

  // The rate is taken in alternating rounds without and with the clients, and the best round of
  // each compared: on a shared 2-core machine one round can be slowed by anything else running.
  const alone: number[] = [];
  const fanned: number[] = [];
  let clients: SseClient[] = [];
  try {
    for (let round = 0; round < 3; round++) {
      alone.push(await ingestRate(ALERTS / 3, `Alone ${round}`));
      clients = await Promise.all(Array.from({ length: 50 }, () => openReady(`hostname=${host}`)));
      fanned.push(await ingestRate(ALERTS / 3, `Fanned ${round}`));
      for (const client of clients) {
        await client.waitFor(() => client.alerts.length >= ALERTS / 3, `${ALERTS / 3} alerts`, 20_000);
        const rules = client.alerts.map((a) => a.rule);
        expect(rules.every((rule) => rule.startsWith(`Fanned ${round} `))).toBe(true);
        expect(new Set(rules).size).toBe(ALERTS / 3); // every alert, none twice
        expect(rules.length).toBe(ALERTS / 3);
        client.close();
      }
      clients = [];
    }
    const best = (rates: number[]) => Math.max(...rates);
    console.log(`ingest alerts/s at concurrency ${CONCURRENCY}: ${alone.map((r) => r.toFixed(0)).join(', ')} alone; ${fanned.map((r) => r.toFixed(0)).join(', ')} with 50 live streams`);
    expect(best(fanned)).toBeGreaterThanOrEqual(best(alone) * 0.75);
  } finally {
    for (const client of clients) client.close();
  }
});
