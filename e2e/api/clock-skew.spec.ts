// Alerts dated far ahead of their arrival, on a server of its own that keeps 20
// alerts and prunes every second, with PERCH_MAX_CLOCK_SKEW=5m. Also the modes of the store it creates.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import {
  expectIngested,
  falcoTimeAgo,
  listEvents,
  nsToTime,
  timeToNs,
  type ListedEvent,
} from '../fixtures/api-helpers';
import { OwnServer } from '../fixtures/own-server';

const server = new OwnServer('clock-skew', 60);
// A folder Perch makes itself (OwnServer makes the one it names).
const storeDir = path.join(path.dirname(server.dbFile), 'made-by-perch');
const dbFile = path.join(storeDir, 'perch.db');
server.setEnv({ PERCH_DB: dbFile, PERCH_MAX_EVENTS: '20', PERCH_PRUNE_INTERVAL: '1s', PERCH_MAX_CLOCK_SKEW: '5m' });

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(60_000);
  await server.start();
});
test.afterAll(() => server.stop());

const modes = () =>
  [storeDir, dbFile, `${dbFile}-wal`, `${dbFile}-shm`].map((file) => (statSync(file).mode & 0o777).toString(8));
const junkTime = (i: number) => `2262-01-01T00:00:${String(i).padStart(2, '0')}Z`;
const health = async (request: APIRequestContext) =>
  (await (await request.get(`${server.url}/api/health`)).json()) as { events: number; newestEventTime: string };
const everything = async (request: APIRequestContext) =>
  (await listEvents(request, server.url, { limit: 1000, internal: 'include' })).events;

test('a new store, its WAL and shm are readable by their owner only, and an existing store keeps its modes', async () => {
  test.setTimeout(60_000);
  expect(modes()).toEqual(['700', '600', '600', '600']);
  await server.stop();
  chmodSync(storeDir, 0o750);
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) chmodSync(file, 0o640);
  await server.start();
  expect(modes()).toEqual(['750', '640', '640', '640']);
});

test('future-dated alerts are kept at their arrival: they evict no genuine alert that came after them and do not top the list', async ({
  request,
}) => {
  test.setTimeout(60_000);
  const hostname = uniqueTag('clock-skew');
  const sentAt = Date.now();
  const junk = Array.from({ length: 20 }, (_, i) =>
    makeAlert({ hostname, time: junkTime(i), rule: 'Junk', priority: 'Debug', output: `junk ${i}` }),
  );
  await expectIngested(await post(request, `${server.url}/api/events`, junk), 20, 0);
  const genuine: string[] = [];
  for (let i = 0; i < 10; i++) {
    genuine.push(falcoTimeAgo(0));
    await expectIngested(
      await post(
        request,
        `${server.url}/api/events`,
        makeAlert({ hostname, time: genuine[i], rule: 'Genuine', priority: 'Critical', output: `genuine ${i}` }),
      ),
      1,
      0,
    );
  }

  // The store is over its 20 by 10: the next prune deletes the oldest arrivals, the junk.
  await expect.poll(async () => (await health(request)).events, { timeout: 10_000, intervals: [250] }).toBe(20);
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const kept = await everything(request);
  expect(kept.filter((e) => e.rule === 'Genuine').map((e) => e.output)).toEqual(
    Array.from({ length: 10 }, (_, i) => `genuine ${9 - i}`),
  );
  const kept24h = (await listEvents(request, server.url, { from: '24h', limit: 5 })).events;
  expect(kept24h[0]!.output).toBe('genuine 9');
  expect(kept24h[0]!.time).toBe(genuine[9]);
  expect(timeToNs((await health(request)).newestEventTime)).toBe(timeToNs(genuine[9]!));

  // Each junk alert keeps the time Falco gave beside the arrival it is filed under.
  const junkKept = kept.filter((e) => e.rule === 'Junk');
  expect(junkKept.map((e) => e.output).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `junk ${i + 10}`).sort());
  for (const e of junkKept) {
    expect(e.claimedTime).toBe(nsToTime(timeToNs(junkTime(Number(e.output!.slice(5))))));
    expect(timeToNs(e.time)).toBeGreaterThanOrEqual(BigInt(sentAt - 1_000) * 1_000_000n);
    expect(timeToNs(e.time)).toBeLessThanOrEqual(timeToNs(genuine[0]!));
  }
  expect(kept.filter((e) => e.rule === 'Genuine').every((e) => !('claimedTime' in e))).toBe(true);
  const detail = (await (await request.get(`${server.url}/api/events/${junkKept[0]!.id}`)).json()) as ListedEvent & {
    raw: string;
    claimedTime: string;
  };
  expect(detail.claimedTime).toBe(junkKept[0]!.claimedTime);
  expect(detail.raw).toBe(JSON.stringify(junk[Number(junkKept[0]!.output!.slice(5))]));

  // A redelivered junk alert is the same alert; a genuine one arriving now stays.
  await expectIngested(await post(request, `${server.url}/api/events`, junk[19]!), 0, 1);
  const late = await expectIngested(
    await post(
      request,
      `${server.url}/api/events`,
      makeAlert({ hostname, time: falcoTimeAgo(0), rule: 'Genuine', output: 'after' }),
    ),
    1,
    0,
  );
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect((await request.get(`${server.url}/api/events/${late.ids[0]}`)).status()).toBe(200);
  expect((await everything(request)).filter((e) => e.rule === 'Genuine')).toHaveLength(11);
});

test('PERCH_MAX_CLOCK_SKEW decides how far ahead is too far; a time inside it is kept as Falco gave it', async ({
  request,
}) => {
  const hostname = uniqueTag('clock-skew-near');
  const twoMinutes = falcoTimeAgo(-120);
  const tenMinutes = falcoTimeAgo(-600);
  const { ids } = await expectIngested(
    await post(request, `${server.url}/api/events`, [
      makeAlert({ hostname, time: twoMinutes, output: 'two minutes ahead' }),
      makeAlert({ hostname, time: tenMinutes, output: 'ten minutes ahead' }),
    ]),
    2,
    0,
  );
  const near = (await (await request.get(`${server.url}/api/events/${ids[0]}`)).json()) as ListedEvent;
  const far = (await (await request.get(`${server.url}/api/events/${ids[1]}`)).json()) as ListedEvent;
  expect([near.time, 'claimedTime' in near]).toEqual([twoMinutes, false]);
  expect(far.claimedTime).toBe(tenMinutes);
  expect(timeToNs(far.time) < timeToNs(tenMinutes) - 300_000_000_000n).toBe(true);
});
