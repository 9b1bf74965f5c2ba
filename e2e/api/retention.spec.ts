// PERCH_MAX_EVENTS on SERVERS.retention (keeps the newest 20, prunes every second): older alerts go,
// the newest stay, and ingest keeps working.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectIngested, falcoTimeAgo, listEvents, timeToNs } from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const base = SERVERS.retention.url;
const KEEP = 20;

async function health(request: APIRequestContext): Promise<{ events: number; newestEventTime: string | null }> {
  const response = await request.get(`${base}/api/health`);
  expect(response.status()).toBe(200);
  return (await response.json()) as { events: number; newestEventTime: string | null };
}

/** Every alert on the retention server (internal ones too), newest first. */
async function everything(request: APIRequestContext) {
  return (await listEvents(request, base, { limit: 1000, internal: 'include' })).events;
}

test('keeps exactly the newest 20 alerts by time, and ingest still works afterwards', async ({ request }) => {
  test.setTimeout(45_000);
  const hostname = uniqueTag('retention');
  // 60 alerts, times increasing, the newest a few seconds ago; sent in three batches, and the
  // batches out of time order so that arrival order is not time order.
  const times = Array.from({ length: 60 }, (_, i) => falcoTimeAgo(120 - i));
  const alerts = times.map((time, i) => makeAlert({ hostname, time, output: `retention alert ${i}` }));
  for (const batch of [alerts.slice(20, 40), alerts.slice(40, 60), alerts.slice(0, 20)]) {
    await expectIngested(await post(request, `${base}/api/events`, batch), 20, 0);
  }

  await expect
    .poll(async () => (await health(request)).events, { timeout: 10_000, intervals: [250] })
    .toBeLessThanOrEqual(KEEP);

  const kept = await everything(request);
  expect(kept).toHaveLength(KEEP);
  expect(kept.map((e) => e.time)).toEqual(times.slice(-KEEP).reverse());
  expect(kept.every((e) => e.hostname === hostname)).toBe(true);
  const after = await health(request);
  expect(after.events).toBe(KEEP);
  expect(after.newestEventTime).toBe(times.at(-1));

  // Ingest still works: a newer alert is stored and readable, and the oldest kept one goes next.
  const newest = falcoTimeAgo(0);
  expect(timeToNs(newest) > timeToNs(times.at(-1)!)).toBe(true);
  const report = await expectIngested(
    await post(request, `${base}/api/events`, makeAlert({ hostname, time: newest, output: 'after pruning' })),
    1,
    0,
  );
  const detail = await request.get(`${base}/api/events/${report.ids[0]}`);
  expect(detail.status()).toBe(200);
  await expect
    .poll(async () => (await everything(request)).map((e) => e.time), { timeout: 10_000, intervals: [250] })
    .toEqual([newest, ...times.slice(-(KEEP - 1)).reverse()]);
});
