import { expect, test, type Page } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { runImport } from '../fixtures/api-helpers';
import { collectConsoleErrors } from '../fixtures/browser';
import { OwnServer } from '../fixtures/own-server';
import { SERVERS } from '../servers';

const ingestUrl = (base = SERVERS.main.url) => `${base}/api/events`;
const feedRules = (page: Page) => page.getByTestId('kiosk-feed').getByTestId('kiosk-alert-rule');

async function openKiosk(page: Page, query: string, base = SERVERS.main.url) {
  await page.goto(`${base}/kiosk?${query}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
}

test('an alert posted through the ingest API appears on the kiosk within 2 s, highlighted, without a reload', async ({
  page,
  request,
}) => {
  const host = uniqueTag('kiosk-live');
  const errors = collectConsoleErrors(page);
  await openKiosk(page, `hostname=${host}`);
  await expect(page.getByTestId('kiosk-latest')).toContainText(`No Warning or higher alerts in this window.`);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

  const rule = `Kiosk rule ${host}`;
  expect((await post(request, ingestUrl(), makeAlert({ hostname: host, rule, priority: 'Critical' }))).status()).toBe(
    200,
  );
  await expect(feedRules(page).filter({ hasText: rule })).toBeVisible({ timeout: 2_000 });
  await expect(page.getByTestId('kiosk-alert').first()).toHaveAttribute('data-fresh', 'true');
  // Counters and top lists follow.
  await expect(page.getByTestId('kiosk-count-Critical').getByTestId('count-value')).toHaveText('1');
  await expect(page.getByTestId('kiosk-top-rules-list').getByTestId('bar-label')).toHaveText([rule]);
  await expect(page.getByTestId('kiosk-last-alert')).toContainText('s ago');
  // Below the feed's priority: counted, not listed.
  const quiet = `Kiosk quiet ${host}`;
  await post(request, ingestUrl(), makeAlert({ hostname: host, rule: quiet, priority: 'Informational' }));
  await expect(page.getByTestId('kiosk-count-Informational').getByTestId('count-value')).toHaveText('1');
  await expect(feedRules(page)).toHaveText([rule]);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1); // same document
  expect(errors).toEqual([]);
});

test('alert text is shown as text, never as markup', async ({ page, request }) => {
  const host = uniqueTag('kiosk-xss');
  await openKiosk(page, `hostname=${host}`);
  const rule = `<img src=x onerror="window.pwned=1"> ${host}`;
  await post(request, ingestUrl(), makeAlert({ hostname: host, rule, priority: 'Error' }));
  await expect(feedRules(page)).toHaveText([rule]);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

for (const size of [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
]) {
  test(`at ${size.width}×${size.height} every panel is on screen and nothing scrolls`, async ({ page, request }) => {
    const host = uniqueTag('kiosk-fit');
    const priorities = ['Critical', 'Error', 'Warning', 'Notice', 'Informational'];
    // More alerts than the feed can show, with long values, so overflow would show.
    const lines = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify(
        makeAlert({
          hostname: host,
          priority: priorities[i % priorities.length],
          rule: `Rule ${i % 12} with a fairly long name that keeps going ${host}`,
          fields: {
            'container.id': `c${i % 7}abcdef0123`,
            'container.name': `service-${i % 7}`,
            'k8s.ns.name': `team-${i % 4}`,
            'k8s.pod.name': `pod-${i % 7}-x9z`,
          },
        }),
      ),
    );
    expect(
      (await post(request, ingestUrl(), lines.join('\n'), { 'content-type': 'application/x-ndjson' })).status(),
    ).toBe(200);

    await page.setViewportSize(size);
    await openKiosk(page, `hostname=${host}&minPriority=Informational`);
    await expect(page.getByTestId('kiosk-alert').first()).toBeVisible();
    await expect(page.getByTestId('kiosk-top-rules-list')).toBeVisible();
    const scroll = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
      innerHeight: window.innerHeight,
      innerWidth: window.innerWidth,
    }));
    expect(scroll.height).toBeLessThanOrEqual(scroll.innerHeight);
    expect(scroll.width).toBeLessThanOrEqual(scroll.innerWidth);
    for (const id of [
      'kiosk-counters',
      'kiosk-timeline',
      'kiosk-top-rules',
      'kiosk-latest',
      'kiosk-top-containers',
      'kiosk-top-namespaces',
      'kiosk-open-groups',
      'kiosk-clock',
      'live-state',
    ]) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.y, id).toBeGreaterThanOrEqual(0);
      expect(box!.x, id).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height, id).toBeLessThanOrEqual(size.height);
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(size.width);
    }
    // The type is scaled for the room: rule names are larger on the larger screen.
    const fontPx = await feedRules(page)
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(size.width >= 3840 ? 30 : 16);
  });
}

test('after 5,000 streamed alerts the page holds a bounded number of DOM nodes', async ({ page, request }) => {
  test.setTimeout(120_000);
  const host = uniqueTag('kiosk-soak');
  await openKiosk(page, `hostname=${host}`);
  let last = '';
  for (let batch = 0; batch < 50; batch++) {
    const lines = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify(makeAlert({ hostname: host, rule: `Soak ${batch}-${i} ${host}`, priority: 'Error' })),
    );
    last = `Soak ${batch}-99 ${host}`;
    expect(
      (await post(request, ingestUrl(), lines.join('\n'), { 'content-type': 'application/x-ndjson' })).status(),
    ).toBe(200);
  }
  await expect(feedRules(page).filter({ hasText: last })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('kiosk-count-Error').getByTestId('count-value')).toHaveText('5,000');
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  expect(nodes).toBeLessThan(2_500);
  expect(await page.getByTestId('kiosk-alert').count()).toBeLessThanOrEqual(40);
});

test('shows "reconnecting" while the server is down, then catches up without duplicates', async ({ page, request }) => {
  test.setTimeout(120_000);
  const server = new OwnServer('kiosk-restart', 10);
  try {
    await server.start();
    const host = uniqueTag('kiosk-restart');
    await openKiosk(page, `hostname=${host}`, server.url);
    await post(request, ingestUrl(server.url), makeAlert({ hostname: host, rule: 'Before the restart' }));
    await expect(feedRules(page)).toHaveText(['Before the restart']);

    await server.stop();
    await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'reconnecting', { timeout: 10_000 });
    await expect(page.getByTestId('live-state')).toHaveText('Reconnecting…');
    // Committed while no server was up (an import into the same store): only a catch-up can bring it.
    const imported = await runImport(
      ['-'],
      server.dbFile,
      `${JSON.stringify(makeAlert({ hostname: host, rule: 'While it was down' }))}\n`,
    );
    expect(imported.code, imported.stderr).toBe(0);

    await server.start();
    await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    await post(request, ingestUrl(server.url), makeAlert({ hostname: host, rule: 'After the restart' }));
    await expect(feedRules(page)).toHaveText(['After the restart', 'While it was down', 'Before the restart']);
    // Still exactly these three a moment later (no late duplicates from the catch-up).
    await page.waitForTimeout(1_500);
    await expect(feedRules(page)).toHaveText(['After the restart', 'While it was down', 'Before the restart']);
  } finally {
    await server.stop();
  }
});

test('a kiosk link with settings it cannot use says which', async ({ page }) => {
  await page.goto('/kiosk?minPriority=Loud&rotate=1');
  const problems = page.getByRole('alert').filter({ hasText: 'settings Perch does not understand' });
  await expect(problems).toContainText('minPriority: "Loud" is not a Falco priority');
  await expect(problems).toContainText('rotate: "1"');
});

test('rotate= shows one panel at a time and moves on by itself', async ({ page, request }) => {
  const host = uniqueTag('kiosk-rotate');
  await post(request, ingestUrl(), makeAlert({ hostname: host, rule: `Rotating ${host}`, priority: 'Critical' }));
  await openKiosk(page, `hostname=${host}&rotate=5`);
  await expect(page.getByTestId('kiosk-rotating')).toHaveText('Overview (1/4)');
  await expect(page.getByTestId('kiosk-counters')).toBeVisible();
  await expect(page.getByTestId('kiosk-latest')).toHaveCount(0);
  await expect(page.getByTestId('kiosk-rotating')).toHaveText('Top rules and open groups (2/4)', { timeout: 8_000 });
  await expect(page.getByTestId('kiosk-top-rules-list').getByTestId('bar-label')).toHaveText([`Rotating ${host}`]);
});
