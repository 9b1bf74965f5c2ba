import { expect, test, type Page } from '@playwright/test';
import { falcoTimeAgo } from '../fixtures/api-helpers';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';

// A page's counters, timeline and lists move as one when an alert arrives: no moment where a list
// shows an alert its counters do not count, nor counters that count one the list does not show.

/** One thing read off the page: a text, an attribute, whether a list has a text, its length, its highest `prefix<n>`. */
type Probe =
  | { kind: 'text'; selector: string }
  | { kind: 'attr'; selector: string; attr: string }
  | { kind: 'has'; selector: string; text: string }
  | { kind: 'count'; selector: string }
  | { kind: 'maxNumber'; selector: string; prefix: string };
type View = Record<string, string | number | boolean | null>;

/**
 * Records what the page shows after every DOM change (a MutationObserver sees each React commit,
 * so also any state that lasts less than a frame), keeping each distinct view once in order.
 */
async function startRecording(page: Page, probes: Record<string, Probe>): Promise<void> {
  await page.evaluate((probes) => {
    const read = (probe: Probe): string | number | boolean | null => {
      if (probe.kind === 'text') return document.querySelector(probe.selector)?.textContent ?? null;
      if (probe.kind === 'attr') return document.querySelector(probe.selector)?.getAttribute(probe.attr) ?? null;
      if (probe.kind === 'count') return document.querySelectorAll(probe.selector).length;
      const texts = [...document.querySelectorAll(probe.selector)].map((element) => element.textContent ?? '');
      if (probe.kind === 'has') return texts.includes(probe.text);
      return Math.max(
        0,
        ...texts.filter((text) => text.startsWith(probe.prefix)).map((text) => Number(text.slice(probe.prefix.length))),
      );
    };
    const views: View[] = [];
    const times: number[] = [];
    const look = () => {
      const view = Object.fromEntries(Object.entries(probes).map(([name, probe]) => [name, read(probe)]));
      const last = views.at(-1);
      if (!last || JSON.stringify(last) !== JSON.stringify(view)) {
        views.push(view);
        times.push(Date.now());
      }
    };
    look();
    const observer = new MutationObserver(look);
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-total'],
    });
    Object.assign(window, { liveViews: views, liveTimes: times });
  }, probes);
}

const recordedViews = (page: Page) => page.evaluate(() => (window as unknown as { liveViews: View[] }).liveViews);
/** When (ms since the epoch) the first view where `name` read `value` was recorded. */
const firstSeenAt = (page: Page, name: string, value: View[string]) =>
  page.evaluate(
    ({ name, value }) => {
      const { liveViews, liveTimes } = window as unknown as { liveViews: View[]; liveTimes: number[] };
      return liveTimes[liveViews.findIndex((view) => view[name] === value)] ?? null;
    },
    { name, value },
  );

/** Every recorded view either shows the new alert everywhere or nowhere, and both were seen. */
function expectMovedAsOne(views: View[], shows: Record<string, (value: View[string]) => boolean>) {
  const states = views.map((view) => Object.entries(shows).map(([name, test]) => [name, test(view[name]!)] as const));
  const mixed = views.filter((_, i) => new Set(states[i]!.map(([, seen]) => seen)).size > 1);
  expect(
    mixed,
    `views where only some panels show the new alert:\n${mixed.map((view) => JSON.stringify(view)).join('\n')}`,
  ).toEqual([]);
  expect(
    states.some((state) => state.every(([, seen]) => !seen)),
    'the view before the alert was recorded',
  ).toBe(true);
  expect(
    states.at(-1)!.every(([, seen]) => seen),
    'the view after the alert was recorded',
  ).toBe(true);
}

const byTestId = (...ids: string[]) => ids.map((id) => `[data-testid="${id}"]`).join(' ');

test('the kiosk lists a new Critical alert in the same moment its counter, timeline and top rules count it', async ({
  page,
  request,
}) => {
  const host = uniqueTag('together-kiosk');
  const rule = `Together critical ${host}`;
  await post(request, '/api/events', makeAlert({ hostname: host, priority: 'Informational', rule: `Quiet ${host}` }));
  await page.goto(`/kiosk?hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('kiosk-timeline').getByTestId('timeline')).toHaveAttribute('data-total', '1');
  await expect(page.getByTestId('kiosk-count-Informational').getByTestId('count-value')).toHaveText('1');
  await expect(page.getByTestId('kiosk-top-rules-list').getByTestId('bar-label')).toHaveText([`Quiet ${host}`]);

  await startRecording(page, {
    listed: { kind: 'has', selector: byTestId('kiosk-feed', 'kiosk-alert-rule'), text: rule },
    critical: { kind: 'text', selector: byTestId('kiosk-count-Critical', 'count-value') },
    timeline: { kind: 'attr', selector: byTestId('kiosk-timeline', 'timeline'), attr: 'data-total' },
    topRule: { kind: 'has', selector: byTestId('kiosk-top-rules-list', 'bar-label'), text: rule },
  });
  const postedAt = Date.now();
  expect((await post(request, '/api/events', makeAlert({ hostname: host, priority: 'Critical', rule }))).status()).toBe(
    200,
  );
  await expect(page.getByTestId('kiosk-feed').getByTestId('kiosk-alert-rule')).toHaveText([rule]);
  await expect(page.getByTestId('kiosk-alert').first()).toHaveAttribute('data-fresh', 'true');
  await expect(page.getByTestId('kiosk-count-Critical').getByTestId('count-value')).toHaveText('1');
  await expect(page.getByTestId('kiosk-timeline').getByTestId('timeline')).toHaveAttribute('data-total', '2');
  await expect(
    page.getByTestId('kiosk-top-rules-list').getByTestId('bar-label').filter({ hasText: rule }),
  ).toBeVisible();

  const listedAt = await firstSeenAt(page, 'listed', true);
  const countedAt = await firstSeenAt(page, 'critical', '1');
  test.info().annotations.push({
    type: 'latency',
    description: `listed ${listedAt! - postedAt} ms, counted ${countedAt! - postedAt} ms after the POST began`,
  });
  expectMovedAsOne(await recordedViews(page), {
    listed: (value) => value === true,
    critical: (value) => value === '1',
    timeline: (value) => value === '2',
    topRule: (value) => value === true,
  });
});

test('the explorer inserts a new alert in the same moment its match count and timeline count it', async ({
  page,
  request,
}) => {
  const host = uniqueTag('together-explorer');
  await post(request, '/api/events', makeAlert({ hostname: host, rule: `Old ${host}`, time: falcoTimeAgo(120) }));
  await page.goto(`/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('event-rule')).toHaveText([`Old ${host}`]);
  await expect(page.getByTestId('match-count')).toHaveText('1 matching');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '1');

  const rule = `New ${host}`;
  await startRecording(page, {
    listed: { kind: 'has', selector: byTestId('event-rule'), text: rule },
    matching: { kind: 'text', selector: byTestId('match-count') },
    timeline: { kind: 'attr', selector: byTestId('timeline'), attr: 'data-total' },
  });
  await post(request, '/api/events', makeAlert({ hostname: host, rule, time: falcoTimeAgo(1) }));
  await expect(page.getByTestId('event-rule')).toHaveText([rule, `Old ${host}`]);
  await expect(page.getByTestId('match-count')).toHaveText('2 matching');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '2');
  await expect(page.getByTestId('new-alerts')).toHaveCount(0);

  expectMovedAsOne(await recordedViews(page), {
    listed: (value) => value === true,
    matching: (value) => value === '2 matching',
    timeline: (value) => value === '2',
  });
});

test('the overview moves its counters, timeline, top rules and newest alerts as one', async ({ page, request }) => {
  const host = uniqueTag('together-overview');
  await post(request, '/api/events', makeAlert({ hostname: host, priority: 'Notice', rule: `Before ${host}` }));
  await page.goto(`/?from=1h&hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('total-count')).toHaveText('1');
  await expect(page.getByTestId('recent-alerts').getByTestId('event-rule')).toHaveText([`Before ${host}`]);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '1');

  const rule = `Arrived ${host}`;
  await startRecording(page, {
    listed: { kind: 'has', selector: byTestId('recent-alerts', 'event-rule'), text: rule },
    critical: { kind: 'text', selector: byTestId('count-Critical', 'count-value') },
    total: { kind: 'text', selector: byTestId('total-count') },
    timeline: { kind: 'attr', selector: byTestId('timeline'), attr: 'data-total' },
    topRule: { kind: 'has', selector: byTestId('top-rule', 'bar-label'), text: rule },
  });
  await post(request, '/api/events', makeAlert({ hostname: host, priority: 'Critical', rule }));
  await expect(page.getByTestId('recent-alerts').getByTestId('event-rule')).toHaveText([rule, `Before ${host}`]);
  await expect(page.getByTestId('count-Critical').getByTestId('count-value')).toHaveText('1');
  await expect(page.getByTestId('total-count')).toHaveText('2');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '2');
  await expect(page.getByTestId('top-rule').getByTestId('bar-label').filter({ hasText: rule })).toBeVisible();

  expectMovedAsOne(await recordedViews(page), {
    listed: (value) => value === true,
    critical: (value) => value === '1',
    total: (value) => value === '2',
    timeline: (value) => value === '2',
    topRule: (value) => value === true,
  });
});

test('the rules page moves its rule table, totals and timeline as one', async ({ page, request }) => {
  const host = uniqueTag('together-rules');
  await post(request, '/api/events', makeAlert({ hostname: host, rule: `First ${host}` }));
  await page.goto(`/rules?from=1h&hostname=${host}`);
  await expect(page.getByTestId('rules-summary')).toHaveText('1 fired · 1 alert');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '1');

  const rule = `Second ${host}`;
  await startRecording(page, {
    listed: { kind: 'has', selector: byTestId('rules-table', 'rule-name'), text: rule },
    summary: { kind: 'text', selector: byTestId('rules-summary') },
    timeline: { kind: 'attr', selector: byTestId('timeline'), attr: 'data-total' },
  });
  await post(request, '/api/events', makeAlert({ hostname: host, rule }));
  await expect(page.getByTestId('rules-summary')).toHaveText('2 fired · 2 alerts');
  await expect(page.getByTestId('rule-name').filter({ hasText: rule })).toBeVisible();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '2');

  expectMovedAsOne(await recordedViews(page), {
    listed: (value) => value === true,
    summary: (value) => value === '2 fired · 2 alerts',
    timeline: (value) => value === '2',
  });
});

test("a rule's page lists a new alert of the rule in the same moment its facts and timeline count it", async ({
  page,
  request,
}) => {
  const host = uniqueTag('together-rule');
  const rule = `One rule ${host}`;
  await post(request, '/api/events', makeAlert({ hostname: host, rule, time: falcoTimeAgo(60) }));
  // This page has no live badge: wait for its stream to answer instead.
  const streamOpen = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith('/api/stream'));
  await page.goto(`/rules/${encodeURIComponent(rule)}?from=1h&hostname=${host}`);
  await streamOpen;
  await expect(page.getByTestId('rule-total')).toHaveText('1');
  await expect(page.getByTestId('rule-alerts').getByTestId('event-row')).toHaveCount(1);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '1');

  await startRecording(page, {
    rows: { kind: 'count', selector: byTestId('rule-alerts', 'event-row') },
    total: { kind: 'text', selector: byTestId('rule-total') },
    timeline: { kind: 'attr', selector: byTestId('timeline'), attr: 'data-total' },
  });
  await post(request, '/api/events', makeAlert({ hostname: host, rule, time: falcoTimeAgo(1) }));
  await expect(page.getByTestId('rule-alerts').getByTestId('event-row')).toHaveCount(2);
  await expect(page.getByTestId('rule-total')).toHaveText('2');
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-total', '2');

  expectMovedAsOne(await recordedViews(page), {
    rows: (value) => value === 2,
    total: (value) => value === '2',
    timeline: (value) => value === '2',
  });
});

test('during an alert storm the kiosk never lists an alert its counter has not counted, and refetches at a bounded rate', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  const host = uniqueTag('together-storm');
  await page.goto(`/kiosk?hostname=${host}`);
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('kiosk-count-Critical').getByTestId('count-value')).toHaveText('0');
  const summaryReads: number[] = [];
  page.on('request', (req) => {
    if (new URL(req.url()).pathname.endsWith('/api/stats/summary')) summaryReads.push(Date.now());
  });

  const prefix = `Storm ${host} #`;
  await startRecording(page, {
    // Alerts are posted one after another, so "counted up to n" and "listed up to n" compare.
    newestListed: { kind: 'maxNumber', selector: byTestId('kiosk-feed', 'kiosk-alert-rule'), prefix },
    critical: { kind: 'text', selector: byTestId('kiosk-count-Critical', 'count-value') },
    timeline: { kind: 'attr', selector: byTestId('kiosk-timeline', 'timeline'), attr: 'data-total' },
  });
  const started = Date.now();
  let n = 0;
  while (Date.now() - started < 6_000) {
    const batch = Array.from({ length: 3 }, () =>
      makeAlert({ hostname: host, priority: 'Critical', rule: `${prefix}${++n}` }),
    );
    expect((await post(request, '/api/events', batch)).status()).toBe(200);
    await page.waitForTimeout(50);
  }
  const stormMs = Date.now() - started;
  await expect(page.getByTestId('kiosk-count-Critical').getByTestId('count-value')).toHaveText(
    n.toLocaleString('en-US'),
    { timeout: 10_000 },
  );
  await expect(page.getByTestId('kiosk-feed').getByTestId('kiosk-alert-rule').first()).toHaveText(`${prefix}${n}`);

  const views = await recordedViews(page);
  const count = (text: unknown) => Number(String(text).replace(/,/g, ''));
  const behind = views.filter((view) => Number(view.newestListed) < count(view.critical)).length;
  test.info().annotations.push({
    type: 'storm',
    description: `${n} alerts in ${stormMs} ms: ${summaryReads.length} summary reads, ${views.length} distinct views, ${behind} with the list behind the counter`,
  });
  const ahead = views.filter(
    (view) => Number(view.newestListed) > count(view.critical) || Number(view.newestListed) > count(view.timeline),
  );
  expect(
    ahead,
    `views listing alerts not yet counted:\n${ahead.map((view) => JSON.stringify(view)).join('\n')}`,
  ).toEqual([]);
  expect(
    views.filter((view) => Number(view.newestListed) > 0).length,
    'the feed moved during the storm',
  ).toBeGreaterThan(1);
  // One refresh at most per coalescing interval however many alerts arrive (plus one after the last).
  expect(
    summaryReads.length,
    `${summaryReads.length} summary reads for ${n} alerts in ${stormMs} ms`,
  ).toBeLessThanOrEqual(Math.ceil(stormMs / 2_000) + 2);
});
