import { describe, expect, it, vi } from 'vitest';
import { dumpStore } from '../../scripts/lib/store-dump';
import { openDatabase, type Db } from '../db/connection';
import { writeAlertChunks, writeAlerts, type WritableAlert } from '../db/event-writer';
import { alertLine, readyWorker } from '../testing/ingest-worker';
import { ingestMetrics } from '../metrics/ingest-metrics';
import { claimBack, claimFront, newClaims } from './chunk-claims';
import type { PreparedChunks } from './line-preparer';
import { prepareLines } from './prepare-lines';
import { prepareBody } from './prepare-body';
import { batchLines } from './split-body';
import { MIN_STREAMED_LINES, writeWhilePreparing, type ChunkWorker } from './write-while-preparing';

const lines = (n: number) => Array.from({ length: n }, (_, i) => alertLine(i));
const countEvents = (db: Db) => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
const writerFor = (db: Db) => (chunks: Iterable<readonly WritableAlert[]>) => writeAlertChunks(db, chunks);
const ALL = { stopAfterIssues: Number.POSITIVE_INFINITY, partial: false };

/** As ingest calls it: with the body's NDJSON lines, or not at all for a body that has none. */
type Streamed = Parameters<typeof writeWhilePreparing>;
const streamText = (text: string, options: Streamed[1], write: Streamed[2], worker: Streamed[3]) => {
  const lines = batchLines(text);
  return lines === null ? null : writeWhilePreparing(lines, options, write, worker);
};

const worker = readyWorker();

/** A loaded, idle worker whose chunks `prepareChunks` answers. */
const idleWorker = (prepareChunks: ChunkWorker['prepareChunks']): ChunkWorker => ({
  ready: true,
  backlog: 0,
  warmUp: () => {},
  prepareChunks,
});

describe('writeWhilePreparing', () => {
  it('stores a large body exactly as preparing it first and then writing it does', async () => {
    const text = lines(650).join('\n');
    const streamedStore = openDatabase(':memory:');
    const written = streamText(text, ALL, writerFor(streamedStore), worker());
    expect(written).not.toBeNull();
    expect(written!.results!.map((r) => r.id)).toEqual(Array.from({ length: 650 }, (_, i) => i + 1));
    expect(written!.body).toMatchObject({
      entryCount: 650,
      isBatch: true,
      issues: [],
      hasSyntaxErrors: false,
      stoppedEarly: false,
    });

    const queuedStore = openDatabase(':memory:');
    writeAlerts(queuedStore, prepareBody(text).alerts);
    expect(dumpStore(streamedStore)).toEqual(dumpStore(queuedStore));
    expect(countEvents(streamedStore)).toBe(650);

    // The same body again: every alert is a duplicate of the one stored, in order.
    const again = streamText(text, ALL, writerFor(streamedStore), worker());
    expect(again!.results!.every((r, i) => r.duplicate && r.id === i + 1)).toBe(true);
    expect(countEvents(streamedStore)).toBe(650);
  });

  it('rolls back everything written before a bad line in a later chunk, and lists the issues', () => {
    const body = lines(700);
    body[640] = '{"rule": cut';
    body[655] = JSON.stringify({ rule: 'no time', priority: 'Warning', output: 'x', source: 'syscall' });
    const db = openDatabase(':memory:');
    const written = streamText(body.join('\n'), { stopAfterIssues: 100, partial: false }, writerFor(db), worker());
    expect(written!.results).toBeNull();
    expect(countEvents(db)).toBe(0);
    expect(db.prepare('SELECT count(*) AS n FROM event_counts_1h').get()).toEqual({ n: 0 });
    expect(written!.body.issues.map((issue) => [issue.line, issue.code])).toEqual([
      [641, 'invalid_json'],
      [656, 'missing_field'],
    ]);
    expect(written!.body.hasSyntaxErrors).toBe(true);
    // The store takes the next body as if nothing had happened.
    expect(streamText(lines(300).join('\n'), ALL, writerFor(db), worker())!.results).toHaveLength(300);
    expect(countEvents(db)).toBe(300);
  });

  it('stops listing at the issues asked for and says the listing is incomplete', () => {
    const bad = Array.from({ length: 600 }, () => '{}');
    const written = streamText(
      bad.join('\n'),
      { stopAfterIssues: 10, partial: false },
      writerFor(openDatabase(':memory:')),
      worker(),
    );
    expect(written!.results).toBeNull();
    expect(written!.body.stoppedEarly).toBe(true);
    expect(written!.body.issues.length).toBeGreaterThanOrEqual(10);
    expect(written!.body.issues.length).toBeLessThan(600);
  });

  it('with ?partial=1 stores the valid alerts and leaves out the bad lines', () => {
    const body = lines(400);
    body[5] = '{}';
    body[399] = 'not json';
    const db = openDatabase(':memory:');
    const written = streamText(
      body.join('\n'),
      { stopAfterIssues: Number.POSITIVE_INFINITY, partial: true },
      writerFor(db),
      worker(),
    );
    expect(written!.results).toHaveLength(398);
    expect(countEvents(db)).toBe(398);
    expect(written!.body.alerts.map((a) => a.rule)).toEqual(
      body.filter((_, i) => i !== 5 && i !== 399).map((line) => JSON.parse(line).rule),
    );
    expect(new Set(written!.body.issues.map((issue) => issue.line))).toEqual(new Set([6, 400]));
  });

  it('prepares the rest on this thread when the worker stops answering, and stores the same', () => {
    const failing = idleWorker((chunks, options) => {
      const real = worker().prepareChunks(chunks, options);
      let answered = 0;
      // Two answers, then the thread is gone; nothing is left to steal from it.
      const poll = () => {
        if (answered >= 2) return undefined;
        const answer = real.poll();
        if (answer !== undefined) answered++;
        return answer;
      };
      const next = () => {
        if (answered++ < 2) return real.next();
        real.close();
        throw new Error('no answer');
      };
      return { poll, next, steal: () => null, close: () => real.close() } as unknown as PreparedChunks;
    });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = openDatabase(':memory:');
    const text = lines(500).join('\n');
    const written = streamText(text, ALL, writerFor(db), failing);
    expect(written!.results).toHaveLength(500);
    expect(
      db
        .prepare('SELECT rule FROM events ORDER BY id')
        .all()
        .map((row) => (row as { rule: string }).rule),
    ).toEqual(Array.from({ length: 500 }, (_, i) => `rule ${i}`));
    expect(String(logged.mock.calls[0]?.[0])).toContain('ingest worker thread failed');
    logged.mockRestore();
  });

  it('prepares chunks from the back while the next answer is not in, and stores every line once, in order', () => {
    // A worker that answers every other time it is asked, from the front of the same claims.
    const slow = idleWorker((chunks, options) => {
      const claims = newClaims(chunks.length);
      let asked = 0;
      const poll = () => {
        if (asked++ % 2 === 0) return undefined;
        const index = claimFront(claims);
        return index === null ? undefined : prepareLines(chunks[index]!, options);
      };
      const next = () => {
        const index = claimFront(claims);
        if (index === null) throw new Error('asked for a chunk the worker does not hold');
        return prepareLines(chunks[index]!, options);
      };
      return { poll, next, steal: () => claimBack(claims), close: () => {} } as unknown as PreparedChunks;
    });
    const before = ingestMetrics().workerPreparedEntries;
    const text = lines(900).join('\n');
    const db = openDatabase(':memory:');
    const written = streamText(text, ALL, writerFor(db), slow);
    expect(written!.results!.map((r) => r.id)).toEqual(Array.from({ length: 900 }, (_, i) => i + 1));
    const byWorker = ingestMetrics().workerPreparedEntries - before;
    expect(byWorker).toBeGreaterThan(0);
    expect(byWorker).toBeLessThan(900);
    const queuedStore = openDatabase(':memory:');
    writeAlerts(queuedStore, prepareBody(text).alerts);
    expect(dumpStore(db)).toEqual(dumpStore(queuedStore));
  });

  it('passes on a store fault, with nothing committed', () => {
    const db = openDatabase(':memory:');
    let calls = 0;
    const faulty = (chunks: Iterable<readonly WritableAlert[]>) =>
      writeAlertChunks(
        db,
        (function* () {
          for (const chunk of chunks) {
            if (++calls === 3) throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
            yield chunk;
          }
        })(),
      );
    expect(() => streamText(lines(500).join('\n'), ALL, faulty, worker())).toThrow('disk full');
    expect(countEvents(db)).toBe(0);
  });

  it('leaves short bodies, arrays and a busy, starting or missing worker to the queued path', () => {
    const db = openDatabase(':memory:');
    const write = writerFor(db);
    const prepareChunks = worker().prepareChunks.bind(worker());
    expect(streamText(lines(MIN_STREAMED_LINES - 1).join('\n'), ALL, write, worker())).toBeNull();
    expect(streamText(`[${lines(300).join(',')}]`, ALL, write, worker())).toBeNull();
    const busy = { ready: true, backlog: 1, warmUp: vi.fn(), prepareChunks };
    expect(streamText(lines(300).join('\n'), ALL, write, busy)).toBeNull();
    // A worker that has not loaded yet is started by the first large body, which does not wait for it.
    const starting = { ready: false, backlog: 0, warmUp: vi.fn(), prepareChunks };
    expect(streamText(lines(30).join('\n'), ALL, write, starting)).toBeNull();
    expect(starting.warmUp).not.toHaveBeenCalled();
    expect(streamText(lines(300).join('\n'), ALL, write, starting)).toBeNull();
    expect(starting.warmUp).toHaveBeenCalledOnce();
    expect(streamText(lines(300).join('\n'), ALL, write, null)).toBeNull();
    expect(countEvents(db)).toBe(0);
    expect(streamText(lines(MIN_STREAMED_LINES).join('\n'), ALL, write, worker())!.results).toHaveLength(
      MIN_STREAMED_LINES,
    );
  });
});
