import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { bucketWidthMs } from '../stats/buckets';
import type { Db } from './connection';
import { timeline } from './timeline';
import {
  ago,
  ALERTS,
  C1,
  C2,
  C3,
  CLEAR,
  DROP,
  K8S,
  LAST_HOUR,
  MINUTE,
  NOW,
  NS_PER_MS,
  openDataSet,
  PRIORITY_NAMES,
  range1h,
  RS,
  sum,
  TS,
  WRITE,
} from './aggregates-data-set';

let db: Db;

beforeAll(() => {
  ({ db } = openDataSet());
});
afterAll(() => db.close());

describe('timeline', () => {
  const totals = (buckets: { total: number }[]) => sum(buckets.map((b) => b.total));
  const seriesTotal = (buckets: { counts: Record<string, number> }[], series: string) =>
    sum(buckets.map((b) => b.counts[series] ?? 0));

  it('stacks by priority in buckets sized to the last hour; the buckets add up to the alerts in range', () => {
    const line = timeline(db, range1h, 'priority', 8, NOW);
    expect(line.from).toBe(NOW - 60 * MINUTE);
    expect(line.to).toBe(NOW);
    expect(line.widthMs).toBe(bucketWidthMs(60 * MINUTE));
    expect(line.series).toEqual([...PRIORITY_NAMES]);
    // NOW is on a boundary of every width: the buckets tile the hour exactly.
    expect(line.buckets).toHaveLength((60 * MINUTE) / line.widthMs);
    expect(line.buckets[0]?.start).toBe(NOW - 60 * MINUTE);
    expect(line.buckets.at(-1)?.start).toBe(NOW - line.widthMs);
    expect(totals(line.buckets)).toBe(22);
    for (const name of PRIORITY_NAMES) {
      expect(seriesTotal(line.buckets, name), name).toBe(LAST_HOUR.filter((a) => a.priority === name).length);
    }
  });

  it('puts each alert in the bucket of its time', () => {
    const line = timeline(db, range1h, 'priority', 8, NOW);
    const expected = new Map<number, number>();
    for (const a of LAST_HOUR) {
      const start = Math.floor(Number(a.ns / NS_PER_MS) / line.widthMs) * line.widthMs;
      expected.set(start, (expected.get(start) ?? 0) + 1);
    }
    for (const bucket of line.buckets)
      expect(bucket.total, new Date(bucket.start).toISOString()).toBe(expected.get(bucket.start) ?? 0);
  });

  it('stacks by the top rules with the rest as other', () => {
    const line = timeline(db, range1h, 'rule', 3, NOW);
    expect(line.series).toEqual([TS, RS, DROP, 'other']);
    expect(totals(line.buckets)).toBe(22);
    expect(seriesTotal(line.buckets, TS)).toBe(7);
    expect(seriesTotal(line.buckets, RS)).toBe(6);
    expect(seriesTotal(line.buckets, DROP)).toBe(4);
    expect(seriesTotal(line.buckets, 'other')).toBe(5);
  });

  it('drops the other series when the top values cover everything', () => {
    const line = timeline(db, range1h, 'rule', 8, NOW);
    expect(line.series).toEqual([TS, RS, DROP, K8S, CLEAR, WRITE]);
    expect(line.buckets.every((b) => !('other' in b.counts))).toBe(true);
    expect(totals(line.buckets)).toBe(22);
  });

  it('stacks by container with one series per host for host processes and one for no container', () => {
    const line = timeline(db, range1h, 'container', 8, NOW);
    expect(line.series).toEqual([C1.id, C3.id, 'host node-a', '(none)', C2.id, 'host node-b']);
    expect(line.series.map((s) => seriesTotal(line.buckets, s))).toEqual([6, 4, 4, 3, 3, 2]);
    expect(totals(line.buckets)).toBe(22);

    const top2 = timeline(db, range1h, 'container', 2, NOW);
    expect(top2.series).toEqual([C1.id, C3.id, 'other']);
    expect(top2.series.map((s) => seriesTotal(top2.buckets, s))).toEqual([6, 4, 12]);
    expect(totals(top2.buckets)).toBe(22);
  });

  it('covers all time from the oldest matching alert', () => {
    const line = timeline(db, EventFilter.parse({ from: 'all' }), 'priority', 8, NOW);
    const oldest = ALERTS.filter((a) => !a.internal).reduce((min, a) => (a.ns < min ? a.ns : min), ago(0));
    expect(line.from).toBe(Number(oldest / NS_PER_MS));
    expect(line.widthMs).toBe(30 * MINUTE);
    expect(line.buckets.length).toBeLessThanOrEqual(120);
    expect(totals(line.buckets)).toBe(ALERTS.filter((a) => !a.internal).length);
  });

  it('stays within 120 buckets and counts every alert when now is not on a bucket boundary', () => {
    const now = NOW + 7_654;
    const line = timeline(db, range1h, 'priority', 8, now);
    expect(totals(line.buckets)).toBe(
      ALERTS.filter((a) => !a.internal && a.ns >= BigInt(now - 60 * MINUTE) * NS_PER_MS).length,
    );
    expect(line.buckets.length).toBeLessThanOrEqual(120);
  });
});
