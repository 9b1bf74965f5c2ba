// Thousands of malformed and malicious ingest bodies from a seeded generator, huge and deep ones too:
// every one gets a 4xx with the error envelope, nothing is stored, the server keeps answering, and
// its memory stays bounded.
import { expect, test } from '@playwright/test';
import http from 'node:http';
import { makeAlert } from '../fixtures/alerts';
import { expectIngested, sendRaw } from '../fixtures/api-helpers';
import { fuzzBodies, largeBodies, type FuzzBody } from '../fixtures/fuzz-bodies';
import { MB, metric, scrape, serverRss, watchRss } from '../fixtures/metrics';
import { OwnServer } from '../fixtures/own-server';

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const SMALL_BODIES = 3_000;
const CONCURRENCY = 8;
// Headroom over the server's own footprint (docs/decisions/0028): a refused body must never cost its
// size many times over.
const RSS_GROWTH_LIMIT = 400 * MB;

const server = new OwnServer('fuzz', 30);
test.beforeAll(() => server.start());
test.afterAll(() => server.stop());

interface Answer {
  status: number;
  code: string | null;
  issues: number;
  bytes: number;
}

async function send(body: FuzzBody): Promise<Answer> {
  const headers: Record<string, string> = { 'user-agent': 'falcosecurity/falco' };
  if (body.contentType !== null) headers['content-type'] = body.contentType;
  const response = await fetch(`${server.url}${body.path}`, {
    method: body.method,
    body: new Uint8Array(body.body),
    headers,
  });
  const text = await response.text();
  let code: string | null = null;
  let issues = 0;
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; issues?: unknown[] } }).error;
    code = typeof error?.code === 'string' ? error.code : null;
    issues = error?.issues?.length ?? 0;
  } catch {
    // not the error envelope: reported as a failure below
  }
  return { status: response.status, code, issues, bytes: text.length };
}

const PAUSE_AT = 24 * MB;
const PAUSE_MS = 30_000;

/**
 * Streams `total` bytes until the answer comes; returns the status and how much had been sent. Past
 * the body limit (PAUSE_AT) it waits for the answer: on loopback an unpaused client could push it all
 * before reading the 413, and a server that waited for the whole body would not answer in the pause.
 */
function sendHuge(total: number, chunked: boolean): Promise<{ status: number; sentBeforeAnswer: number; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    let answered = false;
    let pause: NodeJS.Timeout | undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(total);
    const request = http.request(`${server.url}/api/events`, { method: 'POST', headers }, (response) => {
      answered = true;
      clearTimeout(pause);
      response.resume();
      resolve({ status: response.statusCode ?? 0, sentBeforeAnswer: sent, ms: performance.now() - started });
      request.destroy();
    });
    // The server may close the connection on the rest of the body; the answer has come or is coming.
    request.on('error', () =>
      setTimeout(
        () => answered || resolve({ status: 0, sentBeforeAnswer: sent, ms: performance.now() - started }),
        5_000,
      ),
    );
    const chunk = Buffer.alloc(MB, '{"x":1}\n');
    const pump = () => {
      while (!answered && sent < total && !request.destroyed) {
        if (pause === undefined && sent >= PAUSE_AT) {
          pause = setTimeout(pump, PAUSE_MS);
          return;
        }
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    pump();
  });
}

test(`fuzz: ${SMALL_BODIES} generated bodies and the huge ones, seed ${SEED}: always a 4xx, nothing stored, memory bounded`, async ({
  request,
}) => {
  // Every body is sent, however long this machine takes: the test checks answers, not speed.
  test.setTimeout(300_000);
  const before = await scrape(request, server.url);
  const rssBefore = metric(before, 'process_resident_memory_bytes');
  expect(metric(before, 'perch_store_alerts')).toBe(0);

  const failures: string[] = [];
  const byKind = new Map<string, Map<number, number>>();
  let sent = 0;
  const record = (kind: string, answer: Answer, preview: string) => {
    sent++;
    const statuses = byKind.get(kind) ?? new Map<number, number>();
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    byKind.set(kind, statuses);
    const ok = answer.status >= 400 && answer.status < 500 && answer.code !== null && answer.issues <= 100;
    if (!ok && failures.length < 20)
      failures.push(
        `${kind}: ${answer.status} ${answer.code} (${answer.issues} issues, ${answer.bytes} bytes) for ${preview}`,
      );
  };

  const rss = watchRss(request, server.url, 250);

  const { small } = fuzzBodies(SEED);
  const bodies = Array.from({ length: SMALL_BODIES }, small);
  let next = 0;
  const smallWorker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      record(body.kind, await send(body), JSON.stringify(body.body.subarray(0, 120).toString('latin1')));
    }
  };

  const huge: string[] = [];
  const largeWorker = async () => {
    for (const large of largeBodies()) {
      record(
        large.kind,
        await send({
          kind: large.kind,
          body: large.body,
          method: 'POST',
          path: large.path ?? '/api/events',
          contentType: 'application/json',
        }),
        large.kind,
      );
    }
    for (const chunked of [false, true, false, true]) {
      const answer = await sendHuge(50 * MB, chunked);
      const kind = `50 MB ${chunked ? 'chunked' : 'with content-length'}`;
      record(
        kind,
        { status: answer.status, code: answer.status === 413 ? 'payload_too_large' : null, issues: 0, bytes: 0 },
        kind,
      );
      huge.push(
        `${kind}: ${answer.status} after ${(answer.sentBeforeAnswer / MB).toFixed(0)} MB sent, ${answer.ms.toFixed(0)} ms`,
      );
      // Refused before the client could send it all: the server did not read the whole body to say no.
      expect.soft(answer.sentBeforeAnswer, kind).toBeLessThan(50 * MB);
    }
  };

  await Promise.all([largeWorker(), ...Array.from({ length: CONCURRENCY }, smallWorker)]);
  const rssSeen = await rss.stop();

  expect(failures, 'every body answered with a 4xx and the error envelope').toEqual([]);
  expect(sent, 'every generated body was sent and answered').toBeGreaterThanOrEqual(SMALL_BODIES);

  // The server still answers, stored nothing, and counted every refusal.
  const after = await scrape(request, server.url);
  expect(metric(after, 'perch_store_alerts')).toBe(0);
  const health = (await (await request.get(`${server.url}/api/health`)).json()) as { events: number };
  expect(health.events).toBe(0);
  expect(metric(after, 'perch_ingest_rejected_total') - metric(before, 'perch_ingest_rejected_total')).toBe(sent);
  expect(metric(after, 'perch_alerts_received_total')).toBe(0);
  const rssMax = Math.max(...rssSeen, await serverRss(request, server.url));
  expect(
    rssMax - rssBefore,
    `RSS grew from ${(rssBefore / MB).toFixed(0)} MB to ${(rssMax / MB).toFixed(0)} MB`,
  ).toBeLessThan(RSS_GROWTH_LIMIT);

  // And a good alert afterwards is stored as usual.
  await expectIngested(await sendRaw(request, `${server.url}/api/events`, JSON.stringify(makeAlert())), 1, 0);

  const summary = [...byKind].map(
    ([kind, statuses]) => `${kind}: ${[...statuses].map(([status, n]) => `${n}×${status}`).join(' ')}`,
  );
  test.info().annotations.push(
    {
      type: 'fuzz',
      description: `${sent} bodies; RSS ${(rssBefore / MB).toFixed(0)} MB before, at most ${(rssMax / MB).toFixed(0)} MB during (${rssSeen.length} samples)`,
    },
    { type: 'fuzz-50mb', description: huge.join('; ') },
    { type: 'fuzz-kinds', description: summary.join('; ') },
  );
});
