import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { collectConsoleErrors } from '../fixtures/browser';

/**
 * Three rules on two hosts of their own, with names that need encoding in a path, spread over
 * containers and host processes so each table column and chart has something to tell apart.
 */
async function seed(request: APIRequestContext) {
  const tag = uniqueTag('rules');
  const hosts = { a: `${tag}-a`, b: `${tag}-b` };
  const c1 = { id: `c1${tag.slice(-10)}`, name: `web-${tag}` };
  const c2 = { id: `c2${tag.slice(-10)}`, name: `db-${tag}` };
  const rules = {
    write: `${tag} Write below /etc (root)`,
    shell: `${tag} 50%41 shell / spawned (x+y)`,
    module: `${tag} plain kernel module`,
  };
  const inContainer = (container: { id: string; name: string }) => ({
    'container.id': container.id,
    'container.name': container.name,
  });
  const alerts = [
    makeAlert({ rule: rules.write, priority: 'Warning', hostname: hosts.a, fields: inContainer(c1) }),
    makeAlert({ rule: rules.shell, priority: 'Notice', hostname: hosts.a, fields: inContainer(c1) }),
    makeAlert({ rule: rules.write, priority: 'Warning', hostname: hosts.a, fields: inContainer(c1) }),
    makeAlert({ rule: rules.write, priority: 'Warning', hostname: hosts.a, fields: inContainer(c2) }),
    makeAlert({
      rule: rules.shell,
      priority: 'Error',
      hostname: hosts.a,
      fields: { ...inContainer(c1), 'proc.name': 'vi', 'proc.cmdline': 'vi /etc/passwd' },
    }),
    makeAlert({ rule: rules.write, priority: 'Critical', hostname: hosts.a, fields: inContainer(c2) }),
    makeAlert({ rule: rules.shell, priority: 'Warning', hostname: hosts.a, fields: inContainer(c1) }),
    makeAlert({ rule: rules.write, priority: 'Notice', hostname: hosts.b }),
    makeAlert({ rule: rules.module, priority: 'Critical', hostname: hosts.b }),
  ];
  const response = await post(request, '/api/events', alerts);
  expect(response.status(), await response.text()).toBe(200);
  const scope = `hostname=${encodeURIComponent(hosts.a)}&hostname=${encodeURIComponent(hosts.b)}&from=24h`;
  return { hosts, c1, c2, rules, scope };
}

const rowOf = (page: Page, rule: string) =>
  page.getByTestId('rule-row').filter({ has: page.getByTestId('rule-name').getByText(rule, { exact: true }) });

test('the rules page lists every rule that fired with its count, worst priority, containers and hosts', async ({
  page,
  request,
}) => {
  const errors = collectConsoleErrors(page);
  const { rules, scope } = await seed(request);
  await page.goto(`/rules?${scope}`);

  const names = page.getByTestId('rule-name');
  await expect(names).toHaveText([rules.write, rules.shell, rules.module]);
  const expected = [
    { rule: rules.write, count: '5', priority: 'Critical', containers: '3', hosts: '2' },
    { rule: rules.shell, count: '3', priority: 'Error', containers: '1', hosts: '1' },
    { rule: rules.module, count: '1', priority: 'Critical', containers: '1', hosts: '1' },
  ];
  for (const row of expected) {
    const tr = rowOf(page, row.rule);
    await expect(tr.getByTestId('rule-count')).toHaveText(row.count);
    await expect(tr.getByTestId('rule-priority')).toHaveText(row.priority);
    await expect(tr.getByTestId('rule-containers')).toHaveText(row.containers);
    await expect(tr.getByTestId('rule-hosts')).toHaveText(row.hosts);
  }
  await expect(page.getByTestId('rules-summary')).toHaveText('3 fired · 9 alerts');

  // Trends over a day: hourly bars on whole hours, the last one (the hour under way, where these
  // alerts are) faded and saying which part of its hour it covers; the bars add up to the count.
  await expect(page.getByTestId('trend-header')).toContainText('per 1 h');
  const bars = rowOf(page, rules.write).getByTestId('sparkline-bar');
  expect([24, 25]).toContain(await bars.count());
  const barCounts = await bars.evaluateAll((list) => list.map((bar) => Number(bar.getAttribute('data-count'))));
  expect(barCounts.reduce((sum, n) => sum + n, 0)).toBe(5);
  await expect(bars.last()).toHaveAttribute('data-partial', 'true');
  await expect(bars.last().locator('title')).toHaveText(/^\d+ alerts?, .+ – .+ \(\d+ % of a 1 h period\)$/);
  await expect(bars.nth(1)).not.toHaveAttribute('data-partial', 'true');

  // Sorting: by name (A to Z, digits first), by priority (most severe, then most frequent), by last
  // seen (newest first), back to count; a second click on a column reverses it.
  await page.getByTestId('sort-name').click();
  await expect(names).toHaveText([rules.shell, rules.module, rules.write]);
  await page.getByTestId('sort-priority').click();
  await expect(names).toHaveText([rules.write, rules.module, rules.shell]);
  await page.getByTestId('sort-lastSeen').click();
  await expect(names).toHaveText([rules.module, rules.write, rules.shell]);
  await page.getByTestId('sort-lastSeen').click();
  await expect(names).toHaveText([rules.shell, rules.write, rules.module]);
  await page.getByTestId('sort-count').click();
  await expect(names).toHaveText([rules.write, rules.shell, rules.module]);
  await page.getByTestId('sort-count').click();
  await expect(names).toHaveText([rules.module, rules.shell, rules.write]);

  // The per-row link opens the explorer on that rule, keeping the page's filter.
  const alertsLink = rowOf(page, rules.shell).getByTestId('rule-alerts-link');
  const target = new URL((await alertsLink.getAttribute('href'))!, 'http://x');
  expect(target.pathname).toBe('/events');
  expect(target.searchParams.getAll('rule')).toEqual([rules.shell]);
  expect(target.searchParams.getAll('hostname')).toHaveLength(2);
  await alertsLink.click();
  await expect(page.getByTestId('match-count')).toHaveText('3 matching');

  // The filter lives in the URL: a reload shows the same rules.
  await page.goto(`/rules?${scope}`);
  await expect(names).toHaveText([rules.write, rules.shell, rules.module]);
  await page.reload();
  await expect(names).toHaveText([rules.write, rules.shell, rules.module]);
  await expect(page.getByTestId('filter-chips')).toContainText('host:');
  expect(errors).toEqual([]);
});

test('a rule page shows exactly that rule: header, alerts and breakdowns that filter', async ({ page, request }) => {
  const errors = collectConsoleErrors(page);
  const { rules, scope, c1, c2, hosts } = await seed(request);
  await page.goto(`/rules?${scope}`);

  // A name with a slash, a percent sign and parentheses survives the round trip through the path.
  await rowOf(page, rules.shell).getByTestId('rule-name').click();
  await expect(page).toHaveURL(
    (url) => decodeURIComponent(url.pathname) === `/rules/${rules.shell}` && url.search === '?from=24h',
  );
  await expect(page.getByTestId('rule-title')).toHaveText(rules.shell);
  await expect(page.getByTestId('rule-total')).toHaveText('3');
  await expect(page.getByTestId('rule-worst')).toHaveText('Error');
  await expect(page.getByTestId('rule-containers')).toHaveText('1');
  await expect(page.getByTestId('rule-hosts')).toHaveText('1');
  const alertRules = page.getByTestId('rule-alerts').getByTestId('event-rule');
  await expect(alertRules).toHaveText([rules.shell, rules.shell, rules.shell]);
  // The rule is the page's scope, not a removable filter.
  await expect(page.getByTestId('filter-chips')).toHaveCount(0);

  // Loaded directly (server-rendered), the page shows the same rule.
  await page.reload();
  await expect(page.getByTestId('rule-title')).toHaveText(rules.shell);
  await expect(page.getByTestId('rule-total')).toHaveText('3');

  // Process chains: two distinct ones, each linking to the explorer on its chain.
  const chains = page.getByTestId('top-chain').getByRole('link');
  await expect(chains.getByTestId('bar-label')).toHaveText([
    'tmux › bash › sudo › sudo › cat',
    'tmux › bash › sudo › sudo › vi',
  ]);
  await expect(chains.getByTestId('bar-count')).toHaveText(['2', '1']);
  await chains.filter({ hasText: '› vi' }).click();
  await expect(page).toHaveURL(/\/events\?.*chain=/);
  await expect(page.getByTestId('match-count')).toHaveText('1 matching');
  await expect(page.getByTestId('event-rule')).toHaveText([rules.shell]);

  // The "write" rule: a container bar adds its filter to this page.
  await page.goto(`/rules/${encodeURIComponent(rules.write)}?from=24h`);
  await expect(page.getByTestId('rule-total')).toHaveText('5');
  await expect(page.getByTestId('rule-worst')).toHaveText('Critical');
  await expect(page.getByTestId('rule-alerts').getByTestId('event-row')).toHaveCount(5);
  const containers = page.getByTestId('top-container').getByRole('link');
  await expect(containers.getByTestId('bar-label')).toHaveText([c1.name, c2.name, `host ${hosts.b}`]);
  await expect(containers.getByTestId('bar-count')).toHaveText(['2', '2', '1']);
  await containers.filter({ hasText: c2.name }).click();
  await expect(page).toHaveURL(
    (url) => url.searchParams.getAll('container').join() === c2.id && url.pathname.startsWith('/rules/'),
  );
  await expect(page.getByTestId('rule-total')).toHaveText('2');
  await expect(page.getByTestId('rule-alerts').getByTestId('event-row')).toHaveCount(2);
  await expect(page.getByTestId('filter-chips')).toContainText(c2.id);

  // Filters survive a reload.
  await page.reload();
  await expect(page.getByTestId('rule-title')).toHaveText(rules.write);
  await expect(page.getByTestId('rule-total')).toHaveText('2');
  await expect(page.getByTestId('rule-alerts').getByTestId('event-row')).toHaveCount(2);
  await expect(page.getByTestId('filter-chips')).toContainText(c2.id);

  // The host processes of a host: container=host plus that host.
  await page.goto(`/rules/${encodeURIComponent(rules.write)}?from=24h`);
  await containers.filter({ hasText: `host ${hosts.b}` }).click();
  await expect(page.getByTestId('rule-total')).toHaveText('1');
  await expect(page.getByTestId('rule-alerts').getByTestId('event-row')).toHaveCount(1);
  await expect(page.getByTestId('rule-alerts')).toContainText(hosts.b);

  // "Open in Alerts" carries the rule and the page's filters to the explorer.
  await page.getByTestId('open-in-alerts').click();
  await expect(page).toHaveURL(/\/events\?/);
  await expect(page.getByTestId('match-count')).toHaveText('1 matching');
  await expect(page.getByTestId('event-rule')).toHaveText([rules.write]);
  expect(errors).toEqual([]);
});

test('a rule with no alerts in the range says so', async ({ page }) => {
  const rule = uniqueTag('never fired');
  await page.goto(`/rules/${encodeURIComponent(rule)}`);
  await expect(page).toHaveURL(/from=24h/);
  await expect(page.getByTestId('rule-title')).toHaveText(rule);
  await expect(page.getByText('This rule did not fire for this filter in this range.')).toBeVisible();
  await expect(page.getByText('No alerts of this rule match this filter in this range.')).toBeVisible();
});
