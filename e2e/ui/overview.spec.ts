import { expect, test } from '@playwright/test';
import { falcoTimeAgo } from '../fixtures/api-helpers';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';

const MINUTE = 60;

test('counters per priority match what was posted, with the change against the previous hour', async ({
  page,
  request,
}) => {
  const host = uniqueTag('overview-counts');
  const batch = [
    // The hour before: 2 Warnings.
    makeAlert({ hostname: host, priority: 'Warning', time: falcoTimeAgo(90 * MINUTE) }),
    makeAlert({ hostname: host, priority: 'Warning', time: falcoTimeAgo(80 * MINUTE) }),
    // The last hour: 1 Critical, 3 Warnings, 1 Notice.
    makeAlert({ hostname: host, priority: 'Critical', time: falcoTimeAgo(50 * MINUTE) }),
    ...[40, 30, 20].map((m) => makeAlert({ hostname: host, priority: 'Warning', time: falcoTimeAgo(m * MINUTE) })),
    makeAlert({ hostname: host, priority: 'Notice', time: falcoTimeAgo(10 * MINUTE) }),
    // Falco's own health event: never counted as a detection.
    makeAlert({
      hostname: host,
      priority: 'Debug',
      rule: 'Falco internal: syscall event drop',
      source: 'internal',
      time: falcoTimeAgo(5 * MINUTE),
    }),
  ];
  expect((await post(request, '/api/events', batch.map((a) => JSON.stringify(a)).join('\n'))).status()).toBe(200);

  await page.goto(`/?from=1h&hostname=${host}`);
  await expect(page.getByTestId('total-count')).toHaveText('5');
  await expect(page.getByTestId('count-Critical').getByTestId('count-value')).toHaveText('1');
  await expect(page.getByTestId('count-Warning').getByTestId('count-value')).toHaveText('3');
  await expect(page.getByTestId('count-Notice').getByTestId('count-value')).toHaveText('1');
  await expect(page.getByTestId('count-Debug').getByTestId('count-value')).toHaveText('0');
  // 3 Warnings now against 2 in the hour before.
  await expect(page.getByTestId('count-Warning')).toContainText('▲ 1 (+50%)');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '5');
  await expect(page.getByTestId('falco-health-note')).toContainText('1 internal event');
});

test('clicking a bar of the top rules filters the view to that rule, and the filter survives a reload', async ({
  page,
  request,
}) => {
  const host = uniqueTag('overview-bars');
  const shells = [1, 2, 3].map(() => makeAlert({ hostname: host, rule: `${host} shell`, priority: 'Notice' }));
  const reads = [1, 2].map(() => makeAlert({ hostname: host, rule: `${host} read`, priority: 'Warning' }));
  expect((await post(request, '/api/events', [...shells, ...reads])).status()).toBe(200);

  await page.goto(`/?from=24h&hostname=${host}`);
  const topRules = page.getByTestId('top-rule');
  await expect(topRules.getByTestId('bar-label')).toHaveText([`${host} shell`, `${host} read`]);
  await expect(topRules.getByTestId('bar-count')).toHaveText(['3', '2']);

  await topRules.getByRole('link', { name: new RegExp(`${host} read`) }).click();
  await expect(page).toHaveURL(new RegExp(`rule=${encodeURIComponent(`${host} read`).replace(/%20/g, '(%20|\\+)')}`));
  await expect(page.getByTestId('total-count')).toHaveText('2');
  const rows = page.getByTestId('recent-alerts').getByTestId('event-rule');
  await expect(rows).toHaveText([`${host} read`, `${host} read`]);
  await expect(page.getByTestId('filter-chips')).toContainText(`${host} read`);

  await page.reload();
  await expect(page.getByTestId('total-count')).toHaveText('2');
  await expect(page.getByTestId('filter-chips')).toContainText(`${host} read`);

  // Removing the chip brings back both rules.
  await page.getByRole('link', { name: `Remove filter rule ${host} read` }).click();
  await expect(page.getByTestId('total-count')).toHaveText('5');
});

test('the theme can be switched and is kept across pages', async ({ page }) => {
  await page.goto('/?from=1h');
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: /theme/i });
  await toggle.click(); // system → light
  await expect(html).toHaveClass(/light/);
  await toggle.click(); // light → dark
  await expect(html).toHaveClass(/dark/);
  await page.goto('/events?from=1h');
  await expect(html).toHaveClass(/dark/);
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(11, 15, 23)');
});
