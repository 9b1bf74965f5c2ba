// The NDJSON export writes each alert on one line: a pretty-printed alert holding
// a complete alert on a line of its own exports, and re-imports with `npm run import`, as itself.
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nextFalcoTime, post, uniqueTag } from '../fixtures/alerts';
import { expectIngested, importSummary, parseLossless, runImport } from '../fixtures/api-helpers';
import { unpackRaw } from '../../lib/db/raw-json';
import { SERVERS } from '../servers';

const base = SERVERS.main.url;

test('a pretty-printed alert exports as one NDJSON line that imports back as itself, not as the alert inside it', async ({
  request,
}) => {
  test.setTimeout(60_000);
  const hostname = uniqueTag('smuggler');
  const body = [
    `{"time":"${nextFalcoTime()}","rule":"Innocent looking rule","priority":"Notice","hostname":"${hostname}",`,
    '  "output":"one\\nstring", "output_fields":{"evt.time":1772362800123456789,"note":',
    `{"time":"${nextFalcoTime()}","rule":"FORGED smuggled alert","priority":"Emergency","hostname":"forged-host","output":"forged"}`,
    '\t}\r',
    '}',
  ].join('\n');
  const { ids } = await expectIngested(await post(request, `${base}/api/events`, body), 1, 0);

  const response = await request.get(`${base}/api/events/export?format=ndjson&hostname=${hostname}`);
  expect(response.status()).toBe(200);
  const ndjson = await response.text();
  expect(ndjson.endsWith('\n')).toBe(true);
  const lines = ndjson.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain('\r');
  expect(parseLossless(lines[0]!)).toEqual(parseLossless(body));
  // The alert page and the JSON export keep what was received.
  const detail = (await (await request.get(`${base}/api/events/${ids[0]}`)).json()) as { raw: string };
  expect(detail.raw).toBe(body);
  const json = await (await request.get(`${base}/api/events/export?format=json&hostname=${hostname}`)).text();
  expect(json).toContain('"evt.time":1772362800123456789');

  const dir = mkdtempSync(path.join(tmpdir(), 'perch-export-framing-'));
  try {
    writeFileSync(path.join(dir, 'export.ndjson'), ndjson);
    const result = await runImport([path.join(dir, 'export.ndjson')], path.join(dir, 'reimport.db'));
    expect(result.code, result.stderr).toBe(0);
    expect(importSummary(result.stdout)).toEqual({ imported: 1, duplicates: 0, skipped: 0, invalid: 0 });
    const db = new Database(path.join(dir, 'reimport.db'), { readonly: true });
    const rows = db
      .prepare('SELECT e.rule, e.priority, e.hostname, p.raw FROM events e JOIN event_payloads p ON p.event_id = e.id')
      .all() as { rule: string; priority: string; hostname: string; raw: Buffer }[];
    db.close();
    expect(rows.map(({ rule, priority, hostname: host }) => ({ rule, priority, host }))).toEqual([
      { rule: 'Innocent looking rule', priority: 'Notice', host: hostname },
    ]);
    expect(parseLossless(unpackRaw(rows[0]!.raw))).toEqual(parseLossless(body));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
