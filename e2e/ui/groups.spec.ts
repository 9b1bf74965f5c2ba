import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { collectConsoleErrors } from '../fixtures/browser';
import { ACCESS, INGEST_TOKEN, SERVERS } from '../servers';

interface Seeded {
  host: string;
  rules: { first: string; second: string; third: string };
  /** The Groups page of this test's alerts only. */
  groupsUrl: (extra?: string) => string;
}

const inImage = (image: string) => ({
  'container.id': `c${Math.random().toString(16).slice(2, 12)}`,
  'container.name': 'web',
  'container.image.repository': image,
});

/**
 * Three rules on a host of the test's own: the first fires in an image and on the host itself (two
 * groups), the others once each, so that worst priority, then count, gives one order.
 */
async function seed(request: APIRequestContext, name: string, baseUrl = '', headers: Record<string, string> = {}) {
  const tag = uniqueTag(name);
  const host = `${tag}-host`;
  const rules = { first: `${tag} shell <b>in</b> "image"`, second: `${tag} second rule`, third: `${tag} third rule` };
  const container = inImage(`registry.example/${tag}/web`);
  const alerts = [
    ...Array.from({ length: 3 }, () =>
      makeAlert({ rule: rules.first, priority: 'Critical', hostname: host, fields: container }),
    ),
    makeAlert({ rule: rules.first, priority: 'Error', hostname: host }),
    makeAlert({ rule: rules.first, priority: 'Warning', hostname: host }),
    makeAlert({ rule: rules.second, priority: 'Error', hostname: host }),
    makeAlert({ rule: rules.third, priority: 'Notice', hostname: host }),
  ];
  const response = await post(request, `${baseUrl}/api/events`, alerts, headers);
  expect(response.status(), await response.text()).toBe(200);
  const groupsUrl = (extra = '') => `${baseUrl}/groups?from=1h&hostname=${encodeURIComponent(host)}${extra}`;
  return { host, rules, groupsUrl } satisfies Seeded;
}

const rows = (page: Page) => page.getByTestId('group-row');
const rowOf = (page: Page, rule: string, place?: string) => {
  const byRule = rows(page).filter({ has: page.getByTestId('group-rule').getByText(rule, { exact: true }) });
  return place === undefined ? byRule : byRule.filter({ hasText: place });
};

test('groups count the alerts posted, and a row opens exactly its alerts', async ({ page, request }) => {
  const errors = collectConsoleErrors(page);
  const { rules, host, groupsUrl } = await seed(request, 'groups-count');
  await page.goto(groupsUrl());

  // Rule, image or host, chain (the default): the first rule is two groups, worst priority first.
  await expect(page.getByTestId('group-rule')).toHaveText([rules.first, rules.first, rules.second, rules.third]);
  await expect(page.getByTestId('group-count')).toHaveText(['3', '2', '1', '1']);
  await expect(page.getByTestId('group-priority')).toHaveText(['Critical', 'Error', 'Error', 'Notice']);
  await expect(page.getByTestId('groups-summary')).toHaveText('4 groups · 7 alerts');
  const inImageRow = rows(page).first();
  await expect(inImageRow.getByTestId('group-image')).toContainText('/web');
  await expect(inImageRow.getByTestId('group-chain')).toHaveText('tmux › bash › sudo › sudo › cat');
  await expect(rows(page).nth(1).getByTestId('group-host')).toHaveText(host);
  await expect(inImageRow.getByTestId('group-places')).toHaveText('1 · 1');
  await expect(inImageRow.getByTestId('group-status')).toHaveText('Open');
  // Alert text is text: the rule's markup shows as written.
  await expect(page.locator('b', { hasText: /^in$/ })).toHaveCount(0);
  const bars = inImageRow.getByTestId('sparkline-bar');
  const barCounts = await bars.evaluateAll((list) => list.map((bar) => Number(bar.getAttribute('data-count'))));
  expect(barCounts.reduce((sum, n) => sum + n, 0)).toBe(3);

  // Another grouping, kept in the URL with the API's names.
  await page.getByTestId('group-by').selectOption('rule');
  await expect(page).toHaveURL(/groupBy=rule(&|$)/);
  await expect(page.getByTestId('group-rule')).toHaveText([rules.first, rules.second, rules.third]);
  await expect(page.getByTestId('group-count')).toHaveText(['5', '1', '1']);
  await page.getByTestId('group-sort').selectOption('count');
  await expect(page).toHaveURL(/sort=count/);
  await page.reload();
  await expect(page.getByTestId('group-count')).toHaveText(['5', '1', '1']);
  await expect(page.getByTestId('group-by')).toHaveValue('rule');

  // The row's link opens the alerts list on that group: its rule, its place, its key.
  await page.goto(groupsUrl());
  const link = rows(page).first().getByTestId('group-rule');
  const target = new URL((await link.getAttribute('href'))!, 'http://x');
  expect(target.pathname).toBe('/events');
  expect(target.searchParams.get('from')).toBe('1h');
  expect(target.searchParams.getAll('rule')).toEqual([rules.first]);
  expect(target.searchParams.getAll('image')).toEqual([expect.stringContaining('/web')]);
  expect(target.searchParams.getAll('group')).toEqual([await rows(page).first().getAttribute('data-key')]);
  await link.click();
  await expect(page.getByTestId('match-count')).toHaveText('3 matching');
  await expect(page.getByTestId('event-rule')).toHaveText([rules.first, rules.first, rules.first]);

  await page.goto(groupsUrl());
  await rows(page).nth(1).getByTestId('group-rule').click();
  await expect(page.getByTestId('match-count')).toHaveText('2 matching');
  expect(new URL(page.url()).searchParams.getAll('hostname')).toEqual([host]);
  expect(errors).toEqual([]);
});

test('a status set with a note moves the group to its tab and shows in its history', async ({ page, request }) => {
  const errors = collectConsoleErrors(page);
  const { rules, groupsUrl } = await seed(request, 'groups-note');
  await page.goto(groupsUrl());
  await expect(page.getByTestId('triage-as')).toHaveText('Login is off: status changes are recorded as “anonymous”.');

  const row = rowOf(page, rules.second);
  await row.getByTestId('group-count').click();
  await expect(page.getByTestId('triage-target')).toHaveText(`Focused: ${rules.second}`);
  const note = 'Known <i>cron</i> job & more';
  await page.getByTestId('note-toggle').click();
  await page.getByTestId('triage-note').fill(note);
  await page.getByTestId('set-acknowledged').click();
  await expect(page.getByTestId('triage-message')).toHaveText(
    '1 group set to acknowledged with the note, recorded as anonymous.',
  );
  await expect(rowOf(page, rules.second)).toHaveCount(0);
  await expect(page.getByTestId('group-rule')).toHaveText([rules.first, rules.first, rules.third]);

  await page.getByTestId('tab-acknowledged').click();
  await expect(page).toHaveURL(/status=acknowledged/);
  await expect(page.getByTestId('group-rule')).toHaveText([rules.second]);
  const acknowledged = rowOf(page, rules.second);
  await expect(acknowledged.getByTestId('status-badge')).toHaveText('Acknowledged');
  await expect(acknowledged.getByTestId('group-status-line')).toHaveText(/^by anonymous, (just now|1 min ago)$/);
  await expect(acknowledged.getByTestId('group-note')).toHaveText(`“${note}”`);

  await acknowledged.getByTestId('group-expand').click();
  const entries = page.getByTestId('history-entry');
  await expect(entries).toHaveCount(1);
  await expect(entries.getByTestId('status-badge')).toHaveText('Acknowledged');
  await expect(entries.getByTestId('history-by')).toHaveText('anonymous');
  await expect(entries.getByTestId('history-note')).toHaveText(note);
  await expect(page.locator('[data-testid="group-detail"] i')).toHaveCount(0);

  // The All tab holds every status; a group never triaged has no history.
  await page.getByTestId('tab-all').click();
  await expect(page.getByTestId('group-rule')).toHaveCount(4);
  await rowOf(page, rules.third).getByTestId('group-expand').click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a resolved group that fires again is back under Open, marked reopened', async ({ page, request }) => {
  const errors = collectConsoleErrors(page);
  const { rules, host, groupsUrl } = await seed(request, 'groups-reopen');
  await page.goto(groupsUrl());
  await rowOf(page, rules.third).getByTestId('group-select').check();
  await expect(page.getByTestId('triage-target')).toHaveText('1 group selected');
  await page.getByTestId('set-resolved').click();
  await expect(rowOf(page, rules.third)).toHaveCount(0);
  await page.getByTestId('tab-resolved').click();
  await expect(page.getByTestId('group-rule')).toHaveText([rules.third]);

  // Timed now, after the status was set (the fixture's clock runs a minute behind).
  await page.waitForTimeout(20);
  const now = new Date().toISOString().replace('Z', '000000Z');
  const again = await post(
    request,
    '/api/events',
    makeAlert({ rule: rules.third, priority: 'Notice', hostname: host, time: now }),
  );
  expect(again.status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId('group-rule')).toHaveCount(0);
  await page.getByTestId('tab-open').click();
  const reopened = rowOf(page, rules.third);
  await expect(reopened).toHaveAttribute('data-status', 'open');
  await expect(reopened.getByTestId('group-count')).toHaveText('2');
  await expect(reopened.getByTestId('group-status-line')).toHaveText(/^reopened: 1 new since (just now|1 min ago)$/);
  expect(errors).toEqual([]);
});

test('the keyboard moves through the groups and sets a status', async ({ page, request }) => {
  const errors = collectConsoleErrors(page);
  const { rules, groupsUrl } = await seed(request, 'groups-keys');
  await page.goto(groupsUrl());
  await expect(rows(page)).toHaveCount(4);
  await expect(page.getByTestId('key-hint')).toContainText('move');

  const focusedRule = page.locator('[data-testid="group-row"][data-focused="true"]').getByTestId('group-rule');
  await page.keyboard.press('j');
  await expect(focusedRule).toHaveText(rules.first);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(focusedRule).toHaveText(rules.second);
  await page.keyboard.press('k');
  await page.keyboard.press('j');
  await expect(focusedRule).toHaveText(rules.second);

  // x selects and unselects the focused group.
  await page.keyboard.press('x');
  await expect(rowOf(page, rules.second)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('x');
  await expect(rowOf(page, rules.second)).toHaveAttribute('aria-selected', 'false');

  // a acknowledges it; it leaves Open and the focus goes to the group now in its place.
  await page.keyboard.press('a');
  await expect(page.getByTestId('triage-message')).toHaveText('1 group set to acknowledged, recorded as anonymous.');
  await expect(rowOf(page, rules.second)).toHaveCount(0);
  await expect(focusedRule).toHaveText(rules.third);

  // n opens the note; the note goes with the next key's change.
  await page.keyboard.press('n');
  await expect(page.getByTestId('triage-note')).toBeFocused();
  await page.keyboard.type('noisy');
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await expect(page.getByTestId('triage-message')).toHaveText(
    '1 group set to benign with the note, recorded as anonymous.',
  );
  await expect(rowOf(page, rules.third)).toHaveCount(0);

  await page.getByTestId('tab-acknowledged').click();
  await expect(page.getByTestId('group-rule')).toHaveText([rules.second]);
  await page.getByTestId('tab-benign').click();
  await expect(rowOf(page, rules.third).getByTestId('group-note')).toHaveText('“noisy”');
  // o sets it open again.
  await page.keyboard.press('j');
  await page.keyboard.press('o');
  await expect(page.getByTestId('group-rule')).toHaveCount(0);
  await page.getByTestId('tab-open').click();
  await expect(rowOf(page, rules.third).getByTestId('status-badge')).toHaveText('Open');
  expect(errors).toEqual([]);
});

test('several groups change status together', async ({ page, request }) => {
  const errors = collectConsoleErrors(page);
  const { rules, groupsUrl } = await seed(request, 'groups-bulk');
  await page.goto(groupsUrl());
  await rowOf(page, rules.second).getByTestId('group-select').check();
  await rowOf(page, rules.third).getByTestId('group-select').check();
  await expect(page.getByTestId('triage-target')).toHaveText('2 groups selected');
  await page.getByTestId('set-benign').click();
  await expect(page.getByTestId('triage-message')).toHaveText('2 groups set to benign, recorded as anonymous.');
  await expect(page.getByTestId('group-rule')).toHaveText([rules.first, rules.first]);

  await page.getByTestId('tab-benign').click();
  await expect(page.getByTestId('group-rule')).toHaveText([rules.second, rules.third]);
  await expect(page.getByTestId('status-badge')).toHaveText(['Benign', 'Benign']);

  // Select all on the page, then back to open in one change.
  await page.getByTestId('select-all').check();
  await expect(page.getByTestId('triage-target')).toHaveText('2 groups selected');
  await page.getByTestId('set-open').click();
  await expect(page.getByTestId('group-rule')).toHaveCount(0);
  await expect(page.getByTestId('tab-benign')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('tab-open').click();
  await expect(page.getByTestId('group-rule')).toHaveCount(4);
  expect(errors).toEqual([]);
});

test('more groups than a page holds load by cursor', async ({ page, request }) => {
  const errors = collectConsoleErrors(page);
  const tag = uniqueTag('groups-more');
  const alerts = Array.from({ length: 52 }, (_, i) =>
    makeAlert({ rule: `${tag} rule ${String(i).padStart(2, '0')}`, hostname: tag }),
  );
  expect((await post(request, '/api/events', alerts)).status()).toBe(200);
  await page.goto(`/groups?from=1h&hostname=${tag}`);
  await expect(rows(page)).toHaveCount(50);
  await expect(page.getByTestId('groups-summary')).toHaveText('50 groups shown, more to load · 50 alerts');
  await page.getByTestId('load-more').click();
  await expect(rows(page)).toHaveCount(52);
  await expect(page.getByTestId('groups-summary')).toHaveText('52 groups · 52 alerts');
  await expect(page.getByTestId('load-more')).toHaveCount(0);
  const rules = await page.getByTestId('group-rule').allTextContents();
  expect(new Set(rules).size).toBe(52);
  expect(errors).toEqual([]);
});

test('a view token reads the groups but may not change them; a user is named on each change', async ({
  page,
  request,
  browser,
}) => {
  const access = SERVERS.access.url;
  const ingest = { authorization: `Bearer ${INGEST_TOKEN}` };
  const { rules, groupsUrl } = await seed(request, 'groups-view', access, ingest);

  await page.goto(groupsUrl(`&view_token=${ACCESS.viewTokens.wall}`));
  await expect(page.getByTestId('group-rule')).toHaveCount(4);
  await expect(page.getByTestId('view-only')).toContainText('View only: the view token “wall” may read the groups');
  await expect(page.getByTestId('group-select')).toHaveCount(0);
  await expect(page.getByTestId('triage-bar')).toHaveCount(0);
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await expect(page.getByRole('alert').filter({ hasText: 'Refused' })).toContainText(
    'may read the groups but not change',
  );
  await page.reload();
  await expect(page.getByTestId('group-rule')).toHaveCount(4);

  // The server refuses the token too, whatever the page offers.
  const key = await rows(page).first().getAttribute('data-key');
  const refused = await request.post(`${access}/api/groups/status`, {
    data: { groups: [key], status: 'resolved' },
    headers: { authorization: `Bearer ${ACCESS.viewTokens.wall}` },
  });
  expect(refused.status()).toBe(403);

  // A user signed in through the trusted proxy changes statuses under their name.
  const context = await browser.newContext({ extraHTTPHeaders: { [ACCESS.userHeader]: 'carol' } });
  const userPage = await context.newPage();
  await userPage.goto(groupsUrl());
  await expect(userPage.getByTestId('triage-as')).toHaveText('Status changes are recorded as carol.');
  await rowOf(userPage, rules.third).getByTestId('group-select').check();
  await userPage.getByTestId('set-resolved').click();
  await expect(userPage.getByTestId('triage-message')).toHaveText('1 group set to resolved, recorded as carol.');
  await userPage.getByTestId('tab-resolved').click();
  await rowOf(userPage, rules.third).getByTestId('group-expand').click();
  await expect(userPage.getByTestId('history-by')).toHaveText(['carol']);
  await context.close();
});
