import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiError } from '../api/errors';
import { DomainError } from '../errors';
import type { EventListResponse } from '../events/types';
import { FalcoAlert, toStoredAlert } from '../falco/alert';
import { EventFilter } from '../filters/event-filter';
import { importStream, type ImportSummary } from '../ingest/import-stream';
import { openDatabase, type Db } from './connection';
import { countAlerts, countByPriority, encodeCursor, getEventOrThrow, healthReport, listEvents } from './event-queries';
import { writeAlerts } from './event-writer';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');

interface CorpusAlert {
  line: number;
  time: string;
  rule: string;
  priority: string;
  source?: string;
  hostname?: string;
  tags?: string[];
  output?: string;
  output_fields?: Record<string, unknown>;
}

// The expected answers are computed straight from the corpus with plain JSON.parse and string
// arithmetic, independently of the code under test.
const corpus: CorpusAlert[] = corpusLines.map((text, i) => ({
  ...(JSON.parse(text) as Omit<CorpusAlert, 'line'>),
  line: i + 1,
}));
const fieldsOf = (a: CorpusAlert) => a.output_fields ?? {};
const isInternal = (a: CorpusAlert) => a.source === 'internal' || a.rule.startsWith('Falco internal:');
const timeNsOf = (a: CorpusAlert): bigint => {
  const m = /^(.{19})(?:\.(\d+))?Z$/.exec(a.time)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
};
const newestFirst = (alerts: CorpusAlert[]) =>
  [...alerts].sort((x, y) => (timeNsOf(x) === timeNsOf(y) ? y.line - x.line : timeNsOf(y) > timeNsOf(x) ? 1 : -1));
/** Ids (= corpus line numbers, asserted below) the list should return for a predicate, newest first. */
const expected = (predicate: (a: CorpusAlert) => boolean, { internal = false } = {}) =>
  newestFirst(corpus.filter((a) => (internal || !isInternal(a)) && predicate(a))).map((a) => a.line);
const ancestorNames = (a: CorpusAlert) =>
  Object.entries(fieldsOf(a))
    .filter(([key]) => /^proc\.(name|pname|aname\[\d+\])$/.test(key))
    .map(([, value]) => value);
const sorted = (list: number[]) => [...list].sort((x, y) => x - y);
const rank = (name: string) =>
  ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'].indexOf(
    name.toLowerCase(),
  );

let db: Db;
let summary: ImportSummary;

beforeAll(async () => {
  db = openDatabase(':memory:');
  summary = await importStream(db, createReadStream(CORPUS));
});
afterAll(() => db.close());

const list = (input: Record<string, unknown>, nowMs?: number, limit = 1000): EventListResponse =>
  listEvents(db, EventFilter.parse(input), { limit }, nowMs);
const ids = (input: Record<string, unknown>, nowMs?: number) => list(input, nowMs).events.map((e) => e.id);

describe('the imported corpus', () => {
  it('imports all 87 alerts', () => {
    expect(summary).toEqual({ imported: 87, duplicates: 0, skipped: 0, invalid: [] });
    expect(healthReport(db, 'test')).toEqual({
      status: 'ok',
      version: 'test',
      events: 87,
      newestEventTime: '2026-10-07T00:14:25.354008000Z',
    });
  });

  it('counts the alerts without a scan, and the count follows deletes', async () => {
    const own = openDatabase(':memory:');
    try {
      expect(countAlerts(own)).toBe(0);
      await importStream(own, createReadStream(CORPUS));
      expect(countAlerts(own)).toBe(corpus.length);
      // The newest ten and every internal event, as retention or a manual clean-up would.
      const internalLines = corpus.filter(isInternal).map((a) => a.line);
      const gone = new Set([
        ...newestFirst(corpus)
          .slice(0, 10)
          .map((a) => a.line),
        ...internalLines,
      ]);
      own.prepare(`DELETE FROM events WHERE id IN (${[...gone].join(',')})`).run();
      expect(countAlerts(own)).toBe(corpus.length - gone.size);
      expect(healthReport(own, 'test').events).toBe(corpus.length - gone.size);
    } finally {
      own.close();
    }
  });

  it('stores each line under its line number with the raw text exactly as received', () => {
    corpusLines.forEach((line, i) => {
      expect(getEventOrThrow(db, i + 1).raw).toBe(line);
    });
  });
});

describe('listEvents', () => {
  it('lists detections newest first, leaving out internal events by default', () => {
    const { events, nextCursor } = list({});
    expect(events).toHaveLength(83);
    expect(events.map((e) => e.id)).toEqual(expected(() => true));
    expect(nextCursor).toBeNull();
    const times = events.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('returns summaries with canonical time, tags, output, output_fields and levels 0 and 1', () => {
    const event = list({ hostname: ['x86'] }).events[0]!;
    expect(event).toMatchObject({
      id: 16,
      time: '2025-05-07T12:50:34.502309868Z',
      rule: 'Read sensitive file untrusted',
      priority: 'Warning',
      priorityRank: 4,
      source: 'syscall',
      hostname: 'x86',
      internal: false,
      uuid: null,
      tags: ['T1555', 'container', 'filesystem', 'host', 'maturity_stable', 'mitre_credential_access'],
      containerId: 'host',
      containerName: 'host',
      procName: 'cat',
      procExepath: '/usr/bin/cat',
      procCmdline: 'cat /etc/shadow',
      procPid: null,
      parentName: 'sudo',
      userName: 'root',
      evtType: 'openat',
      fdName: '/etc/shadow',
    });
    expect(event.output).toMatch(/^14:50:34.502309868: Warning Sensitive file opened/);
    expect(event.output_fields['evt.time']).toBe(1746622234502309868n);
    expect(event.output_fields['proc.aname[4]']).toBe('kitty');
    // Trimmed fractions are shown with nine digits.
    expect(list({ rule: ['Terminal shell in container'], hostname: [] }).events.find((e) => e.id === 10)?.time).toBe(
      '2021-01-11T23:46:19.823027590Z',
    );
  });

  it('pages with a keyset cursor: every event exactly once, in order', () => {
    const all = ids({});
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = listEvents(db, EventFilter.parse({}), { limit: 10, cursor });
      expect(page.events.length).toBeLessThanOrEqual(10);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined && pages < 100);
    expect(pages).toBe(9);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('pages within a filter', () => {
    const filter = EventFilter.parse({ container: ['eventgen'] });
    const all = listEvents(db, filter, { limit: 1000 }).events.map((e) => e.id);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = listEvents(db, filter, { limit: 3, cursor });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(all.length).toBeGreaterThan(20);
    expect(seen).toEqual(all);
  });

  it('pages without any other condition (internal included, so the cursor starts the WHERE)', () => {
    const filter = EventFilter.parse({ internal: 'include' });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = listEvents(db, filter, { limit: 25, cursor });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(expected(() => true, { internal: true }));
  });

  it('gives no next cursor when the last page is exactly full', () => {
    const page = listEvents(db, EventFilter.parse({ hostname: ['x86', 'sherlock'] }), { limit: 4 });
    expect(page.events).toHaveLength(4);
    expect(page.nextCursor).toBeNull();
  });

  it('rejects a cursor it did not issue with the domain error invalid_cursor', () => {
    for (const cursor of [
      '',
      'garbage!!',
      Buffer.from('x:y').toString('base64url'),
      Buffer.from('1:2:3').toString('base64url'),
      Buffer.from('-1:5').toString('base64url'),
    ]) {
      let thrown: unknown;
      try {
        listEvents(db, EventFilter.parse({}), { limit: 10, cursor });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(cursor)).toBeInstanceOf(DomainError);
      expect((thrown as DomainError).code).toBe('invalid_cursor');
      expect(toApiError(thrown as DomainError).status).toBe(400);
    }
  });

  // decodeCursor accepts up to 20 digits of time, but a value above 2^63-1 cannot be bound to SQLite:
  // better-sqlite3's RangeError would be a 500 rather than invalid_cursor.
  it('rejects a forged cursor with an out-of-range time as invalid_cursor', () => {
    const cursor = encodeCursor('99999999999999999999', 1);
    let thrown: unknown;
    try {
      listEvents(db, EventFilter.parse({}), { limit: 10, cursor });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError | undefined)?.code).toBe('invalid_cursor');
  });
});

describe('filters', () => {
  it('priority: a set of names in any case (OR)', () => {
    const result = ids({ priority: ['Critical', 'warning'] });
    expect(result).toEqual(expected((a) => a.priority === 'Critical' || a.priority === 'Warning'));
    expect(ids({ priority: ['Critical'] })).toHaveLength(11);
    expect(ids({ priority: ['info'] })).toEqual(expected((a) => a.priority === 'Informational'));
  });

  it('minPriority: that priority and anything more severe', () => {
    expect(ids({ minPriority: 'Error' })).toEqual(expected((a) => rank(a.priority) <= 3));
    expect(ids({ minPriority: 'error' }).length).toBe(13);
    expect(ids({ minPriority: 'debug' })).toHaveLength(83);
  });

  it('rule, source and hostname match exactly', () => {
    expect(ids({ rule: ['Terminal shell in container'] })).toEqual(
      expected((a) => a.rule === 'Terminal shell in container'),
    );
    expect(ids({ rule: ['Terminal shell in container'] })).toHaveLength(12);
    expect(ids({ rule: ['terminal shell in container'] })).toEqual([]);
    expect(ids({ rule: ['Terminal shell'] })).toEqual([]);
    expect(ids({ source: ['k8s_audit'] })).toEqual(expected((a) => a.source === 'k8s_audit'));
    expect(ids({ source: ['k8s_audit'] })).toHaveLength(9);
    expect(ids({ hostname: ['x86'] })).toEqual([16]);
  });

  it('container: by id or by name', () => {
    expect(ids({ container: ['920b85e0cae2'] })).toEqual(
      expected((a) => fieldsOf(a)['container.id'] === '920b85e0cae2'),
    );
    expect(ids({ container: ['eventgen'] })).toEqual(expected((a) => fieldsOf(a)['container.name'] === 'eventgen'));
    expect(ids({ container: ['ee97d9c4186f'] })).toEqual([1]);
    expect(ids({ container: ['host'] })).toEqual(expected((a) => fieldsOf(a)['container.id'] === 'host'));
    expect(ids({ container: ['lab9-target', 'ee97d9c4186f'] })).toEqual(
      expected(
        (a) => fieldsOf(a)['container.name'] === 'lab9-target' || fieldsOf(a)['container.id'] === 'ee97d9c4186f',
      ),
    );
  });

  it('image: repository alone, or repository:tag', () => {
    expect(ids({ image: ['alpine'] })).toEqual(expected((a) => fieldsOf(a)['container.image.repository'] === 'alpine'));
    expect(ids({ image: ['alpine:3.20'] })).toEqual(
      expected(
        (a) => fieldsOf(a)['container.image.repository'] === 'alpine' && fieldsOf(a)['container.image.tag'] === '3.20',
      ),
    );
    expect(ids({ image: ['alpine:3.20'] })).toHaveLength(5);
    expect(sorted(ids({ image: ['alpine:3.19'] }))).toEqual([42, 77]);
    expect(ids({ image: ['docker.io/library/alpine'] })).toEqual([1]);
    expect(ids({ image: ['alpine:9.9'] })).toEqual([]);
  });

  it('namespace (including the target namespace of k8s_audit events) and pod', () => {
    expect(ids({ namespace: ['prod'] })).toEqual([84]);
    expect(ids({ namespace: ['default'] })).toEqual(
      expected((a) => fieldsOf(a)['k8s.ns.name'] === 'default' || fieldsOf(a)['ka.target.namespace'] === 'default'),
    );
    expect(ids({ namespace: ['default'] })).toEqual(expect.arrayContaining([6, 7, 1]));
    expect(ids({ pod: ['kubecon'] })).toEqual([1]);
    expect(sorted(ids({ pod: ['falco-lrfjl'] }))).toEqual([26, 27]);
  });

  it('tag: any of the given tags', () => {
    expect(ids({ tag: ['mitre_credential_access'] })).toEqual(
      expected((a) => (a.tags ?? []).includes('mitre_credential_access')),
    );
    expect(ids({ tag: ['aws', 'terraform'] })).toEqual(
      expected((a) => (a.tags ?? []).some((t) => t === 'aws' || t === 'terraform')),
    );
    expect(ids({ tag: ['aws', 'terraform'] })).toHaveLength(3);
    expect(ids({ tag: ['no-such-tag'] })).toEqual([]);
  });

  it('user: Linux user or audit actor', () => {
    expect(sorted(ids({ user: ['system:anonymous'] }))).toEqual([28, 29]);
    expect(ids({ user: ['root'] })).toEqual(expected((a) => fieldsOf(a)['user.name'] === 'root'));
    expect(ids({ user: ['ahmed.amin@test.com'] })).toHaveLength(4);
  });

  it('proc: the process or any ancestor by name', () => {
    expect(ids({ proc: ['sudo'] })).toEqual([16]);
    expect(ids({ proc: ['kitty'] })).toEqual([16]);
    expect(ids({ proc: ['cat'] })).toEqual([16]);
    expect(ids({ proc: ['containerd-shim'] })).toEqual(expected((a) => ancestorNames(a).includes('containerd-shim')));
    expect(ids({ proc: ['containerd-shim'] }).length).toBeGreaterThan(15);
    expect(ids({ proc: ['systemd', 'initd'] })).toEqual(
      expected((a) => ancestorNames(a).some((n) => n === 'systemd' || n === 'initd')),
    );
    expect(ids({ proc: ['kit'] })).toEqual([]);
  });

  it('q: free text, whole words in order, case-insensitive, punctuation separating words', () => {
    expect(ids({ q: '/etc/shadow' })).toEqual(expected((a) => JSON.stringify(a).includes('/etc/shadow')));
    expect(ids({ q: '/etc/shadow' })).toEqual(expect.arrayContaining([16, 31, 33]));
    expect(ids({ q: '/ETC/Shadow' })).toEqual(ids({ q: '/etc/shadow' }));
    expect(sorted(ids({ q: 'nc -e' }))).toEqual([43, 44]);
    expect(ids({ q: '  NC -E /bin/sh  ' })).toEqual(ids({ q: 'nc -e' }));
    expect(ids({ q: 'KITTY' })).toEqual([16]);
    expect(ids({ q: 'ahmed.amin@test.com' })).toHaveLength(4);
    // Punctuation separates words and is not compared; `%` and `_` are not wildcards.
    expect(ids({ q: 'etc_shadow' })).toEqual(ids({ q: '/etc/shadow' }));
    expect(ids({ q: 'nc_-e' })).toEqual(ids({ q: 'nc -e' }));
    expect(ids({ q: '%shadow' })).toEqual(ids({ q: 'shadow' }));
    expect(ids({ q: 'shado' })).toEqual([]);
    expect(ids({ q: 'shado*' })).toEqual(ids({ q: 'shadow*' }));
    expect(ids({ q: 'shadow*' })).toEqual(expect.arrayContaining(ids({ q: 'shadow' })));
    expect(ids({ q: 'no such text anywhere' })).toEqual([]);
    // Blank q is no condition.
    expect(ids({ q: '   ' })).toHaveLength(83);
  });

  it('repeated values are OR within a field, different fields are AND', () => {
    expect(ids({ hostname: ['x86', 'sherlock'] })).toEqual(
      expected((a) => a.hostname === 'x86' || a.hostname === 'sherlock'),
    );
    expect(ids({ hostname: ['x86', 'sherlock'] })).toHaveLength(4);
    expect(ids({ rule: ['Read sensitive file untrusted'], hostname: ['x86'] })).toEqual([16]);
    expect(ids({ rule: ['Read sensitive file untrusted'], hostname: ['sherlock'] })).toEqual([]);
    expect(ids({ source: ['syscall'], priority: ['Critical'], container: ['eventgen'] })).toEqual(
      expected(
        (a) => a.source === 'syscall' && a.priority === 'Critical' && fieldsOf(a)['container.name'] === 'eventgen',
      ),
    );
    expect(ids({ tag: ['mitre_execution'], proc: ['event-generator'] })).toEqual(
      expected((a) => (a.tags ?? []).includes('mitre_execution') && ancestorNames(a).includes('event-generator')),
    );
    expect(ids({ tag: ['mitre_execution'], proc: ['event-generator'], q: 'ls > /dev/null' })).toEqual(
      ids({ q: 'ls > /dev/null' }),
    );
    expect(sorted(ids({ q: 'ls > /dev/null' }))).toEqual([37, 38]);
  });

  it('internal: exclude (default), include, only', () => {
    expect(ids({ internal: 'exclude' })).toHaveLength(83);
    expect(ids({ internal: 'include' })).toEqual(expected(() => true, { internal: true }));
    expect(ids({ internal: 'include' })).toHaveLength(87);
    expect(ids({ internal: 'only' })).toEqual(expected(isInternal, { internal: true }));
    expect(sorted(ids({ internal: 'only' }))).toEqual([15, 24, 78, 87]);
    expect(sorted(ids({ internal: 'only', priority: ['Debug'] }))).toEqual([24, 78]);
  });

  it('time: absolute bounds, from inclusive and to exclusive', () => {
    const from = '2026-04-06T00:00:00Z';
    const to = '2026-04-07T00:00:00Z';
    const lo = BigInt(Date.parse(from)) * 1_000_000n;
    const hi = BigInt(Date.parse(to)) * 1_000_000n;
    const result = ids({ from, to });
    expect(result).toEqual(expected((a) => timeNsOf(a) >= lo && timeNsOf(a) < hi));
    expect(result.length).toBeGreaterThan(20);

    const line37 = corpus[36]!;
    expect(ids({ from: line37.time, to: line37.time })).toEqual([]);
    expect(ids({ from: line37.time })).toContain(37);
    expect(ids({ to: line37.time })).not.toContain(37);
    expect(ids({ to: line37.time })).toEqual(expected((a) => timeNsOf(a) < timeNsOf(line37)));
  });

  it('time: millisecond bounds around an event', () => {
    // Line 37 is at 2026-04-06T19:32:22.162939040Z.
    expect(ids({ from: '2026-04-06T19:32:22.162Z', to: '2026-04-06T19:32:22.163Z' })).toEqual([37]);
    expect(ids({ from: '2026-04-06T19:32:22.163Z', to: '2026-04-06T19:32:22.164Z' })).toEqual([]);
  });

  // Bounds hold to the nanosecond: cut to whole milliseconds, `from` one nanosecond after an event would
  // still include it, and an exclusive `to` one nanosecond after it would drop it.
  it('time: nanosecond bounds are honoured exactly', () => {
    expect(ids({ from: '2026-04-06T19:32:22.162939041Z' })).not.toContain(37);
    expect(ids({ to: '2026-04-06T19:32:22.162939041Z' })).toContain(37);
  });

  it('time: relative bounds against an explicit now', () => {
    const line37Ms = Date.parse('2026-04-06T19:32:22.162Z');
    const nowMs = line37Ms + 30 * 60_000;
    const lo = BigInt(nowMs - 3_600_000) * 1_000_000n;
    const hi = BigInt(nowMs) * 1_000_000n;
    const result = ids({ from: '1h', to: 'now' }, nowMs);
    expect(result).toEqual(expected((a) => timeNsOf(a) >= lo && timeNsOf(a) < hi));
    expect(result).toContain(37);
    // The same filter a day later finds nothing from that hour.
    expect(ids({ from: '1h' }, nowMs + 86_400_000).filter((id) => result.includes(id))).toEqual([]);
    expect(ids({ from: '1d', to: '2026-04-06T00:00:00Z' }, nowMs)).toEqual(
      expected(
        (a) =>
          timeNsOf(a) >= BigInt(nowMs - 86_400_000) * 1_000_000n &&
          timeNsOf(a) < BigInt(Date.parse('2026-04-06T00:00:00Z')) * 1_000_000n,
      ),
    );
  });
});

describe('getEventOrThrow', () => {
  it('returns the detail of corpus line 16 with its ancestry in level order', () => {
    const event = getEventOrThrow(db, 16);
    expect(event.raw).toBe(corpusLines[15]);
    expect(event.timeNs).toBe('1746622234502309868');
    expect(event.time).toBe('2025-05-07T12:50:34.502309868Z');
    expect(Number.isNaN(Date.parse(event.receivedAt))).toBe(false);
    expect(event.ancestry).toEqual([
      { level: 0, name: 'cat', exepath: '/usr/bin/cat', cmdline: 'cat /etc/shadow', pid: null },
      { level: 1, name: 'sudo', exepath: null, cmdline: null, pid: null },
      { level: 2, name: 'sudo', exepath: null, cmdline: null, pid: null },
      { level: 3, name: 'zsh', exepath: null, cmdline: null, pid: null },
      { level: 4, name: 'kitty', exepath: null, cmdline: null, pid: null },
    ]);
  });

  it('keeps unknown ancestors of corpus line 37 as null levels', () => {
    const event = getEventOrThrow(db, 37);
    expect(event.ancestry.map((l) => l.level)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(event.ancestry.map((l) => l.name)).toEqual([
      'sh',
      'httpd',
      'event-generator',
      'containerd-shim',
      null,
      null,
      null,
      null,
    ]);
    expect(event).toMatchObject({
      parentExepath: '/bin/event-generator',
      parentCmdline: 'httpd --loglevel info run ^helper.RunShell$',
    });
  });

  it('returns an empty ancestry for a plugin event', () => {
    expect(getEventOrThrow(db, 84).ancestry).toEqual([]);
  });

  it('throws the domain error not_found for an unknown id', () => {
    expect(() => getEventOrThrow(db, 9999)).toThrow(DomainError);
    try {
      getEventOrThrow(db, 9999);
    } catch (error) {
      expect((error as DomainError).code).toBe('not_found');
      expect(toApiError(error as DomainError).status).toBe(404);
    }
  });
});

describe('countByPriority', () => {
  it('counts detections per priority, most severe first, zeros included', () => {
    const counts = countByPriority(db, EventFilter.parse({}));
    expect(counts.map((c) => c.priority)).toEqual([
      'Emergency',
      'Alert',
      'Critical',
      'Error',
      'Warning',
      'Notice',
      'Informational',
      'Debug',
    ]);
    for (const c of counts) {
      expect(c.count, c.priority).toBe(
        corpus.filter((a) => !isInternal(a) && rank(a.priority) === c.priorityRank).length,
      );
    }
    expect(counts.reduce((sum, c) => sum + c.count, 0)).toBe(83);
    expect(counts[0]).toEqual({ priority: 'Emergency', priorityRank: 0, count: 0 });
  });

  it('applies the same filter as the list', () => {
    const counts = countByPriority(db, EventFilter.parse({ internal: 'only' }));
    expect(Object.fromEntries(counts.filter((c) => c.count > 0).map((c) => [c.priority, c.count]))).toEqual({
      Critical: 1,
      Informational: 1,
      Debug: 2,
    });
    const sherlock = countByPriority(db, EventFilter.parse({ hostname: ['sherlock'] }));
    expect(sherlock.find((c) => c.priority === 'Critical')?.count).toBe(1);
    expect(sherlock.find((c) => c.priority === 'Notice')?.count).toBe(2);
  });
});

describe('events sharing one timestamp', () => {
  let tied: Db;
  beforeAll(() => {
    tied = openDatabase(':memory:');
    const alerts = Array.from({ length: 25 }, (_, i) => {
      const value = { time: '2024-01-01T00:00:00.000000001Z', rule: `rule ${i}`, priority: 'Notice' };
      return toStoredAlert(FalcoAlert.parse(value), {}, JSON.stringify(value));
    });
    writeAlerts(tied, alerts);
  });
  afterAll(() => tied.close());

  it('orders by id and pages across ties without loss or repetition', () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = listEvents(tied, EventFilter.parse({}), { limit: 10, cursor });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
  });
});

describe('free text with punctuation and wildcard characters', () => {
  let textDb: Db;
  beforeAll(() => {
    textDb = openDatabase(':memory:');
    const outputs = ['path a_b', 'path axb', 'rate 50% up', 'rate 50x up', 'back\\slash', 'MiXeD CaSe'];
    writeAlerts(
      textDb,
      outputs.map((output, i) => {
        const value = { time: `2024-01-01T00:00:0${i}Z`, rule: `r${i}`, priority: 'Notice', output };
        return toStoredAlert(FalcoAlert.parse(value), {}, JSON.stringify(value));
      }),
    );
  });
  afterAll(() => textDb.close());

  const search = (q: string) =>
    listEvents(textDb, EventFilter.parse({ q }), { limit: 100 }).events.map((e) => e.output);

  it('treats % _ and \\ as punctuation between words, never as wildcards', () => {
    expect(search('a_b')).toEqual(['path a_b']);
    expect(search('50%')).toEqual(['rate 50% up']);
    expect(search('50% up')).toEqual(['rate 50% up']);
    expect(search('0% u')).toEqual([]);
    expect(search('back\\slash')).toEqual(['back\\slash']);
    expect(search('back/slash')).toEqual(['back\\slash']);
    expect(search('k\\s')).toEqual([]);
    expect(search('mixed case')).toEqual(['MiXeD CaSe']);
  });

  it('ignores case on both sides', () => {
    expect(search('mixed case')).toEqual(['MiXeD CaSe']);
    expect(search('MIXED CASE')).toEqual(['MiXeD CaSe']);
  });
});

describe('a chain filter', () => {
  // Chains that sort next to `a` (root first, levels apart by char(31), a pid after char(30)): the
  // filter `a` takes `a` itself and the chains under it, nothing else.
  const CHAINS = [
    'a',
    'a\u001fb',
    'a\u001fb\u001fc',
    'a\u001f',
    'a\u001e7\u001fb',
    'ab',
    'a b',
    'a\u0000',
    'a\u001e',
    'b\u001fa',
    '`',
    'a\u001fb\u001e9',
  ];
  const T0 = Date.UTC(2026, 10, 1);
  let chainDb: Db;
  beforeAll(() => {
    chainDb = openDatabase(':memory:');
    writeAlerts(
      chainDb,
      CHAINS.map((chain, i) => {
        const value = {
          time: new Date(T0 + i * 60_000).toISOString(),
          rule: 'r',
          priority: i % 2 === 0 ? 'Warning' : 'Critical',
          output: `alert ${i}`,
          output_fields: {},
        };
        return { ...toStoredAlert(FalcoAlert.parse(value), {}, JSON.stringify(value)), processChain: chain };
      }),
    );
  });
  afterAll(() => chainDb.close());

  const idsUnder = (chain: string) =>
    CHAINS.flatMap((c, i) => (c === chain || c.startsWith(`${chain}\u001f`) ? [i + 1] : [])).reverse();

  it.each(['a', 'a\u001fb', 'a\u001e7', 'a\u001f', 'ab', 'b', '`'])(
    '%j lists, counts and charts exactly the chain and the chains under it',
    (chain) => {
      const filter = EventFilter.parse({ from: 'all', chain: [chain] });
      const ids = idsUnder(chain);
      expect(listEvents(chainDb, filter, { limit: 50 }, T0 + 3_600_000).events.map((e) => e.id)).toEqual(ids);
      expect(countByPriority(chainDb, filter, T0 + 3_600_000).reduce((sum, p) => sum + p.count, 0)).toBe(ids.length);
      // Two values at once: each one's alerts, once.
      const both = EventFilter.parse({ from: 'all', chain: [chain, 'b'] });
      const union = [...new Set([...ids, ...idsUnder('b')])].sort((x, y) => y - x);
      expect(listEvents(chainDb, both, { limit: 50 }, T0 + 3_600_000).events.map((e) => e.id)).toEqual(union);
    },
  );
});

describe('pages of a common word', () => {
  // More matches than a page looks up one by one, written out of time order (late alerts, old
  // files imported after new ones), so that ids and times disagree.
  const ALERTS = 8_000;
  const T0 = Date.UTC(2026, 10, 1);
  const NOW = T0 + 3 * 86_400_000;
  let wordDb: Db;
  const minuteOf = (i: number) => (i * 7919) % ALERTS;
  beforeAll(() => {
    wordDb = openDatabase(':memory:');
    writeAlerts(
      wordDb,
      Array.from({ length: ALERTS }, (_, i) => {
        const word = i % 10 < 7 ? 'kestrel' : 'heron';
        const value = {
          time: new Date(T0 + minuteOf(i) * 30_000).toISOString(),
          rule: i % 3 === 0 ? 'r1' : 'r2',
          priority: 'Warning',
          output: `seen ${word} ${i}`,
          output_fields: {},
        };
        return toStoredAlert(FalcoAlert.parse(value), {}, JSON.stringify(value));
      }),
    );
  });
  afterAll(() => wordDb.close());

  /** Ids by plain string tests on the alerts as written, newest first. */
  const expectedIds = (word: string, rule?: string) =>
    Array.from({ length: ALERTS }, (_, i) => i)
      .filter(
        (i) =>
          (i % 10 < 7 ? 'kestrel' : 'heron') === word && (rule === undefined || (i % 3 === 0 ? 'r1' : 'r2') === rule),
      )
      .sort((a, b) => minuteOf(b) - minuteOf(a) || b - a)
      .map((i) => i + 1);

  const paged = (input: Record<string, unknown>, limit: number, pages = Infinity) => {
    const filter = EventFilter.parse({ from: 'all', ...input });
    const ids: number[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < pages; n++) {
      const page = listEvents(wordDb, filter, { limit, cursor }, NOW);
      ids.push(...page.events.map((e) => e.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    return ids;
  };

  it('hold exactly the alerts with the word, newest first, page after page', () => {
    expect(paged({ q: 'kestrel' }, 250)).toEqual(expectedIds('kestrel'));
    expect(paged({ q: 'kestrel' }, 1, 30)).toEqual(expectedIds('kestrel').slice(0, 30));
    expect(paged({ q: 'kestrel', rule: ['r2'] }, 333)).toEqual(expectedIds('kestrel', 'r2'));
    expect(paged({ q: 'heron' }, 100)).toEqual(expectedIds('heron'));
  });
});
