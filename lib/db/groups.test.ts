import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { DEFAULT_GROUPING, GROUPING_NAMES, type GroupQuery } from '../triage/groupings';
import { ALERTS, NOW, openDataSet, sum, type Alert } from './aggregates-data-set';
import type { Db } from './connection';
import { listEvents } from './event-queries';
import { listGroups } from './groups';

let db: Db;
beforeAll(() => {
  ({ db } = openDataSet());
});
afterAll(() => db.close());

const query = (extra: Partial<GroupQuery> = {}): GroupQuery => ({
  groupBy: DEFAULT_GROUPING,
  sort: 'count',
  status: [],
  limit: 1000,
  ...extra,
});
const filter = (input: Record<string, unknown> = {}) => EventFilter.parse({ from: 'all', ...input });

// The default grouping's key of an alert, from its spec alone.
function expectedKey(alert: Alert): string {
  const image = alert.container?.image;
  const place = image ? `image ${image}` : `host ${alert.hostname}`;
  const names = (alert.chain ?? []).map((level) =>
    level === null ? '?' : typeof level === 'string' ? level : level[0],
  );
  while (names.at(-1) === '?') names.pop();
  return [alert.rule, place, names.reverse().join('>')].join(' | ');
}
const rowKey = (fields: { rule: string; image?: string | null; host?: string | null; chain?: string[] }) =>
  [fields.rule, fields.image ? `image ${fields.image}` : `host ${fields.host}`, (fields.chain ?? []).join('>')].join(
    ' | ',
  );

describe('listGroups', () => {
  const detections = ALERTS.filter((a) => !a.internal);

  it('folds alerts alike in rule, place and process names, pids aside, and counts them all', () => {
    const { groups, complete } = listGroups(db, filter(), query(), NOW);
    expect(complete).toBe(true);
    const expected = new Map<string, number>();
    for (const alert of detections) expected.set(expectedKey(alert), (expected.get(expectedKey(alert)) ?? 0) + 1);
    expect(new Map(groups.map((g) => [rowKey(g.fields), g.count]))).toEqual(expected);
    expect(sum(groups.map((g) => g.count))).toBe(detections.length);
    expect(groups.map((g) => g.count)).toEqual([...groups.map((g) => g.count)].sort((a, b) => b - a));
    for (const group of groups) expect(group.key).toMatch(/^ric-[0-9a-f]{16}$/);
  });

  it('sums every grouping to the same alerts', () => {
    for (const groupBy of GROUPING_NAMES) {
      const { groups } = listGroups(db, filter(), query({ groupBy }), NOW);
      expect(sum(groups.map((g) => g.count)), groupBy).toBe(detections.length);
      expect(new Set(groups.map((g) => g.key)).size, groupBy).toBe(groups.length);
    }
    const byRule = listGroups(db, filter(), query({ groupBy: 'rule' }), NOW).groups;
    expect(byRule.map((g) => g.fields)).toEqual(byRule.map((g) => ({ rule: g.fields.rule })));
    expect(byRule.length).toBe(new Set(detections.map((a) => a.rule)).size);
  });

  it('reads the same from the half days’ counts as from every alert, over any range', () => {
    for (const from of ['1h', '6h', '26h', '3d', 'all']) {
      for (const sort of ['priority', 'count', 'lastSeen', 'firstSeen'] as const) {
        const f = filter({ from });
        const counted = listGroups(db, f, query({ sort }), NOW);
        const raw = listGroups(db, f, query({ sort }), NOW, { rawOnly: true });
        expect(counted, `${from} ${sort}`).toEqual(raw);
      }
    }
  });

  it('reads a rule filter from the counts too, through its atoms, the same as from every alert', () => {
    const rules = [...new Set(detections.map((a) => a.rule))];
    for (const from of ['1h', '3d', 'all'])
      for (const groupBy of GROUPING_NAMES)
        for (const rule of [...rules.map((r) => [r]), rules.slice(0, 2), ['no such rule']]) {
          const f = filter({ from, rule, minPriority: 'Debug' });
          const counted = listGroups(db, f, query({ groupBy }), NOW);
          expect(counted, `${from} ${groupBy} ${rule}`).toEqual(
            listGroups(db, f, query({ groupBy }), NOW, { rawOnly: true }),
          );
          expect(counted.groups.every((g) => rule.includes(g.fields.rule))).toBe(true);
          if (from === 'all')
            expect(sum(counted.groups.map((g) => g.count))).toBe(
              detections.filter((a) => rule.includes(a.rule)).length,
            );
        }
  });

  it('gives places, first and last alert, the trend and whether the group is new in the range', () => {
    const { groups, trend } = listGroups(db, filter({ from: '1h' }), query(), NOW);
    for (const group of groups) {
      const alerts = detections.filter(
        (a) => expectedKey(a) === rowKey(group.fields) && a.ns >= BigInt(NOW - 3_600_000) * 1_000_000n,
      );
      expect(group.count).toBe(alerts.length);
      expect(sum(group.trend)).toBe(alerts.length);
      expect(group.trend).toHaveLength(trend.buckets);
      expect(group.hosts).toBe(new Set(alerts.map((a) => a.hostname)).size);
      const every = detections.filter((a) => expectedKey(a) === rowKey(group.fields));
      expect(group.new).toBe(every.length === alerts.length);
    }
  });

  it('pages by keyset in every sort without losing or repeating a group', () => {
    for (const sort of ['priority', 'count', 'lastSeen', 'firstSeen'] as const) {
      const all = listGroups(db, filter(), query({ sort }), NOW).groups.map((g) => g.key);
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = listGroups(db, filter(), query({ sort, limit: 2, cursor }), NOW);
        paged.push(...page.groups.map((g) => g.key));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(paged, sort).toEqual(all);
    }
    expect(() => listGroups(db, filter(), query({ sort: 'count', cursor: 'bm9wZQ' }), NOW)).toThrow(/cursor/);
  });

  it('lists the same alerts under the group filter as the group counts, with other filters too', () => {
    const { groups } = listGroups(db, filter({ from: '1h' }), query(), NOW);
    for (const group of groups) {
      const f = filter({ from: '1h', group: [group.key], rule: [group.fields.rule] });
      expect(listEvents(db, f, { limit: 1000 }, NOW).events.length, group.key).toBe(group.count);
    }
    const nginx = listGroups(db, filter({ image: ['nginx'] }), query(), NOW).groups;
    expect(nginx.every((g) => g.fields.image === 'nginx')).toBe(true);
    expect(sum(nginx.map((g) => g.count))).toBe(detections.filter((a) => a.container?.image === 'nginx').length);
  });
});
