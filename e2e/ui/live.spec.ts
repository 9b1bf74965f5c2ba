import { expect, test } from '@playwright/test';
import { falcoTimeAgo } from '../fixtures/api-helpers';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';

// The dashboard follows the live stream: no reloads, nothing moving under the reader.

test('the overview counters and newest alerts move when alerts arrive', async ({ page, request }) => {
  const host = uniqueTag('live-overview');
  await post(request, '/api/events', makeAlert({ hostname: host, priority: 'Critical', rule: `Before ${host}` }));
  await page.goto(`/?from=1h&hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('count-Critical').getByTestId('count-value')).toHaveText('1');

  await post(request, '/api/events', [
    makeAlert({ hostname: host, priority: 'Critical' }),
    makeAlert({ hostname: host, priority: 'Notice' }),
  ]);
  await expect(page.getByTestId('count-Critical').getByTestId('count-value')).toHaveText('2');
  await expect(page.getByTestId('count-Notice').getByTestId('count-value')).toHaveText('1');
  await expect(page.getByTestId('total-count')).toHaveText('3');
});

test('the explorer inserts new alerts while the reader is at the top of the list', async ({ page, request }) => {
  const host = uniqueTag('live-top');
  await post(request, '/api/events', makeAlert({ hostname: host, rule: `Old ${host}`, time: falcoTimeAgo(120) }));
  await page.goto(`/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('event-rule')).toHaveText([`Old ${host}`]);

  await post(request, '/api/events', makeAlert({ hostname: host, rule: `New ${host}`, time: falcoTimeAgo(1) }));
  await expect(page.getByTestId('event-rule')).toHaveText([`New ${host}`, `Old ${host}`]);
  await expect(page.getByTestId('new-alerts')).toHaveCount(0);
});

test('the explorer shows "N new alerts" instead of moving rows the reader has scrolled to', async ({
  page,
  request,
}) => {
  const host = uniqueTag('live-reading');
  const seeded = Array.from({ length: 80 }, (_, i) =>
    makeAlert({ hostname: host, rule: `Seeded ${i} ${host}`, time: falcoTimeAgo(600 - i) }),
  );
  expect((await post(request, '/api/events', seeded)).status()).toBe(200);
  await page.goto(`/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('event-rule')).toHaveCount(80);

  // The reader scrolls down the list and looks at one row.
  const reading = page.getByTestId('event-rule').filter({ hasText: `Seeded 30 ${host}` });
  await reading.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 300);
  const before = await reading.boundingBox();

  await post(
    request,
    '/api/events',
    [1, 2, 3].map((i) => makeAlert({ hostname: host, rule: `Arrived ${i} ${host}`, time: falcoTimeAgo(3 - i) })),
  );
  await expect(page.getByTestId('new-alerts')).toHaveText('↑ 3 new alerts: show');
  // Nothing moved under the reader.
  await expect(page.getByTestId('event-rule')).toHaveCount(80);
  expect((await reading.boundingBox())?.y).toBe(before?.y);

  await page.getByTestId('new-alerts').click();
  await expect(page.getByTestId('new-alerts')).toHaveCount(0);
  await expect(page.getByTestId('event-rule')).toHaveCount(83);
  await expect(page.getByTestId('event-rule').first()).toHaveText(`Arrived 3 ${host}`);
  await expect(page.getByTestId('event-rule').first()).toBeInViewport();
});

test('a search the server refuses is shown as not live, not as a connection being retried', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const hostname = uniqueTag('live-refused');
  // Enough distinct words beginning with "zqv" for the server to refuse `zqv*` (lib/db/event-search.ts),
  // three years ago, out of every other test's range.
  let seed = 11;
  const word = () => `zqv${((seed = (seed * 48271) % 2147483647)).toString(36)}`;
  for (let batch = 0; batch < 3; batch++) {
    const alerts = Array.from({ length: 500 }, (_, i) =>
      makeAlert({
        hostname,
        time: falcoTimeAgo(3 * 365 * 86_400 + batch * 500 + i),
        output: Array.from({ length: 250 }, word).join(' '),
      }),
    );
    expect((await post(request, '/api/events', alerts)).status()).toBe(200);
  }
  await page.goto(`/events?from=all&q=${encodeURIComponent('zqv*')}`);
  await expect(page.locator('#search-box-hint')).toContainText('Too many words begin with "zqv"');
  const badge = page.getByTestId('live-state');
  await expect(badge).toHaveAttribute('data-state', 'refused');
  await expect(badge).toHaveText('Not live');
  // It stays so: nothing is retried in the background.
  await page.waitForTimeout(3_000);
  await expect(badge).toHaveAttribute('data-state', 'refused');
  // A search the server accepts is followed live again.
  await page.goto(`/events?from=all&hostname=${hostname}&q=${encodeURIComponent('zqv')}`);
  await expect(badge).toHaveAttribute('data-state', 'live');
});
