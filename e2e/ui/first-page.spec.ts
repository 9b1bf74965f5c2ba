import { expect, test } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { INGEST_TOKEN, SERVERS } from '../servers';
import { collectConsoleErrors } from '../fixtures/browser';

test('the first page lists alerts posted through the API, newest first, with their details', async ({
  page,
  request,
}) => {
  const errors = collectConsoleErrors(page);
  const host = uniqueTag('first-page');
  const rules = [`${host} older rule`, `${host} middle rule`, `${host} newest rule`];
  for (const [i, rule] of rules.entries()) {
    const response = await post(
      request,
      '/api/events',
      makeAlert({ rule, hostname: host, priority: i === 2 ? 'Critical' : 'Notice' }),
    );
    expect(response.status()).toBe(200);
  }

  await page.goto(`/?from=24h&hostname=${host}`);
  const table = page.getByTestId('recent-alerts');
  const ruleCells = table.getByTestId('event-rule').filter({ hasText: host });
  await expect(ruleCells).toHaveText([rules[2]!, rules[1]!, rules[0]!]);
  const newestRow = table.locator('tr', { hasText: rules[2]! });
  await expect(newestRow).toContainText('Critical');
  await expect(newestRow).toContainText(host);
  await expect(newestRow).toContainText('cat /etc/shadow');
  // Live: an alert posted while the page is open shows up without a reload.
  const later = `${host} posted while open`;
  await post(request, '/api/events', makeAlert({ rule: later, hostname: host }));
  await expect(table.getByTestId('event-rule').filter({ hasText: later })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('setup-help')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the priority counters count what was posted in the last 24 hours', async ({ page, request }) => {
  // Scoped to this test's host: other tests post Critical alerts to the same server.
  const host = uniqueTag('counters');
  await page.goto(`/?from=24h&hostname=${host}`);
  const critical = page.getByTestId('count-Critical');
  await expect(critical.getByTestId('count-value')).toHaveText('0');
  const batch = [1, 2, 3].map(() => JSON.stringify(makeAlert({ hostname: host, priority: 'Critical' }))).join('\n');
  const response = await post(request, '/api/events', batch);
  expect(response.status(), await response.text()).toBe(200);
  await expect(critical.getByTestId('count-value')).toHaveText('3');
});

test('an empty store shows how to point Falco and falcosidekick at this server', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(SERVERS.empty.url);
  const help = page.getByTestId('setup-help');
  await expect(help).toBeVisible();
  const snippets = help.getByTestId('setup-snippet');
  await expect(snippets.first()).toContainText('http_output:');
  await expect(snippets.first()).toContainText(`url: "${SERVERS.empty.url}/api/events"`);
  await expect(snippets.nth(1)).toContainText(`WEBHOOK_ADDRESS=${SERVERS.empty.url}/api/events`);
  await expect(snippets.nth(2)).toContainText(`WEBUI_URL=${SERVERS.empty.url}`);
  await expect(page.getByText('No detections in this range.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('with an ingest token the snippet carries a placeholder, never the token', async ({ page }) => {
  // The setup help is always one click away, not only while the store is empty.
  await page.goto(SERVERS.secured.url);
  await page.getByRole('link', { name: 'Connect Falco' }).click();
  await expect(page).toHaveURL(`${SERVERS.secured.url}/setup`);
  const falcoSnippet = page.getByTestId('setup-snippet').first();
  await expect(falcoSnippet).toContainText('falco:<PERCH_INGEST_TOKEN>@127.0.0.1');
  await expect(page.locator('body')).not.toContainText(INGEST_TOKEN);
});

test('an alert committed before the live stream is listening still reaches the counters', async ({ page, request }) => {
  const host = uniqueTag('counters-gap');
  // Hold the page's stream back until the alert is in: the counters loaded without it, and the
  // stream, once listening, will never send it.
  let posted!: () => void;
  const alertIsIn = new Promise<void>((resolve) => (posted = resolve));
  await page.route('**/api/stream?*', async (route) => {
    await alertIsIn;
    await route.continue();
  });
  await page.goto(`/?from=24h&hostname=${host}`);
  const critical = page.getByTestId('count-Critical').getByTestId('count-value');
  await expect(critical).toHaveText('0');
  expect((await post(request, '/api/events', makeAlert({ hostname: host, priority: 'Critical' }))).status()).toBe(200);
  posted();
  await expect(critical).toHaveText('1');
});
