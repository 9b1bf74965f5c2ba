import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { falcoTimeAgo, importSummary, runImport } from '../fixtures/api-helpers';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { unpackRaw } from '../../lib/db/raw-json';
import { parseCsv } from '../../lib/testing/csv-reader';

const MINUTE = 60;

test('the list shows exactly the filtered alerts, newest first, and keyboard moves through it', async ({
  page,
  request,
}) => {
  const host = uniqueTag('explorer-list');
  const alerts = [5, 4, 3, 2, 1].map((m, i) =>
    makeAlert({ hostname: host, rule: `${host} rule ${i}`, time: falcoTimeAgo(m * MINUTE) }),
  );
  expect((await post(request, '/api/events', alerts)).status()).toBe(200);

  await page.goto(`/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('match-count')).toHaveText('5 matching');
  await expect(page.getByTestId('event-table').getByTestId('event-rule')).toHaveText(
    [4, 3, 2, 1, 0].map((i) => `${host} rule ${i}`),
  );

  // `/` focuses the search; a search is a URL parameter like any filter.
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search alerts' })).toBeFocused();
  await page.keyboard.type(`${host} rule 3`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId('event-table').getByTestId('event-rule')).toHaveText([`${host} rule 3`]);
  await page.getByRole('searchbox', { name: 'Search alerts' }).blur();

  // ↓ selects the first row, Enter opens it, Escape comes back to the same list.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/events\/\d+$/);
  await expect(page.getByRole('heading', { name: `${host} rule 3` })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByTestId('event-table').getByTestId('event-rule')).toHaveText([`${host} rule 3`]);
});

test('a search of punctuation alone says why instead of listing nothing', async ({ page }) => {
  await page.goto('/events?from=1h');
  // The count comes from the page's script: typed into before it runs, the box would lose the text.
  await expect(page.getByTestId('match-count')).toHaveText(/\d+ matching/);
  const box = page.getByRole('searchbox', { name: 'Search alerts' });
  await box.fill('%/*');
  await box.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Type a word' })).toBeVisible();
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  expect(new URL(page.url()).searchParams.has('q')).toBe(false);
  // Typing again clears the hint; a word searches.
  await box.fill('shadow*');
  await expect(page.getByRole('alert').filter({ hasText: 'Type a word' })).toHaveCount(0);
  await box.press('Enter');
  await expect(page).toHaveURL(/q=shadow\*/);
});

test('an absolute range shows only the alerts inside it', async ({ page, request }) => {
  const host = uniqueTag('explorer-range');
  const times = [180, 120, 60, 10].map((m) => falcoTimeAgo(m * MINUTE));
  const alerts = times.map((time, i) => makeAlert({ hostname: host, rule: `${host} at ${i}`, time }));
  expect((await post(request, '/api/events', alerts)).status()).toBe(200);
  // A range around the middle two alerts only, leaving out the oldest and the newest.
  const from = new Date(Date.now() - 150 * MINUTE * 1000).toISOString();
  const to = new Date(Date.now() - 30 * MINUTE * 1000).toISOString();
  await page.goto(`/events?from=${from}&to=${to}&hostname=${host}`);
  await expect(page.getByTestId('event-table').getByTestId('event-rule')).toHaveText([`${host} at 2`, `${host} at 1`]);
  await expect(page.getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  // The same URL on the API selects the same alerts.
  const api = await request.get(`/api/events?from=${from}&to=${to}&hostname=${host}`);
  expect(((await api.json()) as { events: { rule: string }[] }).events.map((e) => e.rule)).toEqual([
    `${host} at 2`,
    `${host} at 1`,
  ]);
  // A preset replaces the absolute range.
  await page.getByRole('button', { name: '6h', exact: true }).click();
  await expect(page.getByTestId('event-table').getByTestId('event-rule')).toHaveCount(4);
});

test('dragging across the timeline zooms into that span', async ({ page, request }) => {
  const host = uniqueTag('explorer-zoom');
  const alerts = [50, 40, 30, 20, 10].map((m) => makeAlert({ hostname: host, time: falcoTimeAgo(m * MINUTE) }));
  expect((await post(request, '/api/events', alerts)).status()).toBe(200);
  await page.goto(`/events?from=1h&hostname=${host}`);
  const chart = page.getByTestId('timeline').locator('.recharts-wrapper');
  await expect(chart).toBeVisible();
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=\d{4}-\d\d-\d\dT.*to=\d{4}-/);
  const url = new URL(page.url());
  const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!);
  expect(span).toBeGreaterThan(10 * MINUTE * 1000);
  expect(span).toBeLessThan(30 * MINUTE * 1000);
  await expect(page.getByTestId('match-count')).not.toHaveText('5 matching');
});

test('CSV and NDJSON exports hold exactly the filtered alerts, and the NDJSON re-imports to the same set', async ({
  page,
  request,
}) => {
  const host = uniqueTag('explorer-export');
  const wanted = [1, 2, 3].map((i) =>
    makeAlert({ hostname: host, rule: `${host} wanted`, fields: { 'proc.cmdline': `=cmd(${i}) "quoted", more` } }),
  );
  const other = [makeAlert({ hostname: host, rule: `${host} other` })];
  const response = await post(request, '/api/events', [...wanted, ...other]);
  const { ids } = (await response.json()) as { ids: number[] };

  await page.goto(`/events?from=24h&hostname=${host}&rule=${encodeURIComponent(`${host} wanted`)}`);
  await expect(page.getByTestId('match-count')).toHaveText('3 matching');

  const csvHref = (await page.getByTestId('export-csv').getAttribute('href'))!;
  const csv = parseCsv(await (await request.get(csvHref)).text());
  const header = csv[0]!;
  const rows = csv.slice(1);
  expect(rows).toHaveLength(3);
  expect(rows.map((r) => Number(r[header.indexOf('id')])).sort()).toEqual(ids.slice(0, 3).sort());
  expect(new Set(rows.map((r) => r[header.indexOf('rule')]))).toEqual(new Set([`${host} wanted`]));
  // A command line starting with = is kept as text, not run as a formula.
  expect(rows.map((r) => r[header.indexOf('cmdline')]).sort()).toEqual(
    [1, 2, 3].map((i) => `'=cmd(${i}) "quoted", more`),
  );

  const ndjsonHref = (await page.getByTestId('export-ndjson').getAttribute('href'))!;
  const ndjson = await (await request.get(ndjsonHref)).text();
  const lines = ndjson.trim().split('\n');
  expect(lines.sort()).toEqual(wanted.map((a) => JSON.stringify(a)).sort());

  const dir = mkdtempSync(path.join(tmpdir(), 'perch-export-'));
  writeFileSync(path.join(dir, 'export.ndjson'), ndjson);
  const result = await runImport([path.join(dir, 'export.ndjson')], path.join(dir, 'reimport.db'));
  expect(importSummary(result.stdout)).toMatchObject({ imported: 3, duplicates: 0, invalid: 0 });
  const db = new Database(path.join(dir, 'reimport.db'), { readonly: true });
  // Stored deflated (lib/db/raw-json.ts): the same bytes once unpacked.
  const reimported = db.prepare('SELECT raw FROM event_payloads').all() as { raw: Buffer }[];
  db.close();
  expect(reimported.map((r) => unpackRaw(r.raw)).sort()).toEqual([...lines].sort());

  const jsonHref = (await page.getByTestId('export-json').getAttribute('href'))!;
  const json = (await (await request.get(jsonHref)).json()) as { id: number }[];
  expect(json.map((e) => e.id).sort()).toEqual(ids.slice(0, 3).sort());
});

/** Four alerts on `host`, oldest first: tmux › bash › sudo › cat twice, tmux › bash › vim, cron › sh. */
function treeAlerts(host: string) {
  const chain = (names: string[]) => {
    const [proc, parent, ...ancestors] = [...names].reverse();
    const fields: Record<string, unknown> = {
      'proc.name': proc,
      'proc.pname': parent ?? null,
      'proc.cmdline': proc,
      'proc.aname[2]': null,
      'proc.aname[3]': null,
      'proc.aname[4]': null,
    };
    ancestors.forEach((name, i) => {
      fields[`proc.aname[${i + 2}]`] = name;
    });
    return makeAlert({ hostname: host, fields });
  };
  return [
    chain(['tmux', 'bash', 'sudo', 'cat']),
    chain(['tmux', 'bash', 'sudo', 'cat']),
    chain(['tmux', 'bash', 'vim']),
    chain(['cron', 'sh']),
  ];
}

test('the process tree view merges chains, counts add up, and a node lists exactly its alerts', async ({
  page,
  request,
}) => {
  const host = uniqueTag('explorer-tree');
  expect((await post(request, '/api/events', treeAlerts(host))).status()).toBe(200);
  await page.goto(`/events?from=24h&hostname=${host}&view=tree`);
  const tree = page.getByTestId('process-tree');
  const node = (name: string) => tree.locator(`[data-testid="tree-node"][data-name="${name}"]`).first();
  await expect(node('tmux')).toHaveAttribute('data-count', '3');
  await expect(node('bash')).toHaveAttribute('data-count', '3');
  await expect(node('sudo')).toHaveAttribute('data-count', '2');
  await expect(node('vim')).toHaveAttribute('data-count', '1');
  await expect(node('cron')).toHaveAttribute('data-count', '1');
  await node('sudo').getByRole('link').first().click();
  await expect(page).toHaveURL(/chain=/);
  await expect(page.getByTestId('match-count')).toHaveText('2 matching');
});

test('a large process tree opens a readable part and shows the rest on request', async ({ page, request }) => {
  // 21 containers, each a shell with 25 different children: 546 nodes, more than the tree opens at first.
  const tag = uniqueTag('big-tree');
  const alerts = [];
  for (let c = 0; c < 21; c++) {
    const containerId = `b${String(c).padStart(11, '0')}`;
    for (let child = 0; child < 25; child++) {
      alerts.push(
        makeAlert({
          tags: [tag],
          fields: {
            'container.id': containerId,
            'container.name': `big-${c}`,
            'proc.name': `task-${child}`,
            'proc.pname': 'sh',
            'proc.aname[2]': null,
            'proc.cmdline': `task-${child}`,
          },
        }),
      );
    }
  }
  expect((await post(request, '/api/events', alerts)).status()).toBe(200);
  await page.goto(`/events?from=24h&tag=${tag}&view=tree`);
  const tree = page.getByTestId('process-tree');
  const sections = tree.locator('section[aria-label^="Processes in"]');
  await expect(sections).toHaveCount(20);
  const nodes = tree.locator('[data-testid="tree-node"]');
  const shownAtFirst = await nodes.count();
  expect(shownAtFirst).toBeGreaterThanOrEqual(20);
  expect(shownAtFirst).toBeLessThanOrEqual(300);

  // A shell left closed opens on request, with all of its children.
  const shell = sections.nth(19).locator('[data-testid="tree-node"][data-name="sh"]');
  await expect(shell).toHaveAttribute('aria-expanded', 'false');
  await shell.getByRole('button', { name: 'Expand sh' }).click();
  await expect(shell).toHaveAttribute('aria-expanded', 'true');
  await expect(shell.locator('[data-testid="tree-node"]')).toHaveCount(25);

  await tree.getByRole('button', { name: 'Show 1 more containers and hosts (25 alerts)' }).click();
  await expect(sections).toHaveCount(21);
});

test('a process tree built from the newest alerts only says so, links nodes to exactly what they count, and narrows to be whole', async ({
  page,
  request,
}) => {
  const host = uniqueTag('explorer-tree-sample');
  // The newest two are tmux › bash › vim and cron › sh.
  expect((await post(request, '/api/events', treeAlerts(host))).status()).toBe(200);
  // The page reads trees of the newest 2 alerts (the API's `alerts` parameter) instead of 10,000.
  await page.route('**/api/process-tree?*', (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set('alerts', '2');
    return route.continue({ url: url.toString() });
  });
  await page.goto(`/events?from=24h&hostname=${host}&view=tree`);
  const tree = page.getByTestId('process-tree');
  const node = (name: string) => tree.locator(`[data-testid="tree-node"][data-name="${name}"]`).first();
  const note = page.getByTestId('tree-sample');
  await expect(note).toContainText('Built from the newest 2 alerts with process information');
  await expect(note).toContainText('(of 4 matching alerts)');
  await expect(node('tmux')).toHaveAttribute('data-count', '1');
  await expect(node('vim')).toHaveAttribute('data-count', '1');
  await expect(node('cron')).toHaveAttribute('data-count', '1');
  await expect(tree.locator('[data-name="sudo"]')).toHaveCount(0);

  // A node lists as many alerts as it counts: its link starts where the tree's alerts start.
  await node('tmux').getByRole('link').first().click();
  await expect(page).toHaveURL(/chain=/);
  await expect(page.getByTestId('match-count')).toHaveText('1 matching');
  await page.goBack();

  // Narrowed to the tree's oldest alert, the tree is whole: no note, the same counts.
  await page.getByTestId('tree-sample-narrow').click();
  await expect(page).toHaveURL(/view=tree/);
  await expect(node('cron')).toHaveAttribute('data-count', '1');
  await expect(note).toHaveCount(0);
  await expect(node('tmux')).toHaveAttribute('data-count', '1');
});

test('Falco health events stay out of the alerts list and show on the Falco health page', async ({ page, request }) => {
  const host = uniqueTag('explorer-health');
  const drop = makeAlert({
    hostname: host,
    rule: 'Falco internal: syscall event drop',
    priority: 'Debug',
    source: 'internal',
    output: `Falco internal: syscall event drop. 42 system calls dropped in last second.`,
    fields: { n_drops: '42' },
  });
  const detection = makeAlert({ hostname: host });
  expect((await post(request, '/api/events', [drop, detection])).status()).toBe(200);
  await page.goto(`/events?from=1h&hostname=${host}`);
  await expect(page.getByTestId('match-count')).toHaveText('1 matching');
  await page.getByRole('link', { name: 'Falco health' }).click();
  await expect(page).toHaveURL(/\/health\?from=1h/);
  await page.goto(`/health?from=1h&hostname=${host}`);
  await expect(page.getByTestId('health-events').getByTestId('event-rule')).toHaveText([
    'Falco internal: syscall event drop',
  ]);
});

for (const width of [1280, 800]) {
  test(`at ${width} px the filter picker opens inside the window, and a value picked filters the list`, async ({
    page,
    request,
  }) => {
    const host = uniqueTag('picker');
    const namespaces = [`${host}-a`, `${host}-a`, `${host}-b`];
    const alerts = namespaces.map((ns, i) =>
      makeAlert({ hostname: host, rule: `${host} rule ${i}`, fields: { 'k8s.ns.name': ns } }),
    );
    expect((await post(request, '/api/events', alerts)).status()).toBe(200);
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`/events?from=1h&hostname=${host}`);
    await expect(page.getByTestId('match-count')).toHaveText('3 matching');

    const insideWindow = async (box: { x: number; width: number } | null) => {
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    };
    await page.getByRole('button', { name: '+ Filter' }).click();
    const menu = page.getByRole('menu');
    await insideWindow(await menu.boundingBox());
    await menu.getByRole('menuitem', { name: 'Namespace' }).click();
    const search = page.getByPlaceholder('Find a namespace…');
    await expect(search).toBeVisible();
    await insideWindow(await search.boundingBox());

    await page.getByRole('option', { name: new RegExp(`^${host}-a`) }).click();
    await expect(page).toHaveURL(new RegExp(`namespace=${host}-a`));
    await expect(page.getByTestId('match-count')).toHaveText('2 matching');
  });
}
