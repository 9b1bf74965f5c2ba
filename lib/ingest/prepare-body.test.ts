import { describe, expect, it, vi } from 'vitest';
import { unpackRaw } from '../db/raw-json';
import type { WritableAlert } from '../db/event-writer';
import { ingestMetrics } from '../metrics/ingest-metrics';
import { alertLine, corpusLines, readyWorker } from '../testing/ingest-worker';
import { prepareBody, type PreparedBody } from './prepare-body';

const body = (lines: string[]) => lines.join('\n');

const rawOf = (alert: WritableAlert) => (alert.packedRaw ? unpackRaw(alert.packedRaw) : alert.raw);
/** What a prepared body says, with each alert's raw JSON inflated, for comparing across threads. */
const summary = ({ alerts, ...rest }: PreparedBody) => ({
  ...rest,
  rules: alerts.map((a) => a.rule),
  raws: alerts.map(rawOf),
});

const worker = readyWorker();

describe('prepareBody', () => {
  it('prepares a large NDJSON body on two threads as one thread does, in line order', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => alertLine(i));
    lines[2] = '{"rule": cut';
    lines[499] = JSON.stringify({ rule: 'no time', priority: 'Warning' });
    const before = ingestMetrics().workerPreparedEntries;
    const shared = await prepareBody(body(lines), {}, worker());
    expect(ingestMetrics().workerPreparedEntries - before).toBe(300); // the back half went to the worker
    const alone = await prepareBody(body(lines), {}, null);
    expect(summary(shared)).toEqual(summary(alone));
    expect(shared.issues.map((i) => [i.line, i.code])).toEqual([
      [3, 'invalid_json'],
      [500, 'missing_field'],
    ]);
    expect(shared).toMatchObject({ entryCount: 600, isBatch: true, hasSyntaxErrors: true, stoppedEarly: false });
    const kept = lines.filter((_, i) => i !== 2 && i !== 499);
    expect(shared.alerts.map(rawOf)).toEqual(kept);
    expect(shared.alerts.map((a) => a.rule)).toEqual(kept.map((line) => JSON.parse(line).rule));
  });

  it('stops checking after the issues asked for, in both parts', async () => {
    const bad = Array.from({ length: 300 }, () => '{}');
    const { issues, stoppedEarly } = await prepareBody(body(bad), { stopAfterIssues: 10 }, worker());
    expect(stoppedEarly).toBe(true);
    // Each part lists three issues per `{}` (time, rule, priority) until it has ten.
    expect(issues.length).toBeGreaterThanOrEqual(10);
    expect(issues[0]).toMatchObject({ line: 1, field: 'time', code: 'missing_field' });
  });

  it('answers on this thread when the worker fails', async () => {
    const failing = { ready: true, warmUp: () => {}, prepare: () => Promise.reject(new Error('the thread died')) };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const lines = Array.from({ length: 100 }, (_, i) => alertLine(i));
    const prepared = await prepareBody(body(lines), {}, failing);
    expect(prepared.issues).toEqual([]);
    expect(prepared.alerts.map(rawOf)).toEqual(lines);
    expect(String(logged.mock.calls[0]?.[0])).toContain('ingest worker thread failed');
    logged.mockRestore();
  });

  it('leaves a short body, a single alert and an array to this thread, as before', async () => {
    const short = await prepareBody(body(corpusLines.slice(0, 3)), {}, worker());
    expect(short.alerts.map(rawOf)).toEqual(corpusLines.slice(0, 3));
    const single = await prepareBody(corpusLines[0]!, {}, worker());
    expect(single).toMatchObject({ entryCount: 1, isBatch: false });
    const array = await prepareBody(`[${corpusLines.slice(0, 2).join(',')}]`, {}, worker());
    expect(array).toMatchObject({ entryCount: 2, isBatch: true });
    expect(array.alerts.map((a) => a.raw)).toEqual(corpusLines.slice(0, 2));
    const empty = await prepareBody('  \n ', {}, worker());
    expect(empty.entryCount).toBe(0);
  });

  it('gives the worker all of a body while other writes wait on this thread', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => alertLine(i));
    const before = ingestMetrics().workerPreparedEntries;
    const busy = await prepareBody(body(lines), { writesPending: true }, worker());
    expect(ingestMetrics().workerPreparedEntries - before).toBe(200);
    expect(busy.alerts.map(rawOf)).toEqual(lines);
    // Two bodies at once: the first is shared half and half, the second (arriving while the first
    // is being prepared) goes to the worker whole.
    const counted = ingestMetrics().workerPreparedEntries;
    const [first, second] = await Promise.all([
      prepareBody(body(lines), {}, worker()),
      prepareBody(body(lines.slice(0, 100)), {}, worker()),
    ]);
    expect(ingestMetrics().workerPreparedEntries - counted).toBe(100 + 100);
    expect(first.alerts.map(rawOf)).toEqual(lines);
    expect(second.alerts.map(rawOf)).toEqual(lines.slice(0, 100));
  });
});
