import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../lib/db/connection';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'perch-import-progress-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const corpus = readFileSync(path.join(root, 'e2e/fixtures/falco/real-events.ndjson'), 'utf8')
  .split('\n')
  .filter(Boolean);
const line = (i: number) =>
  JSON.stringify({
    ...JSON.parse(corpus[0]!),
    uuid: `progress-${i}`,
    rule: `rule ${i}`,
    time: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(9, '0')}Z`,
  });
const file = path.join(tmp, 'alerts.ndjson');
writeFileSync(file, `${Array.from({ length: 2_500 }, (_, i) => line(i)).join('\n')}\n`);

const tsx = (script: string, args: string[], env: Record<string, string> = {}) =>
  run(path.join(root, 'node_modules/.bin/tsx'), ['--conditions=react-server', script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  });
const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, number | string>);

describe("the import's progress lines (PERCH_IMPORT_PROGRESS) and the raw insert's points", () => {
  it('give a JSON line after every 1,000 alerts written, the last batches included, and at the end', async () => {
    const db = path.join(tmp, 'import.db');
    const { stdout } = await tsx('scripts/import.ts', [file], { PERCH_DB: db, PERCH_IMPORT_PROGRESS: '1000' });
    const points = jsonLines(stdout);
    expect(points.map((p) => [p.alerts, p.imported, p.duplicates, p.invalid])).toEqual([
      [1_000, 1_000, 0, 0],
      [2_000, 2_000, 0, 0],
      [2_500, 2_500, 0, 0],
    ]);
    const seconds = points.map((p) => p.seconds as number);
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(stdout).toMatch(
      /^Imported 2500, duplicates 0, skipped 0 non-JSON line\(s\), invalid 0 into .* in [\d.]+s$/m,
    );

    const raw = await tsx('scripts/bench-data.ts', [
      'raw',
      '--db',
      path.join(tmp, 'raw.db'),
      '--file',
      file,
      '--segment',
      '1000',
    ]);
    const rawLines = jsonLines(raw.stdout);
    expect(rawLines.filter((p) => p.label === 'point').map((p) => p.rows)).toEqual([1_000, 2_000, 2_500]);
    expect(rawLines.at(-1)).toMatchObject({ label: 'file', rows: 2_500 });
  }, 60_000);

  it('prints none by default, and refuses a bad value before it opens the store', async () => {
    const db = path.join(tmp, 'quiet.db');
    const { stdout } = await tsx('scripts/import.ts', [file], { PERCH_DB: db, PERCH_IMPORT_PROGRESS: '' });
    expect(jsonLines(stdout)).toEqual([]);
    const store = openDatabase(db);
    expect(store.prepare('SELECT count(*) FROM events').pluck().get()).toBe(2_500);
    store.close();

    const refused = path.join(tmp, 'refused.db');
    const failure = await tsx('scripts/import.ts', [file], { PERCH_DB: refused, PERCH_IMPORT_PROGRESS: '0' }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('PERCH_IMPORT_PROGRESS must be a whole number of alerts of at least 1'),
    });
    expect(existsSync(refused)).toBe(false);
  }, 60_000);
});
