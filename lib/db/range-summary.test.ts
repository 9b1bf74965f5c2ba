import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { listEvents, priorityTotals } from './event-queries';
import type { Db } from './connection';
import { rangeSummary } from './range-summary';
import { topValues } from './top-values';
import { timeline } from './timeline';
import {
  ago,
  type Alert,
  ALERTS,
  C1,
  countIn,
  isoNs,
  key,
  LAST_HOUR,
  MINUTE,
  NOW,
  openDataSet,
  range1h,
  RS,
  SPECS,
  sum,
} from './aggregates-data-set';

let db: Db;
let TEXTS: string[];
const count = (filter: Record<string, unknown>, nowMs?: number) => countIn(db, filter, nowMs);

beforeAll(() => {
  ({ db, texts: TEXTS } = openDataSet());
});
afterAll(() => db.close());

describe('the hand-made data set', () => {
  it('has 22 detections and 2 internal events in the last hour', () => {
    expect(TEXTS).toHaveLength(SPECS.length);
    expect(LAST_HOUR).toHaveLength(22);
    expect(count({ from: '1h' })).toBe(22);
    expect(count({ from: '1h', internal: 'only' })).toBe(2);
  });
});

describe('rangeSummary', () => {
  it('counts the range per priority, most severe first, and leaves internal events out of the total', () => {
    const summary = rangeSummary(db, range1h, NOW);
    expect(summary.from).toBe(NOW - 60 * MINUTE);
    expect(summary.to).toBe(NOW);
    expect(summary.total).toBe(22);
    expect(summary.internal).toBe(2);
    expect(summary.priorities).toEqual([
      { priority: 'Emergency', priorityRank: 0, count: 0 },
      { priority: 'Alert', priorityRank: 1, count: 0 },
      { priority: 'Critical', priorityRank: 2, count: 5 },
      { priority: 'Error', priorityRank: 3, count: 1 },
      { priority: 'Warning', priorityRank: 4, count: 9 },
      { priority: 'Notice', priorityRank: 5, count: 7 },
      { priority: 'Informational', priorityRank: 6, count: 0 },
      { priority: 'Debug', priorityRank: 7, count: 0 },
    ]);
    expect(sum(summary.priorities.map((p) => p.count))).toBe(summary.total);
  });

  it('compares with the range of the same length just before, boundaries included once', () => {
    const { previous } = rangeSummary(db, range1h, NOW);
    expect(previous).not.toBeNull();
    expect(previous?.from).toBe(NOW - 120 * MINUTE);
    expect(previous?.to).toBe(NOW - 60 * MINUTE);
    expect(previous?.total).toBe(3);
    expect(
      Object.fromEntries(previous!.priorities.filter((p) => p.count > 0).map((p) => [p.priority, p.count])),
    ).toEqual({ Warning: 1, Notice: 2 });
  });

  it('works for absolute bounds and a range that ends before now', () => {
    const summary = rangeSummary(db, EventFilter.parse({ from: isoNs(ago(30)), to: isoNs(ago(10)) }), NOW);
    const inRange = (a: Alert, lo: bigint, hi: bigint) => !a.internal && a.ns >= lo && a.ns < hi;
    expect(summary.from).toBe(NOW - 30 * MINUTE);
    expect(summary.to).toBe(NOW - 10 * MINUTE);
    expect(summary.total).toBe(ALERTS.filter((a) => inRange(a, ago(30), ago(10))).length);
    expect(summary.previous?.total).toBe(ALERTS.filter((a) => inRange(a, ago(50), ago(30))).length);
    expect(summary.internal).toBe(ALERTS.filter((a) => a.internal && a.ns >= ago(30) && a.ns < ago(10)).length);
  });

  it('applies the other filters to current, previous and internal counts alike', () => {
    const summary = rangeSummary(db, EventFilter.parse({ from: '1h', hostname: ['node-b'] }), NOW);
    expect(summary.total).toBe(LAST_HOUR.filter((a) => a.hostname === 'node-b').length);
    expect(summary.total).toBe(10);
    expect(summary.previous?.total).toBe(0);
    expect(summary.internal).toBe(0);
  });

  it('reads a filter only the alerts can answer (free text, several tags) once, counting as the three reads would', () => {
    const threeReads = (filter: EventFilter, now: number) => {
      const { from, to } = rangeSummary(db, filter, now);
      const previous = priorityTotals(
        db,
        { ...filter, from: new Date(from! - (to - from!)).toISOString(), to: new Date(from!).toISOString() },
        now,
      );
      return {
        from,
        to,
        ...priorityTotals(db, filter, now),
        previous: { from: from! - (to - from!), to: from!, ...previous },
        internal: priorityTotals(db, { ...filter, internal: 'only' }, now).total,
      };
    };
    const cases: [Record<string, unknown>, number][] = [
      [{ from: '1h', q: 'node-a' }, NOW],
      [{ from: '2h', q: 'syscall' }, NOW],
      [{ from: '2h', q: 'sys*', internal: 'include' }, NOW],
      [{ from: '2h', q: 'drop', internal: 'only' }, NOW],
      [{ from: '90m', tag: ['shell', 'filesystem'] }, NOW],
      [{ from: isoNs(ago(100)), to: isoNs(ago(10)), q: 'root' }, NOW],
      [{ from: '1h', q: 'no-such-word' }, NOW],
      // Alerts newer than "now" (a clock behind the sender's): the range starts after it ends.
      [{ from: isoNs(ago(30)), q: 'node-a' }, NOW - 45 * MINUTE],
    ];
    for (const [input, now] of cases) {
      const filter = EventFilter.parse(input);
      const summary = rangeSummary(db, filter, now);
      expect(summary, JSON.stringify(input)).toEqual(threeReads(filter, now));
      if (input.q !== 'no-such-word')
        expect(summary.total + summary.previous!.total + summary.internal, JSON.stringify(input)).toBeGreaterThan(0);
    }
  });

  // Counts of free text read each match's time and priority from a narrow table when no other
  // condition needs the alert's row (lib/db/filter-sql.ts, matchedAlerts); a page reads the rows.
  it.each([
    {},
    { rule: [RS] },
    { priority: ['Critical', 'Warning'] },
    { minPriority: 'Error' },
    { hostname: ['node-b'] },
    { container: [C1.id] },
    { image: ['nginx:1.25'] },
    { namespace: ['prod'] },
    { pod: ['db-0'] },
    { user: ['root'] },
    { source: ['k8s_audit'] },
    { tag: ['filesystem'] },
    { proc: ['bash'] },
    { chain: [key('containerd-shim')] },
    { internal: 'only' },
    { internal: 'include' },
  ])('counts free text with %j as the pages list it', (extra) => {
    for (const q of ['alert', 'containerd*']) {
      const input = { from: '2h', q, ...extra };
      const listed = listEvents(db, EventFilter.parse(input), { limit: 1000 }, NOW).events;
      if (q === 'alert') expect(listed.length, JSON.stringify(input)).toBeGreaterThan(0); // every output ends in `(alert N)`
      const filter = EventFilter.parse(input);
      const summary = rangeSummary(db, filter, NOW);
      expect(summary.total, JSON.stringify(input)).toBe(listed.length);
      for (const { priority, count } of summary.priorities)
        expect(count, `${JSON.stringify(input)} ${priority}`).toBe(
          listed.filter((e) => e.priority === priority).length,
        );
      const buckets = timeline(db, filter, 'priority', 8, NOW).buckets;
      expect(sum(buckets.map((bucket) => sum(Object.values(bucket.counts)))), JSON.stringify(input)).toBe(
        listed.length,
      );
      const lastHour = listed.filter((e) => Date.parse(e.time) >= NOW - 60 * MINUTE);
      expect(priorityTotals(db, { ...filter, from: '1h' }, NOW).total, JSON.stringify(input)).toBe(lastHour.length);
      expect(sum(topValues(db, filter, 'rule', 50, NOW).map((row) => row.count)), JSON.stringify(input)).toBe(
        listed.length,
      );
      const tagged = topValues(db, filter, 'tag', 50, NOW).map((row) => [row.value, row.count]);
      const tagCounts = new Map<string, number>();
      for (const tag of listed.flatMap((e) => e.tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
      expect(Object.fromEntries(tagged), JSON.stringify(input)).toEqual(Object.fromEntries(tagCounts));
    }
  });

  it('has no previous range for all time', () => {
    const summary = rangeSummary(db, EventFilter.parse({ from: 'all' }), NOW);
    expect(summary.from).toBeNull();
    expect(summary.previous).toBeNull();
    expect(summary.total).toBe(ALERTS.filter((a) => !a.internal).length);
    expect(summary.internal).toBe(3);
  });
});
