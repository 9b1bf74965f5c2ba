import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { ruleRows } from './rules';
import { containerRows } from './containers';
import {
  ago,
  ALERTS,
  CLEAR,
  DROP,
  FROM_1H,
  isoNs,
  K8S,
  LAST_HOUR,
  MINUTE,
  NOW,
  NS_PER_MS,
  openDataSet,
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

describe('ruleRows', () => {
  const rows = () => ruleRows(db, range1h, NOW).rules;

  it('lists every rule in range, most alerts first, with its worst priority', () => {
    expect(rows().map((r) => [r.rule, r.count, r.worstPriority])).toEqual([
      [TS, 7, 'Notice'],
      [RS, 6, 'Critical'],
      [DROP, 4, 'Critical'],
      [K8S, 3, 'Warning'],
      [CLEAR, 1, 'Warning'],
      [WRITE, 1, 'Error'],
    ]);
  });

  it('gives first and last seen in the range, containers (a host counted per host) and hosts', () => {
    const byRule = new Map(rows().map((r) => [r.rule, r]));
    for (const rule of [TS, RS, DROP, K8S, CLEAR, WRITE]) {
      const alerts = LAST_HOUR.filter((a) => a.rule === rule);
      const times = alerts.map((a) => a.ns).sort((x, y) => (x < y ? -1 : 1));
      const row = byRule.get(rule)!;
      expect(row.firstSeen, rule).toBe(isoNs(times[0]!));
      expect(row.lastSeen, rule).toBe(isoNs(times.at(-1)!));
      expect(row.hosts, rule).toBe(new Set(alerts.map((a) => a.hostname)).size);
    }
    expect(byRule.get(TS)?.firstSeen).toBe(isoNs(ago(60)));
    expect(byRule.get(RS)).toMatchObject({ containers: 3, hosts: 2 });
    expect(byRule.get(TS)).toMatchObject({ containers: 2, hosts: 2 });
    expect(byRule.get(DROP)).toMatchObject({ containers: 1, hosts: 1 });
    expect(byRule.get(WRITE)).toMatchObject({ containers: 1, hosts: 1 });
  });

  it('counts as many containers for a rule as the containers view lists for it', () => {
    for (const row of rows()) {
      expect(row.containers, row.rule).toBe(
        containerRows(db, EventFilter.parse({ from: '1h', rule: [row.rule] }), 500, NOW).length,
      );
    }
  });

  it('gives each rule a trend over whole 3-minute buckets of the hour that sums to its count', () => {
    const { rules, trend } = ruleRows(db, range1h, NOW);
    expect(trend).toEqual({
      start: NOW - 60 * MINUTE,
      widthMs: 3 * MINUTE,
      buckets: 20,
      from: NOW - 60 * MINUTE,
      to: NOW,
    });
    for (const row of rules) {
      expect(row.trend, row.rule).toHaveLength(20);
      expect(sum(row.trend), row.rule).toBe(row.count);
      const expected = new Array<number>(20).fill(0);
      for (const a of LAST_HOUR.filter((x) => x.rule === row.rule)) {
        const index = Number((a.ns - FROM_1H) / (3n * BigInt(MINUTE) * NS_PER_MS));
        expected[index] = (expected[index] ?? 0) + 1;
      }
      expect(row.trend, row.rule).toEqual(expected);
    }
  });

  it('starts and ends the trend on whole buckets when now is mid-bucket, the partial ones counting only the range', () => {
    const now = NOW + 7_654;
    const { rules, trend } = ruleRows(db, range1h, now);
    // Whole buckets: the first starts before the range, the last ends after now.
    expect(trend).toEqual({
      start: NOW - 60 * MINUTE,
      widthMs: 3 * MINUTE,
      buckets: 21,
      from: now - 60 * MINUTE,
      to: now,
    });
    const inRange = LAST_HOUR.filter((a) => a.ns >= BigInt(now - 60 * MINUTE) * NS_PER_MS);
    for (const row of rules) {
      expect(row.trend, row.rule).toHaveLength(21);
      expect(sum(row.trend), row.rule).toBe(inRange.filter((a) => a.rule === row.rule).length);
    }
  });

  it('sums trends to counts for all time as well', () => {
    const { rules } = ruleRows(db, EventFilter.parse({ from: 'all' }), NOW);
    expect(sum(rules.map((r) => r.count))).toBe(ALERTS.filter((a) => !a.internal).length);
    for (const row of rules) expect(sum(row.trend), row.rule).toBe(row.count);
  });

  it('is empty when nothing matches', () => {
    expect(ruleRows(db, EventFilter.parse({ from: '1h', rule: ['No such rule'] }), NOW).rules).toEqual([]);
  });
});
