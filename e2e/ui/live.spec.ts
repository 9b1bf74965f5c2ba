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

  await post(request, '/api/events', [makeAlert({ hostname: host, priority: 'Critical' }), makeAlert({ hostname: host, priority: 'Notice' })]);
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

test('the explorer shows "N new alerts" instead of moving rows the reader has scrolled to', async ({ page, request }) => {
  const host = uniqueTag('live-reading');
  const seeded = Array.from({ length: 80 }, (_, i) => makeAlert({ hostname: host, rule: `Seeded ${i} ${host}`, time: falcoTimeAgo(600 - i) }));
  expect((await post(request, '/api/events', seeded)).status()).toBe(200);
  await page.goto(`/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('event-rule')).toHaveCount(80);

  // The reader scrolls down the list and looks at one row.
  const reading = page.getByTestId('event-rule').filter({ hasText: `Seeded 30 ${host}` });
  await reading.scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 300);
  const before = await reading.boundingBox();

  await post(request, '/api/events', [1, 2, 3].map((i) => makeAlert({ hostname: host, rule: `Arrived ${i} ${host}`, time: falcoTimeAgo(3 - i) })));
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
