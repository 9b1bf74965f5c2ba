import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { getEventOrThrow } from '../db/event-queries';
import { importStream } from './import-stream';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const corpusLine = (n: number) => corpusLines[n - 1]!;
const stream = (text: string) => Readable.from([text]);
const count = (db: Db) => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

describe('importStream', () => {
  it('skips and counts Falco log lines in a kubectl logs capture', async () => {
    const capture = [
      'Mon Apr  6 19:31:00 2026: Falco version: 0.42.0 (x86_64)',
      'Mon Apr  6 19:31:00 2026: Loading rules from file /etc/falco/falco_rules.yaml',
      corpusLine(37),
      '',
      'Mon Apr  6 19:31:01 2026: Starting health webserver with threadiness 4',
      corpusLine(43),
    ].join('\r\n');
    const summary = await importStream(db, stream(capture));
    expect(summary).toEqual({ imported: 2, duplicates: 0, skipped: 3, invalid: [] });
    expect(getEventOrThrow(db, 1).raw).toBe(corpusLine(37));
    expect(getEventOrThrow(db, 2).raw).toBe(corpusLine(43));
  });

  it('reports invalid lines with their line number and imports the rest', async () => {
    const body = [
      corpusLine(1),
      '{"time":"2023-02-30T00:00:00Z","rule":"r","priority":"Warning"}',
      '{"rule": cut',
      corpusLine(2),
    ].join('\n');
    const summary = await importStream(db, stream(body));
    expect(summary.imported).toBe(2);
    expect(summary.invalid.map((i) => [i.line, i.field, i.code])).toEqual([
      [2, 'time', 'invalid_time'],
      [3, undefined, 'invalid_json'],
    ]);
  });

  it('imports a JSON array file with element indexes', async () => {
    const body = `[\n${corpusLine(16)},\n{"rule":"no time","priority":"Warning"},\n${corpusLine(37)}\n]\n`;
    const summary = await importStream(db, stream(body));
    expect(summary.imported).toBe(2);
    expect(summary.invalid.map((i) => [i.index, i.field, i.code])).toEqual([[1, 'time', 'missing_field']]);
    expect(getEventOrThrow(db, 1).raw).toBe(corpusLine(16));
    expect(getEventOrThrow(db, 2).raw).toBe(corpusLine(37));
  });

  it('imports batch after batch in file order, with line numbers, across the worker thread', async () => {
    const line = (i: number) =>
      JSON.stringify({
        ...JSON.parse(corpusLine(1)),
        rule: `rule ${i}`,
        time: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(9, '0')}Z`,
      });
    const lines = Array.from({ length: 2_600 }, (_, i) => line(i));
    lines[1_499] = '{"rule":"no time","priority":"Warning"}';
    lines[2_100] = lines[5]!; // a duplicate of an alert two batches back
    const summary = await importStream(db, stream(lines.join('\n')));
    expect(summary.imported).toBe(2_598);
    expect(summary.duplicates).toBe(1);
    expect(summary.invalid.map((i) => [i.line, i.field, i.code])).toEqual([[1_500, 'time', 'missing_field']]);
    const rules = db.prepare('SELECT rule FROM events ORDER BY id').pluck().all();
    expect(rules).toEqual(lines.map((_, i) => `rule ${i}`).filter((_, i) => i !== 1_499 && i !== 2_100));
    expect(getEventOrThrow(db, 2_598).raw).toBe(lines[2_599]);
  }, 30_000); // the worker thread loads its modules through tsx first: seconds on a busy machine

  it('reports progress at the end with the number of lines read', async () => {
    const onProgress = vi.fn();
    await importStream(db, stream(corpusLines.join('\n')), onProgress);
    expect(onProgress).toHaveBeenLastCalledWith(87, expect.anything());
    expect(count(db)).toBe(87);
  });
});
