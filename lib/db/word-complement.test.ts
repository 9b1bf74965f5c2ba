import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FalcoAlert, toStoredAlert, type StoredAlert } from '../falco/alert';
import { EventFilter } from '../filters/event-filter';
import { openDatabase, type Db } from './connection';
import { writeAlerts } from './event-writer';
import { rangeSummary } from './range-summary';
import { resolveRange } from './time-range';
import { timeline } from './timeline';
import { complementSummaryCounts, complementTimelineRows } from './word-complement';

// Counts of free text taken as the facets' stored counts less the alerts without the words must
// equal the plain read of every match (`rawOnly`), and be taken only where they pay.

const NOW = Date.parse('2026-03-01T12:00:00Z');
const MINUTE = 60_000;
const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

/**
 * Alert `i` of a store: on node-1 four times in five, where all but one in twenty say "kube" and
 * most are tagged `container`; on node-2 the rest, none saying it. Priorities and health events mixed.
 */
function alert(i: number, minutesAgo: number): StoredAlert {
  const node = i % 5 === 0 ? 'node-2' : 'node-1';
  const internal = i % 97 === 0;
  const raw = {
    time: new Date(NOW - minutesAgo * MINUTE - (i % 53) * 1_000).toISOString(),
    rule: internal ? 'Falco internal: syscall event drop' : i % 3 === 0 ? 'Rule A' : 'Rule B',
    priority: PRIORITIES[(i * 7) % 8],
    source: internal ? 'internal' : 'syscall',
    output: `${node === 'node-1' && i % 20 !== 1 ? 'kube api call' : 'plain call'} ${i}`,
    hostname: node,
    tags: node === 'node-1' && i % 11 !== 0 ? ['container', 'mitre'] : ['host'],
    output_fields: {},
  };
  return toStoredAlert(FalcoAlert.parse(raw), {}, JSON.stringify(raw));
}

let db: Db;
beforeAll(() => {
  db = openDatabase(':memory:');
  // Four days of alerts, oldest first, then some of the last day imported late.
  const count = 48_000;
  for (let start = 0; start < count; start += 1_000)
    writeAlerts(
      db,
      Array.from({ length: 1_000 }, (_, k) => alert(start + k, 4 * 1440 - ((start + k) * 4 * 1440) / count)),
    );
  writeAlerts(
    db,
    Array.from({ length: 1_000 }, (_, k) => alert(count + k, 1400 - k)),
  );
}, 120_000);
afterAll(() => db.close());

const f = (input: Record<string, unknown>) => EventFilter.parse(input);

const SERVED: Record<string, unknown>[] = [
  { from: '7d', q: 'kube', hostname: ['node-1'] },
  { from: '3d', q: 'kube api', hostname: ['node-1'] },
  { from: '3d', q: 'kube', hostname: ['node-1'], internal: 'include' },
  { from: '3d', q: 'kube', hostname: ['node-1'], internal: 'only' },
  { from: '3d', q: 'kube', hostname: ['node-1'], minPriority: 'Warning' },
  { from: '3d', q: 'kube', tag: ['container'] },
  // Edges inside a quarter hour, to the nanosecond.
  { from: '2026-02-26T10:07:13.123456789Z', to: '2026-02-28T23:52:01.5Z', q: 'kube', hostname: ['node-1'] },
];

const NOT_SERVED: Record<string, unknown>[] = [
  // Too many alerts of the facet lack the words.
  { from: '7d', q: 'kube', source: ['syscall'] },
  // Too few alerts with the words: reading them is quicker.
  { from: '7d', q: 'plain', hostname: ['node-1'] },
  { from: '7d', q: 'plain', hostname: ['node-2'] },
  // No facet, a prefix, or facets whose counts are not stored together.
  { from: '7d', q: 'kube' },
  { from: '7d', q: 'kub*', hostname: ['node-1'] },
  { from: '7d', q: 'kube', hostname: ['node-1'], tag: ['mitre'] },
];

const served = (input: Record<string, unknown>) => {
  const filter = f(input);
  const range = resolveRange(filter, NOW);
  const current = { ...range, toNs: range.toNs ?? BigInt(NOW) * 1_000_000n };
  const previous = { fromNs: current.fromNs! - (current.toNs - current.fromNs!), toNs: current.fromNs, nowMs: NOW };
  return {
    timeline: complementTimelineRows(db, filter, current, 3_600_000_000_000n),
    summary: complementSummaryCounts(db, filter, { current, previous }),
  };
};

describe('free-text counts as the facets counts less the alerts without the words', () => {
  it.each(SERVED)('are taken for %j', (input) => {
    const { timeline: rows, summary } = served(input);
    expect(rows?.length).toBeGreaterThan(0);
    expect(summary?.current.total).toBeGreaterThan(0);
  });

  it.each(NOT_SERVED)('are not taken for %j', (input) => {
    const { timeline: rows, summary } = served(input);
    expect(rows).toBeNull();
    expect(summary).toBeNull();
  });

  it.each([...SERVED, ...NOT_SERVED])('give the timeline and summary of the plain read: %j', (input) => {
    const filter = f(input);
    const read = (rawOnly: boolean) => ({
      timeline: timeline(db, filter, 'priority', 8, NOW, { rawOnly }),
      summary: rangeSummary(db, filter, NOW, { rawOnly }),
    });
    const expected = read(true);
    expect(expected.summary.total).toBeGreaterThan(0);
    expect(read(false)).toEqual(expected);
  });
});
