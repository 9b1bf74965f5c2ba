import { describe, expect, it } from 'vitest';
import { unpackRaw } from '../db/raw-json';
import type { WritableAlert } from '../db/event-writer';
import { alertLine, corpusLines } from '../testing/ingest-worker';
import { prepareBody } from './prepare-body';

const body = (lines: string[]) => lines.join('\n');
const rawOf = (alert: WritableAlert) => (alert.packedRaw ? unpackRaw(alert.packedRaw) : alert.raw);

describe('prepareBody', () => {
  it('prepares an NDJSON body in line order and names each bad line', () => {
    const lines = Array.from({ length: 600 }, (_, i) => alertLine(i));
    lines[2] = '{"rule": cut';
    lines[499] = JSON.stringify({ rule: 'no time', priority: 'Warning' });
    const prepared = prepareBody(body(lines));
    expect(prepared.issues.map((i) => [i.line, i.code])).toEqual([
      [3, 'invalid_json'],
      [500, 'missing_field'],
    ]);
    expect(prepared).toMatchObject({ entryCount: 600, isBatch: true, hasSyntaxErrors: true, stoppedEarly: false });
    const kept = lines.filter((_, i) => i !== 2 && i !== 499);
    expect(prepared.alerts.map(rawOf)).toEqual(kept);
    expect(prepared.alerts.map((a) => a.rule)).toEqual(kept.map((line) => JSON.parse(line).rule));
  });

  it('stops checking after the issues asked for', () => {
    const bad = Array.from({ length: 300 }, () => '{}');
    const { issues, stoppedEarly } = prepareBody(body(bad), { stopAfterIssues: 10 });
    expect(stoppedEarly).toBe(true);
    // Three issues per `{}` (time, rule, priority) until there are ten.
    expect(issues.length).toBeGreaterThanOrEqual(10);
    expect(issues.length).toBeLessThan(20);
    expect(issues[0]).toMatchObject({ line: 1, field: 'time', code: 'missing_field' });
  });

  it('takes a short body, a single alert, an array and an empty body', () => {
    const short = prepareBody(body(corpusLines.slice(0, 3)));
    expect(short.alerts.map(rawOf)).toEqual(corpusLines.slice(0, 3));
    const single = prepareBody(corpusLines[0]!);
    expect(single).toMatchObject({ entryCount: 1, isBatch: false });
    const array = prepareBody(`[${corpusLines.slice(0, 2).join(',')}]`);
    expect(array).toMatchObject({ entryCount: 2, isBatch: true });
    expect(array.alerts.map((a) => a.raw)).toEqual(corpusLines.slice(0, 2));
    const empty = prepareBody('  \n ');
    expect(empty.entryCount).toBe(0);
  });
});
