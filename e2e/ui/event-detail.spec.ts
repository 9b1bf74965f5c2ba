import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { makeAlert, nextFalcoTime, post, uniqueTag, type AlertOptions } from '../fixtures/alerts';

const EVT_TIME_PLACEHOLDER = '"__evt_time__"';

/** Nanoseconds of a Falco time, as the 19-digit integer Falco prints in `evt.time`. */
function nanoseconds(time: string): string {
  const [seconds, fraction = ''] = time.replace('Z', '').split('.');
  return (BigInt(Date.parse(`${seconds}Z`)) * 1_000_000n + BigInt(fraction.padEnd(9, '0'))).toString();
}

/**
 * An alert shaped like corpus line 16 (`Read sensitive file untrusted`, cat ← sudo ← sudo ← bash ←
 * tmux on the host), as the exact text posted: `evt.time` is a bare 19-digit integer, which
 * JSON.stringify of a JS object could not write.
 */
function shadowAlert(options: AlertOptions) {
  const time = options.time ?? nextFalcoTime();
  const evtTime = nanoseconds(time);
  const alert = makeAlert({
    ...options,
    time,
    fields: {
      'evt.time': '__evt_time__',
      'proc.tty': 34820,
      'user.loginuid': 1000,
      'user.uid': 0,
      'proc.pname': 'sudo',
      'proc.aname[2]': 'sudo',
      'proc.aname[3]': 'bash',
      'proc.aname[4]': 'tmux',
      ...options.fields,
    },
  });
  return { time, evtTime, alert, body: JSON.stringify(alert).replace(EVT_TIME_PLACEHOLDER, evtTime) };
}

async function postOne(request: APIRequestContext, body: string | object): Promise<number> {
  const response = await post(request, '/api/events', body);
  expect(response.status(), await response.text()).toBe(200);
  const { ids } = (await response.json()) as { ids: number[] };
  return ids[0]!;
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

test('an alert opened from the list shows its rule, time, ancestry, grouped fields and raw JSON; Escape goes back', async ({
  page,
  request,
  context,
}) => {
  const errors = watchErrors(page);
  const host = uniqueTag('detail');
  const rule = `Read sensitive file untrusted (${host})`;
  const { time, evtTime, alert, body } = shadowAlert({ rule, hostname: host });
  const id = await postOne(request, body);

  const listUrl = `/events?from=24h&hostname=${host}`;
  await page.goto(listUrl);
  await page.getByTestId('event-rule').filter({ hasText: rule }).click();
  await expect(page).toHaveURL(new RegExp(`/events/${id}$`));
  await expect(page).toHaveTitle(`${rule} · Perch`);

  // The ancestry, root first, each name a link to the alerts under it on this host.
  await expect(page.getByTestId('ancestry-name')).toHaveText(['tmux', 'bash', 'sudo', 'sudo', 'cat']);
  await expect(page.getByTestId('ancestry-level').last()).toContainText('/usr/bin/cat');
  await expect(page.getByTestId('ancestry-level').last()).toContainText('cat /etc/shadow');

  const header = page.getByTestId('alert-header');
  await expect(header.getByTestId('alert-rule')).toHaveText(rule);
  await expect(header.getByTestId('alert-rule')).toHaveAttribute('href', `/rules/${encodeURIComponent(rule)}?from=24h`);
  await expect(header.getByTestId('alert-priority')).toHaveText('Warning');
  await expect(header.getByTestId('alert-output')).toHaveText(String(alert.output));
  await expect(page.getByTestId('alert-time-utc')).toHaveText(time);
  expect(time).toMatch(/\.\d{9}Z$/);

  // Where: host, the host pseudo-container and its page, MITRE tags labelled.
  await expect(page.getByTestId('fact-host')).toContainText(host);
  await expect(page.getByTestId('container-link')).toHaveAttribute(
    'href',
    `/containers/host?from=24h&hostname=${host}`,
  );
  const tags = page.getByTestId('tag');
  await expect(tags.filter({ hasText: 'Credential Access' })).toContainText('MITRE tactic');
  await expect(tags.filter({ hasText: 'T1555' })).toContainText('MITRE technique');

  // Every output field, in its group, with the value exactly as posted and a filter link.
  const row = (group: string, key: string) =>
    page.getByTestId(`field-group-${group}`).locator(`[data-testid="field-row"][data-key="${key}"]`);
  await expect(row('process', 'proc.aname[3]').getByTestId('field-value')).toHaveText('bash');
  await expect(row('process', 'proc.tty').getByTestId('field-value')).toHaveText('34820');
  await expect(row('container', 'container.id').getByTestId('field-value')).toHaveText('host');
  await expect(row('user', 'user.name').getByTestId('field-value')).toHaveText('root');
  await expect(row('file-network', 'fd.name').getByTestId('field-value')).toHaveText('/etc/shadow');
  await expect(row('event', 'evt.type').getByTestId('field-value')).toHaveText('openat');
  expect(evtTime).toMatch(/^\d{19}$/);
  await expect(row('event', 'evt.time').getByTestId('field-value')).toHaveText(evtTime);
  await expect(page.getByTestId('field-row')).toHaveCount(Object.keys(alert.output_fields as object).length);
  await expect(row('process', 'proc.name').getByRole('link')).toHaveAttribute('href', '/events?from=24h&proc=cat');
  await expect(row('user', 'user.name').getByRole('link')).toHaveAttribute('href', '/events?from=24h&user=root');
  await expect(row('file-network', 'fd.name').getByRole('link')).toHaveAttribute(
    'href',
    '/events?from=24h&q=%2Fetc%2Fshadow',
  );
  await expect(row('container', 'container.id').getByRole('link')).toHaveAttribute(
    'href',
    `/events?from=24h&hostname=${host}&container=host`,
  );

  // Raw JSON: pretty-printed, the same document as posted, the big integer digit for digit.
  const raw = (await page.getByTestId('raw-json').textContent()) ?? '';
  expect(raw).toContain('\n  "output_fields": {');
  expect(raw).toContain(`"evt.time": ${evtTime},`);
  expect(JSON.parse(raw)).toEqual(JSON.parse(body));
  // Copy gives the exact text that was received.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('copy-raw').click();
  await expect(page.getByText('Copied the JSON as received')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(body);

  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(listUrl);
  expect(errors).toEqual([]);
});

test('an ancestor links to exactly the alerts under it on the same host; related alerts are listed', async ({
  page,
  request,
}) => {
  const host = uniqueTag('ancestor');
  const otherHost = uniqueTag('ancestor-other');
  const rules = {
    main: `${host} cat under bash`,
    bashItself: `${host} bash itself`,
    noBash: `${host} no bash in chain`,
    otherHost: `${host} bash on another host`,
  };
  // A root of its own: other tests' alerts share the rest of this chain, and could be nearer in time.
  const root = { 'proc.aname[5]': host };
  const id = await postOne(request, shadowAlert({ rule: rules.main, hostname: host, fields: root }).body);
  await postOne(
    request,
    makeAlert({
      rule: rules.bashItself,
      hostname: host,
      fields: {
        'proc.name': 'bash',
        'proc.cmdline': 'bash -i',
        'proc.pname': 'tmux',
        'proc.aname[2]': 'systemd',
        'proc.aname[3]': null,
        'proc.aname[4]': null,
      },
    }),
  );
  await postOne(
    request,
    makeAlert({
      rule: rules.noBash,
      hostname: host,
      fields: {
        'proc.name': 'cat',
        'proc.pname': 'sudo',
        'proc.aname[2]': 'sudo',
        'proc.aname[3]': 'zsh',
        'proc.aname[4]': 'kitty',
      },
    }),
  );
  await postOne(request, shadowAlert({ rule: rules.otherHost, hostname: otherHost, fields: root }).body);

  await page.goto(`/events/${id}`);
  // Nearby: the other alerts of this host within ten minutes, not the other host's.
  const nearby = page.getByTestId('related-nearby').getByTestId('related-row');
  await expect(nearby).toHaveCount(2);
  await expect(nearby.filter({ hasText: rules.bashItself })).toHaveAttribute('href', /^\/events\/\d+$/);
  await expect(nearby.filter({ hasText: rules.noBash })).toHaveCount(1);
  // Same chain: the identical … › tmux › bash › sudo › sudo › cat on the other host.
  await expect(
    page.getByTestId('related-chain').getByTestId('related-row').filter({ hasText: rules.otherHost }),
  ).toHaveCount(1);
  // Same rule elsewhere: this rule fires only here, and the list says how far it looked.
  await expect(page.getByTestId('related-rule').getByTestId('related-row')).toHaveCount(0);
  await expect(page.getByTestId('related-rule')).toContainText(
    "None among this rule's alerts nearest in time (up to 10,000 before and 10,000 after).",
  );

  await page
    .getByTestId('ancestry-name')
    .filter({ hasText: /^bash$/ })
    .click();
  await expect(page).toHaveURL(`/events?from=24h&hostname=${host}&proc=bash`);
  const listed = page.getByTestId('event-table').getByTestId('event-rule');
  await expect(listed).toHaveText([rules.bashItself, rules.main]);
});

test('hostile text in an alert is shown as text and runs nothing; Critical stands out', async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const payload = '<img src=x onerror=alert(1)>';
  const host = uniqueTag('hostile');
  const id = await postOne(
    request,
    makeAlert({
      rule: `${host} hostile`,
      hostname: host,
      priority: 'Critical',
      output: `12:00:00.000000000: Critical shell ran ${payload} <script>alert(2)</script>`,
      fields: { 'proc.cmdline': `sh -c ${payload}`, 'fd.name': payload, 'proc.args': `-c ${'B'.repeat(3000)}` },
    }),
  );

  await page.goto(`/events/${id}`);
  await expect(page.getByTestId('alert-output')).toHaveText(
    `12:00:00.000000000: Critical shell ran ${payload} <script>alert(2)</script>`,
  );
  await expect(page.locator('[data-testid="field-row"][data-key="fd.name"]').getByTestId('field-value')).toHaveText(
    payload,
  );
  await expect(
    page.locator('[data-testid="field-row"][data-key="proc.cmdline"]').getByTestId('field-value'),
  ).toHaveText(`sh -c ${payload}`);
  await expect(page.getByTestId('ancestry-level').last()).toContainText(`sh -c ${payload}`);
  await expect(page.getByTestId('raw-json')).toContainText(payload);
  // A huge value folds instead of filling the page, and unfolds in full.
  const args = page.locator('[data-testid="field-row"][data-key="proc.args"]');
  await expect(args).not.toContainText('B'.repeat(1000));
  await args.getByRole('button', { name: 'show all 3,003 characters' }).click();
  await expect(args.getByTestId('field-value')).toContainText(`-c ${'B'.repeat(3000)}`);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.getByTestId('alert-priority')).toHaveText('Critical');
  await expect(page.getByTestId('alert-header')).toContainText('Urgent');
  await page.waitForTimeout(500);
  expect(dialogs).toEqual([]);
});

test('Escape in a fresh tab goes to the alerts list', async ({ page, request }) => {
  const id = await postOne(request, makeAlert({ hostname: uniqueTag('fresh-tab') }));
  await page.goto(`/events/${id}`);
  await expect(page.getByTestId('ancestry-name')).toHaveCount(5);
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/\/events\?from=24h$/);
});

test('an unknown id shows that there is no such alert', async ({ page }) => {
  await page.goto('/events/987654321');
  await expect(page.getByTestId('event-not-found')).toContainText('No alert with id 987654321');
  await expect(page).toHaveTitle('Alert not found · Perch');
  await page.goto('/events/not-a-number');
  await expect(page.getByTestId('event-not-found')).toContainText('No alert with id not-a-number');
});
