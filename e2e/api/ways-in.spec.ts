// Every way an alert reaches Perch: Falco http_output, falcosidekick webhook and webui outputs,
// batches (JSON array, NDJSON) and the import script. Each is sent twice: stored once.
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeAlert, post, uniqueTag } from '../fixtures/alerts';
import { expectIngested, importSummary, listAllIds, listEvents, runImport, sendRaw } from '../fixtures/api-helpers';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;

/** Sends the same request twice: the first stores `count` alerts, the second reports them as duplicates. */
async function sendTwice(send: () => Promise<APIResponse>, count: number): Promise<number[]> {
  const first = await expectIngested(await send(), count, 0);
  const second = await expectIngested(await send(), 0, count);
  expect(second.ids, 'a duplicate answers with the id already stored').toEqual(first.ids);
  expect(new Set(first.ids).size).toBe(count);
  return first.ids;
}

/** The ids stored for a hostname (internal events included). */
const idsForHost = (request: APIRequestContext, hostname: string) =>
  listAllIds(request, base, { hostname, internal: 'include' });

async function rawOf(request: APIRequestContext, id: number): Promise<string> {
  const response = await request.get(`${base}/api/events/${id}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { raw: string }).raw;
}

test.describe('HTTP ways in', () => {
  test('Falco http_output: one alert per POST, application/json, user-agent falcosecurity/falco', async ({
    request,
  }) => {
    const hostname = uniqueTag('http-output');
    const text = JSON.stringify(makeAlert({ hostname }));
    const ids = await sendTwice(
      () =>
        request.post(`${base}/api/events`, {
          data: text,
          headers: { 'content-type': 'application/json', 'user-agent': 'falcosecurity/falco' },
        }),
      1,
    );
    expect(await idsForHost(request, hostname)).toEqual(ids);
    expect(await rawOf(request, ids[0]!)).toBe(text);
  });

  test('Falco http_output with json_output off: the JSON body arrives as text/plain', async ({ request }) => {
    const hostname = uniqueTag('text-plain');
    const text = JSON.stringify(makeAlert({ hostname }));
    const ids = await sendTwice(
      () => request.post(`${base}/api/events`, { data: text, headers: { 'content-type': 'text/plain' } }),
      1,
    );
    expect(await idsForHost(request, hostname)).toEqual(ids);
  });

  test('falcosidekick webhook: bare alert with uuid, by POST', async ({ request }) => {
    const hostname = uniqueTag('webhook-post');
    const alert = makeAlert({ hostname, uuid: randomUUID() });
    const ids = await sendTwice(() => post(request, `${base}/api/events`, alert, { 'user-agent': 'Falcosidekick' }), 1);
    expect(await idsForHost(request, hostname)).toEqual(ids);
    const detail = (await (await request.get(`${base}/api/events/${ids[0]}`)).json()) as { uuid: string };
    expect(detail.uuid).toBe(alert.uuid);
  });

  test('falcosidekick webhook: bare alert with uuid, by PUT', async ({ request }) => {
    const hostname = uniqueTag('webhook-put');
    const alert = makeAlert({ hostname, uuid: randomUUID() });
    const ids = await sendTwice(
      () =>
        request.put(`${base}/api/events`, {
          data: JSON.stringify(alert),
          headers: { 'content-type': 'application/json' },
        }),
      1,
    );
    expect(await idsForHost(request, hostname)).toEqual(ids);
  });

  for (const route of ['/', '/api/v1/', '/api/v1/events/add']) {
    test(`falcosidekick webui envelope on POST ${route}`, async ({ request }) => {
      const hostname = uniqueTag('webui');
      const alertText = JSON.stringify(makeAlert({ hostname, uuid: randomUUID() }));
      const body = `{"event":${alertText},"outputs":["WebUI"]}`;
      const ids = await sendTwice(() => post(request, `${base}${route}`, body, { 'user-agent': 'Falcosidekick' }), 1);
      expect(await idsForHost(request, hostname)).toEqual(ids);
      // The stored alert is the event itself, not the envelope.
      expect(await rawOf(request, ids[0]!)).toBe(alertText);
    });
  }

  test('GET / is still the dashboard after POST / ingests', async ({ request }) => {
    const hostname = uniqueTag('root');
    await expectIngested(
      await post(request, `${base}/`, { event: makeAlert({ hostname, uuid: randomUUID() }), outputs: ['WebUI'] }),
      1,
      0,
    );
    const page = await request.get(`${base}/`);
    expect(page.status()).toBe(200);
    expect(page.headers()['content-type']).toContain('text/html');
    const html = await page.text();
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('<title>Perch</title>');
  });

  test('a JSON array of alerts is one batch, stored in order', async ({ request }) => {
    const hostname = uniqueTag('array');
    const alerts = [
      makeAlert({ hostname }),
      makeAlert({ hostname, priority: 'Critical' }),
      makeAlert({ hostname, rule: 'Terminal shell in container' }),
    ];
    const ids = await sendTwice(() => post(request, `${base}/api/events`, alerts), 3);
    expect([...(await idsForHost(request, hostname))].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    for (const [index, id] of ids.entries()) expect(await rawOf(request, id)).toBe(JSON.stringify(alerts[index]));
  });

  for (const contentType of ['application/x-ndjson', 'text/plain', 'application/json', 'application/octet-stream']) {
    test(`NDJSON with CRLF line ends as ${contentType}`, async ({ request }) => {
      const hostname = uniqueTag('ndjson');
      const lines = [
        makeAlert({ hostname }),
        makeAlert({ hostname, priority: 'Notice' }),
        makeAlert({ hostname, priority: 'Debug' }),
      ].map((a) => JSON.stringify(a));
      const body = `${lines.join('\r\n')}\r\n`;
      const ids = await sendTwice(
        () => sendRaw(request, `${base}/api/events`, body, { 'content-type': contentType }),
        3,
      );
      expect([...(await idsForHost(request, hostname))].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      // Each line is stored as its own text, without the line end.
      for (const [index, id] of ids.entries()) expect(await rawOf(request, id)).toBe(lines[index]);
    });
  }

  test('NDJSON as raw bytes with blank lines between alerts', async ({ request }) => {
    const hostname = uniqueTag('ndjson-bare');
    const body = `${JSON.stringify(makeAlert({ hostname }))}\n\n${JSON.stringify(makeAlert({ hostname }))}\n`;
    const ids = await sendTwice(() => request.post(`${base}/api/events`, { data: Buffer.from(body) }), 2);
    expect([...(await idsForHost(request, hostname))].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });
});

test.describe('duplicate detection', () => {
  test('by uuid: the same uuid is one alert even when the rest differs', async ({ request }) => {
    const hostname = uniqueTag('dedup-uuid');
    const uuid = randomUUID();
    const first = await expectIngested(await post(request, `${base}/api/events`, makeAlert({ hostname, uuid })), 1, 0);
    // falcosidekick re-delivering after a retry: same uuid, different rendering.
    const again = makeAlert({ hostname, uuid, output: 'a different rendering', priority: 'Critical' });
    const second = await expectIngested(await post(request, `${base}/api/events`, again), 0, 1);
    expect(second.ids).toEqual(first.ids);
    // A different uuid with otherwise identical content is another alert.
    const sameContent = { ...again, uuid: randomUUID() };
    await expectIngested(await post(request, `${base}/api/events`, sameContent), 1, 0);
    expect(await idsForHost(request, hostname)).toHaveLength(2);
  });

  test('without uuid: same time + rule + hostname + output is one alert; changing any of them is another', async ({
    request,
  }) => {
    const hostname = uniqueTag('dedup-content');
    const rule = `${hostname} rule`;
    const original = makeAlert({ hostname, rule, output: 'the same output text' });
    const first = await expectIngested(await post(request, `${base}/api/events`, original), 1, 0);
    // Other fields (priority, tags, output_fields) do not make it a different delivery.
    const redelivered = { ...original, priority: 'Critical', tags: ['other'], output_fields: { 'proc.name': 'x' } };
    const second = await expectIngested(await post(request, `${base}/api/events`, redelivered), 0, 1);
    expect(second.ids).toEqual(first.ids);

    const variants = [
      { ...original, time: '2001-01-01T00:00:00.000000001Z' },
      { ...original, rule: `${rule} (other)` },
      { ...original, hostname: `${hostname}-other` },
      { ...original, output: 'another output text' },
    ];
    for (const variant of variants) await expectIngested(await post(request, `${base}/api/events`, variant), 1, 0);
    expect(await listAllIds(request, base, { q: hostname })).toHaveLength(5);
  });

  test('the same time written differently (trimmed digits, offset) is the same instant', async ({ request }) => {
    const hostname = uniqueTag('dedup-time');
    const original = makeAlert({ hostname, time: '2024-03-01T10:00:00.120000000Z', output: 'fixed output' });
    const first = await expectIngested(await post(request, `${base}/api/events`, original), 1, 0);
    // falcosidekick trims trailing zeros of the fraction.
    const trimmed = await expectIngested(
      await post(request, `${base}/api/events`, { ...original, time: '2024-03-01T10:00:00.12Z' }),
      0,
      1,
    );
    expect(trimmed.ids).toEqual(first.ids);
    const offset = await expectIngested(
      await post(request, `${base}/api/events`, { ...original, time: '2024-03-01T11:00:00.12+01:00' }),
      0,
      1,
    );
    expect(offset.ids).toEqual(first.ids);
    expect(await idsForHost(request, hostname)).toEqual(first.ids);
  });
});

test.describe('npm run import', () => {
  test.describe.configure({ timeout: 90_000 });

  const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'perch-import-'));

  test('an NDJSON file; importing it again reports duplicates; the running server sees the alerts', async ({
    request,
  }) => {
    const hostname = uniqueTag('import-ndjson');
    const file = path.join(tempDir(), 'falco.ndjson');
    writeFileSync(file, `${[1, 2, 3, 4].map(() => JSON.stringify(makeAlert({ hostname }))).join('\n')}\n`);

    const run = await runImport([file], SERVERS.main.dbFile);
    expect(run.code, run.stderr).toBe(0);
    expect(importSummary(run.stdout)).toEqual({ imported: 4, duplicates: 0, skipped: 0, invalid: 0 });
    expect(await listAllIds(request, base, { hostname })).toHaveLength(4);

    const again = await runImport([file], SERVERS.main.dbFile);
    expect(again.code, again.stderr).toBe(0);
    expect(importSummary(again.stdout)).toEqual({ imported: 0, duplicates: 4, skipped: 0, invalid: 0 });
    expect(await listAllIds(request, base, { hostname })).toHaveLength(4);
  });

  test('a kubectl logs capture: Falco log lines are skipped and counted', async ({ request }) => {
    const hostname = uniqueTag('import-kubectl');
    const file = path.join(tempDir(), 'kubectl-logs.txt');
    const content = [
      'Fri Nov 29 10:00:00 2026: Falco version: 0.42.0 (x86_64)',
      'Fri Nov 29 10:00:00 2026: Falco initialized with configuration files:',
      JSON.stringify(makeAlert({ hostname })),
      'Fri Nov 29 10:00:01 2026: Loading rules from:',
      JSON.stringify(makeAlert({ hostname, priority: 'Notice' })),
      '',
      'Fri Nov 29 10:00:02 2026: Starting health webserver with threadiness 4, listening on 0.0.0.0:8765',
      JSON.stringify(makeAlert({ hostname, priority: 'Critical' })),
    ].join('\r\n');
    writeFileSync(file, content);
    const run = await runImport([file], SERVERS.main.dbFile);
    expect(run.code, run.stderr).toBe(0);
    expect(importSummary(run.stdout)).toEqual({ imported: 3, duplicates: 0, skipped: 4, invalid: 0 });
    expect(await listAllIds(request, base, { hostname })).toHaveLength(3);
  });

  test('a JSON array file, pretty-printed', async ({ request }) => {
    const hostname = uniqueTag('import-array');
    const file = path.join(tempDir(), 'alerts.json');
    const alerts = [makeAlert({ hostname }), makeAlert({ hostname }), makeAlert({ hostname, uuid: randomUUID() })];
    writeFileSync(file, JSON.stringify(alerts, null, 2));
    const run = await runImport([file], SERVERS.main.dbFile);
    expect(run.code, run.stderr).toBe(0);
    expect(importSummary(run.stdout)).toEqual({ imported: 3, duplicates: 0, skipped: 0, invalid: 0 });
    const list = await listEvents(request, base, { hostname });
    expect(list.events.map((e) => e.time).sort()).toEqual(alerts.map((a) => String(a.time)).sort());
  });

  test('stdin via -', async ({ request }) => {
    const hostname = uniqueTag('import-stdin');
    const input = [makeAlert({ hostname }), makeAlert({ hostname })].map((a) => JSON.stringify(a)).join('\n');
    const run = await runImport(['-'], SERVERS.main.dbFile, input);
    expect(run.code, run.stderr).toBe(0);
    expect(importSummary(run.stdout)).toEqual({ imported: 2, duplicates: 0, skipped: 0, invalid: 0 });
    expect(await listAllIds(request, base, { hostname })).toHaveLength(2);
  });

  test('a file with an invalid line: the summary names it by line number, the rest is imported', async ({
    request,
  }) => {
    const hostname = uniqueTag('import-invalid');
    const file = path.join(tempDir(), 'mixed.ndjson');
    const bad = { ...makeAlert({ hostname }), priority: 'Urgent' };
    writeFileSync(
      file,
      [
        JSON.stringify(makeAlert({ hostname })),
        JSON.stringify(makeAlert({ hostname })),
        JSON.stringify(bad),
        '{"rule": "truncated',
        JSON.stringify(makeAlert({ hostname })),
      ].join('\n'),
    );
    const run = await runImport([file], SERVERS.main.dbFile);
    expect(run.code, run.stderr).toBe(0);
    expect(importSummary(run.stdout)).toEqual({ imported: 3, duplicates: 0, skipped: 0, invalid: 2 });
    expect(run.stdout).toMatch(/invalid: line 3 priority: /);
    expect(run.stdout).toMatch(/invalid: line 4: not valid JSON/);
    expect(await listAllIds(request, base, { hostname })).toHaveLength(3);
  });
});
