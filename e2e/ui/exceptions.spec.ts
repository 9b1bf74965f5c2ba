// The exception editor on a seeded group: its counts against counts this test makes itself, its
// YAML against Falco's schema, the collected rules file, and the group marked benign with it.
import { expect, test, type Page } from '@playwright/test';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { collectConsoleErrors } from '../fixtures/browser';
import { ACCESS, INGEST_TOKEN, SERVERS } from '../servers';

const ajv = new Ajv({ strict: false });
ajv.addMetaSchema(draft06);
const validate = ajv.compile(
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'falco', 'rule_json_schema.json'), 'utf8')),
);

type Fields = Record<string, unknown>;
interface Draft {
  fields: string[];
  comps: ('=' | 'in')[];
  values: (string | string[])[];
}

/** The verdict of Falco's comparison, as the issue defines it: a missing field cannot tell. */
function expected(alerts: Fields[], draft: Draft) {
  const counts = { matched: 0, cannotTell: 0, left: 0 };
  for (const fields of alerts) {
    const values = draft.fields.map((field) => fields[field]);
    if (values.some((value) => value === undefined || value === null)) counts.cannotTell++;
    else if (
      values.every((value, i) => {
        const want = draft.values[i]!;
        return draft.comps[i] === 'in' ? (want as string[]).includes(String(value)) : String(value) === want;
      })
    )
      counts.matched++;
    else counts.left++;
  }
  return counts;
}

async function setField(page: Page, field: string, use: boolean, comp?: string, value?: string) {
  const row = page.locator(`[data-testid="exception-field"][data-field="${field}"]`);
  await row.getByTestId('exception-field-use').setChecked(use);
  if (!use) return;
  if (comp) await row.getByTestId('exception-field-comp').selectOption(comp);
  if (value !== undefined)
    await row.getByTestId(comp === 'in' ? 'exception-field-values' : 'exception-field-value').fill(value);
}

async function expectCounts(page: Page, counts: ReturnType<typeof expected>) {
  await expect(page.getByTestId('preview-matched')).toHaveText(String(counts.matched));
  await expect(page.getByTestId('preview-cannot-tell')).toHaveText(String(counts.cannotTell));
  await expect(page.getByTestId('preview-left')).toHaveText(String(counts.left));
}

const yamlItems = (text: string) => {
  const items = parse(text) as { rule: string; exceptions: Record<string, unknown>[] }[];
  expect(validate(items), JSON.stringify(validate.errors)).toBe(true);
  return items;
};

test('a group’s exception: counts, YAML, the collected rules file and the group marked benign', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  const errors = collectConsoleErrors(page);
  const tag = uniqueTag('exc');
  const rule = `${tag} curl <b>in</b> app`;
  const imageA = `registry.example/${tag}/app`;
  const base: Fields = {
    'container.id': 'c0ffee000001',
    'container.name': 'app',
    'container.image.repository': imageA,
    'evt.type': 'execve',
    'proc.name': 'curl',
    'proc.pname': 'bash',
    'proc.cmdline': 'curl -s "http://x/<b>y</b>"',
    'user.name': 'root',
    // A falcosidekick custom field: not Falco's, so never offered.
    environment: 'prod',
  };
  const { 'proc.pname': _, ...noParent } = base;
  const alerts: Fields[] = [
    ...Array.from({ length: 3 }, () => base),
    ...Array.from({ length: 2 }, () => ({ ...base, 'proc.pname': 'sh' })),
    noParent,
    { ...base, 'proc.pname': null },
    ...Array.from({ length: 2 }, () => ({ ...base, 'proc.name': 'wget', 'proc.cmdline': 'wget x' })),
    { ...base, 'container.image.repository': `registry.example/${tag}/other` },
  ];
  const response = await post(
    request,
    '/api/events',
    alerts.map((fields) => makeAlert({ rule, fields, defaultFields: false, hostname: `${tag}-host` })),
  );
  expect(response.status(), await response.text()).toBe(200);

  // The group of the three alerts in image A with parent bash.
  await page.goto(`/groups?from=1h&rule=${encodeURIComponent(rule)}`);
  const row = page.getByTestId('group-row').filter({ has: page.getByTestId('group-count').getByText('3') });
  await expect(row).toHaveCount(1);
  const groupKey = (await row.getAttribute('data-key'))!;
  await row.getByTestId('group-expand').click();
  await page.getByTestId('group-detail').getByTestId('exception-open').click();
  const editor = page.getByTestId('exception-editor');
  await expect(editor).toBeVisible();
  await expect(editor.getByTestId('exception-rule')).toHaveText(rule);

  // Falco fields only, with the group's values; the custom field is not offered.
  const offered = editor.getByTestId('exception-field');
  await expect(offered.first()).toBeVisible();
  const fieldNames = await offered.evaluateAll((items) => items.map((item) => item.getAttribute('data-field')));
  expect(fieldNames).toEqual(expect.arrayContaining(['proc.name', 'proc.pname', 'container.image.repository']));
  expect(fieldNames).not.toContain('environment');
  await expect(editor.locator('b')).toHaveCount(0);

  const first: Draft = { fields: ['proc.name', 'proc.pname'], comps: ['=', '='], values: ['curl', 'bash'] };
  for (const field of fieldNames) if (!first.fields.includes(field!)) await setField(page, field!, false);
  await setField(page, 'proc.name', true, '=', 'curl');
  await setField(page, 'proc.pname', true, '=', 'bash');
  await expectCounts(page, expected(alerts, first));
  // The alert in the other image matches too: another group, said loudly.
  await expect(editor.getByTestId('preview-group')).toHaveCount(2);
  await expect(editor.getByTestId('preview-others-warning')).toContainText('Also silences 1 other group (1 alert)');
  const ownLink = editor.locator(`[data-testid="preview-group"][data-key="${groupKey}"] a`);
  const target = new URL((await ownLink.getAttribute('href'))!, 'http://x');
  expect(Object.fromEntries(target.searchParams)).toEqual({ from: '30d', rule, group: groupKey });

  const yaml = editor.getByTestId('exception-yaml');
  await expect(yaml).toContainText(`matched ${expected(alerts, first).matched} stored alert(s)`);
  const items = yamlItems((await yaml.textContent())!);
  expect(items).toHaveLength(1);
  expect(items[0]!.rule).toBe(rule);
  expect(items[0]!.exceptions).toEqual([
    { name: 'perch_proc_name_proc_pname', fields: first.fields, comps: first.comps, values: [first.values] },
  ]);
  expect(await yaml.textContent()).toContain(`group ${groupKey}`);
  await editor.getByTestId('exception-add').click();
  await expect(editor.getByTestId('exception-added')).toContainText('1 exception');

  // Another draft: two names for the process, and the image.
  const second: Draft = {
    fields: ['proc.name', 'proc.pname', 'container.image.repository'],
    comps: ['in', '=', '='],
    values: [['curl', 'wget'], 'bash', imageA],
  };
  await setField(page, 'proc.name', true, 'in', 'curl\nwget');
  await setField(page, 'container.image.repository', true, '=', imageA);
  await expectCounts(page, expected(alerts, second));
  await expect(yaml).toContainText('container.image.repository');
  await expect(yaml).toContainText(`matched ${expected(alerts, second).matched} stored alert(s)`);
  expect(yamlItems((await yaml.textContent())!)[0]!.exceptions[0]).toMatchObject({
    fields: second.fields,
    comps: second.comps,
    values: [second.values],
  });
  await editor.getByTestId('exception-add').click();
  await expect(editor.getByTestId('exception-added')).toContainText('2 exceptions');

  // The page's triage keys stay with the page while the editor is open.
  await editor.getByTestId('exception-field-use').first().focus();
  await page.keyboard.press('a');

  // Marked benign with this exception attached.
  const note = `Known health check <i>${tag}</i>`;
  await editor.getByTestId('exception-benign-note').fill(note);
  await editor.getByTestId('exception-benign').click();
  await expect(editor.getByTestId('exception-benign-done')).toContainText('Marked benign, recorded as anonymous');
  await editor.getByTestId('exception-benign-close').click();
  await expect(editor).toHaveCount(0);
  await expect(page.getByTestId('group-row').filter({ has: page.getByText('3', { exact: true }) })).toHaveCount(0);

  await page.goto(`/groups?from=1h&rule=${encodeURIComponent(rule)}&status=benign`);
  const benign = page.getByTestId('group-row');
  await expect(benign).toHaveCount(1);
  await expect(benign).toHaveAttribute('data-key', groupKey);
  await benign.getByTestId('group-expand').click();
  const entry = page.getByTestId('history-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId('status-badge')).toHaveText('Benign');
  await expect(entry.getByTestId('history-note')).toHaveText(note);
  await entry.locator('summary', { hasText: 'Falco exception' }).click();
  const attached = entry.locator('pre');
  await expect(attached).toContainText('perch_proc_name_proc_pname');
  expect(yamlItems((await attached.textContent())!)[0]!.exceptions[0]).toMatchObject({ fields: second.fields });

  // The collection: both, in one file, downloaded.
  await page.goto('/exceptions');
  await expect(page.getByTestId('exceptions-where')).toContainText('customRules');
  await expect(page.getByTestId('exceptions-entry')).toHaveCount(2);
  await expect(page.getByTestId('exceptions-entry-summary').first()).toHaveText(
    'proc.name = curl and proc.pname = bash',
  );
  await expect(page.getByTestId('exceptions-yaml')).toContainText(
    'perch_proc_name_proc_pname_container_image_repository',
  );
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('exceptions-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe('perch-exceptions.yaml');
  const file = readFileSync((await download.path())!, 'utf8');
  const combined = yamlItems(file);
  expect(combined).toHaveLength(1);
  expect(combined[0]!.exceptions.map((e) => [e.name, e.fields, e.comps, e.values])).toEqual([
    ['perch_proc_name_proc_pname', first.fields, first.comps, [first.values]],
    ['perch_proc_name_proc_pname_container_image_repository', second.fields, second.comps, [second.values]],
  ]);
  expect(file.match(new RegExp(`group ${groupKey}`, 'g'))).toHaveLength(2);

  // Removing one leaves the other in the file.
  await page.getByTestId('exceptions-remove').first().click();
  await expect(page.getByTestId('exceptions-entry')).toHaveCount(1);
  await expect(page.getByTestId('exceptions-yaml')).not.toContainText('"perch_proc_name_proc_pname"');
  expect(errors).toEqual([]);
});

test('a view token previews and writes the file, but marking benign is refused', async ({ page, request }) => {
  const access = SERVERS.access.url;
  const rule = uniqueTag('exc view');
  const response = await post(request, `${access}/api/events`, [makeAlert({ rule }), makeAlert({ rule })], {
    authorization: `Bearer ${INGEST_TOKEN}`,
  });
  expect(response.status(), await response.text()).toBe(200);
  await page.goto(`${access}/groups?from=1h&rule=${encodeURIComponent(rule)}&view_token=${ACCESS.viewTokens.wall}`);
  await page.getByTestId('group-row').getByTestId('group-expand').click();
  await page.getByTestId('exception-open').click();
  const editor = page.getByTestId('exception-editor');
  // makeAlert's defaults: both alerts agree on proc.name and proc.pname, which the draft starts with.
  await expectCounts(page, { matched: 2, cannotTell: 0, left: 0 });
  await expect(editor.getByTestId('exception-yaml')).toContainText('"perch_proc_name_proc_pname"');
  await editor.getByTestId('exception-benign').click();
  await expect(editor.getByTestId('exception-benign-error')).toContainText('Refused: The view token "wall" may read');

  // A refused draft names what Falco would refuse.
  await editor.getByTestId('exception-name').fill('9 not a name');
  await expect(editor.getByTestId('exception-error')).toContainText('name must be an identifier');
});

test('from an alert: its own fields, and Escape closes the editor without leaving the alert', async ({
  page,
  request,
}) => {
  const errors = collectConsoleErrors(page);
  const rule = uniqueTag('exc alert');
  const response = await post(request, '/api/events', makeAlert({ rule }));
  expect(response.status()).toBe(200);
  const [id] = ((await response.json()) as { ids: number[] }).ids;
  await page.goto(`/events/${id}`);
  await page.getByTestId('exception-open').click();
  const editor = page.getByTestId('exception-editor');
  await expect(editor).toContainText('from this alert’s fields');
  await expectCounts(page, { matched: 1, cannotTell: 0, left: 0 });
  await expect(editor.getByTestId('preview-group')).toHaveCount(1);
  await expect(editor.getByTestId('preview-others-warning')).toHaveCount(0);
  // A button has the focus: the alert page's own Escape (go back) would take it, were it not held.
  await editor.getByTestId('exception-range').getByRole('radio').first().focus();
  await page.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/events/${id}$`));
  expect(errors).toEqual([]);
});
