// A full or read-only store: ingest answers 503 store_unavailable (falcosidekick retries), reads keep
// working, the server stays up, and once retention has freed space ingest resumes by itself.
// PERCH_MAX_STORE_SIZE stands in for a full disk (SQLite answers SQLITE_FULL in both cases).
import { expect, test, type APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { makeAlert, uniqueTag } from '../fixtures/alerts';
import { expectError, expectIngested, listEvents, sendRaw } from '../fixtures/api-helpers';
import { metric, scrape } from '../fixtures/metrics';
import { OwnServer } from '../fixtures/own-server';

async function health(request: APIRequestContext, url: string): Promise<{ status: string; events: number }> {
  const response = await request.get(`${url}/api/health`);
  expect(response.status()).toBe(200);
  return (await response.json()) as { status: string; events: number };
}

test.describe('a full store', () => {
  const MAX_EVENTS = 20;
  // The store's size limit, less the share kept back for retention, holds a few dozen of these big
  // alerts: full long before retention's next run brings it back to MAX_EVENTS.
  const server = new OwnServer('store-full', 33, {
    PERCH_MAX_STORE_SIZE: '1mb',
    PERCH_MAX_EVENTS: String(MAX_EVENTS),
    PERCH_PRUNE_INTERVAL: '3s',
  });
  test.beforeAll(() => server.start());
  test.afterAll(() => server.stop());

  test('503 store_unavailable when full, reads keep working, ingest resumes once retention frees space', async ({
    request,
  }) => {
    test.setTimeout(60_000);
    const hostname = uniqueTag('full');
    const url = `${server.url}/api/events`;
    // Random text: the store deflates each alert's JSON, and one letter repeated would take a few bytes.
    const bigAlert = () => makeAlert({ hostname, output: `${hostname} ${randomBytes(6 * 1024).toString('base64')}` });

    // One alert per request, so that the store is full for the next one of the same size.
    let refusal = null;
    let stored = 0;
    for (let i = 0; i < 500 && refusal === null; i++) {
      const response = await sendRaw(request, url, JSON.stringify(bigAlert()));
      if (response.status() === 200) stored++;
      else refusal = response;
    }
    expect(refusal, 'the store filled up').not.toBeNull();
    const error = await expectError(refusal!, 503, 'store_unavailable');
    expect(error.error.message).toMatch(/retry/i);
    expect(Number(refusal!.headers()['retry-after'])).toBeGreaterThan(0);

    // Reads keep working and the server stays up while ingest is refused.
    expect((await health(request, server.url)).status).toBe('ok');
    const list = await listEvents(request, server.url, { hostname, from: 'all', limit: 5 });
    expect(list.events.length).toBeGreaterThan(0);
    expect((await request.get(`${server.url}/api/stats/summary?from=all`)).status()).toBe(200);
    const full = await scrape(request, server.url);
    expect(metric(full, 'perch_ingest_refused_total', { reason: 'store_unavailable' })).toBeGreaterThanOrEqual(1);
    expect(metric(full, 'perch_store_size_bytes')).toBeLessThanOrEqual(metric(full, 'perch_store_max_size_bytes'));
    expect(metric(full, 'perch_store_max_size_bytes')).toBeLessThanOrEqual(1024 * 1024);

    // Nothing is done by hand: retention deletes down to 20 alerts, and the same request succeeds.
    const retry = JSON.stringify(bigAlert());
    let resumed = null;
    const deadline = Date.now() + 20_000;
    while (resumed === null && Date.now() < deadline) {
      const response = await sendRaw(request, url, retry);
      if (response.status() === 200) resumed = response;
      else {
        await expectError(response, 503, 'store_unavailable');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(resumed, 'ingest resumed within 20 s').not.toBeNull();
    const { ids } = await expectIngested(resumed!, 1, 0);
    expect((await request.get(`${server.url}/api/events/${ids[0]}`)).status()).toBe(200);
    const after = await scrape(request, server.url);
    expect(metric(after, 'perch_retention_deleted_total')).toBeGreaterThan(0);
    expect(metric(after, 'perch_store_free_bytes')).toBeGreaterThanOrEqual(0);
    test.info().annotations.push({
      type: 'store-full',
      description: `${stored} alerts of 8 KB filled a 1 MB store; ingest resumed after retention deleted ${metric(after, 'perch_retention_deleted_total')}`,
    });
  });
});

test.describe('a read-only store', () => {
  // A run killed mid-test leaves the flag set, and OwnServer could not empty the folder.
  try {
    execFileSync(
      'chattr',
      ['-i', path.join(__dirname, '..', '..', process.env.E2E_DIR ?? '.e2e', 'store-read-only', 'perch.db')],
      { stdio: 'ignore' },
    );
  } catch {
    // no such file, or no chattr: nothing to undo
  }
  const server = new OwnServer('store-read-only', 34);

  /** Sets or clears the immutable flag: even root cannot write such a file (chmod does not stop root). */
  function immutable(on: boolean): boolean {
    try {
      execFileSync('chattr', [on ? '+i' : '-i', server.dbFile], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
  test.afterAll(async () => {
    await server.stop();
    immutable(false);
  });

  test('ingest answers 503 store_unavailable, reads keep working, the server stays up', async ({ request }) => {
    test.setTimeout(60_000);
    const hostname = uniqueTag('read-only');
    await server.start();
    const first = await expectIngested(
      await sendRaw(
        request,
        `${server.url}/api/events`,
        JSON.stringify([makeAlert({ hostname }), makeAlert({ hostname })]),
      ),
      2,
      0,
    );
    await server.stop();
    test.skip(
      !immutable(true),
      `chattr +i is not available for ${path.dirname(server.dbFile)} (not root, or the file system has no immutable flag)`,
    );

    await server.start();
    for (let i = 0; i < 3; i++) {
      const error = await expectError(
        await sendRaw(request, `${server.url}/api/events`, JSON.stringify(makeAlert({ hostname }))),
        503,
        'store_unavailable',
      );
      expect(error.error.message).toMatch(/retry/i);
    }
    expect((await health(request, server.url)).events).toBe(2);
    const list = await listEvents(request, server.url, { hostname, from: 'all' });
    expect(list.events.map((e) => e.id).sort()).toEqual([...first.ids].sort());
    expect((await request.get(`${server.url}/api/events/${first.ids[0]}`)).status()).toBe(200);
    expect(
      metric(await scrape(request, server.url), 'perch_ingest_refused_total', { reason: 'store_unavailable' }),
    ).toBe(3);
  });
});
