import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './connection';
import { topValues } from './top-values';
import { timeline } from './timeline';
import { containerRows } from './containers';
import {
  ago,
  C1,
  C2,
  C3,
  CLEAR,
  HOST,
  isoNs,
  K8S,
  LAST_HOUR,
  load,
  NOW,
  openDataSet,
  type Place,
  range1h,
  RS,
  type Spec,
  SPECS,
  sum,
  TS,
  WRITE,
} from './aggregates-data-set';

let db: Db;

beforeAll(() => {
  ({ db } = openDataSet());
});
afterAll(() => db.close());

describe('containerRows', () => {
  const rows = () => containerRows(db, range1h, 500, NOW);

  it('has one row per container, one per host for host processes, and one `(none)` row', () => {
    expect(rows().map((r) => [r.containerId, r.hostname, r.count, r.worstPriority])).toEqual([
      [C1.id, null, 6, 'Warning'],
      [C3.id, null, 4, 'Critical'],
      ['host', 'node-a', 4, 'Critical'],
      ['(none)', null, 3, 'Warning'],
      [C2.id, null, 3, 'Warning'],
      ['host', 'node-b', 2, 'Warning'],
    ]);
    expect(sum(rows().map((r) => r.count))).toBe(22);
  });

  it('describes each container and when it was last seen', () => {
    const c1 = rows().find((r) => r.containerId === C1.id);
    expect(c1).toMatchObject({
      name: 'web',
      imageRepository: 'nginx',
      imageTag: '1.25',
      k8sNamespace: 'prod',
      k8sPod: 'web-1',
      lastSeen: isoNs(SPECS[0]!.ns),
    });
    const none = rows().find((r) => r.containerId === '(none)');
    expect(none).toMatchObject({ name: null, imageRepository: null, k8sPod: null });
    const hostB = rows().find((r) => r.containerId === 'host' && r.hostname === 'node-b');
    expect(hostB?.lastSeen).toBe(
      isoNs(
        LAST_HOUR.filter((a) => a.container === HOST && a.hostname === 'node-b')
          .map((a) => a.ns)
          .reduce((x, y) => (x > y ? x : y)),
      ),
    );
  });

  it('lists the top rules of each container in count order', () => {
    const byKey = new Map(rows().map((r) => [`${r.containerId} ${r.hostname ?? ''}`, r.topRules]));
    expect(byKey.get(`${C1.id} `)).toEqual([
      { rule: TS, count: 5 },
      { rule: RS, count: 1 },
    ]);
    expect(byKey.get(`${C2.id} `)).toEqual([
      { rule: TS, count: 2 },
      { rule: CLEAR, count: 1 },
    ]);
    expect(byKey.get('host node-a')).toEqual([
      { rule: RS, count: 3 },
      { rule: WRITE, count: 1 },
    ]);
    expect(byKey.get('host node-b')).toEqual([{ rule: RS, count: 2 }]);
    expect(byKey.get('(none) ')).toEqual([{ rule: K8S, count: 3 }]);
  });

  it('stops at the limit', () => {
    expect(containerRows(db, range1h, 2, NOW).map((r) => r.containerId)).toEqual([C1.id, C3.id]);
  });

  describe('with many rules in one container', () => {
    let busy: Db;
    beforeAll(() => {
      busy = openDatabase(':memory:');
      const place: Place = { id: 'ddddddddddd4', name: 'busy' };
      // Rules interleaved in time so insertion order says nothing about counts.
      const plan: [string, number][] = [
        ['E rule', 1],
        ['B rule', 3],
        ['D rule', 1],
        ['A rule', 4],
        ['C rule', 2],
        ['F rule', 3],
      ];
      const specs: Spec[] = [];
      for (let round = 0; round < 4; round++) {
        for (const [rule, n] of plan) {
          if (round < n)
            specs.push({ ns: ago(10 + specs.length), rule, priority: 'Notice', hostname: 'node-a', container: place });
        }
      }
      load(busy, specs);
    });
    afterAll(() => busy.close());

    it('keeps at most three, most frequent first, ties by name', () => {
      const [row] = containerRows(busy, range1h, 500, NOW);
      expect(row?.count).toBe(14);
      expect(row?.topRules).toEqual([
        { rule: 'A rule', count: 4 },
        { rule: 'B rule', count: 3 },
        { rule: 'F rule', count: 3 },
      ]);
    });
  });
});

describe('host processes without a hostname', () => {
  let hostless: Db;
  beforeAll(() => {
    hostless = openDatabase(':memory:');
    load(hostless, [
      { ns: ago(5), rule: 'h', priority: 'Notice', container: HOST },
      { ns: ago(6), rule: 'h', priority: 'Notice', container: HOST },
      { ns: ago(7), rule: 'c', priority: 'Notice', container: C1 },
    ]);
  });
  afterAll(() => hostless.close());

  it('are one `host` row in the container top list', () => {
    const top = topValues(hostless, range1h, 'container', 10, NOW);
    expect(top.map((r) => [r.value, r.hostname, r.label, r.count])).toEqual([
      ['host', null, 'host', 2],
      [C1.id, null, 'web', 1],
    ]);
    expect(containerRows(hostless, range1h, 500, NOW).map((r) => [r.containerId, r.hostname, r.count])).toEqual([
      ['host', null, 2],
      [C1.id, null, 1],
    ]);
  });

  it('are counted in their own series of the container timeline, not in other', () => {
    const line = timeline(hostless, range1h, 'container', 8, NOW);
    const total = (series: string) => sum(line.buckets.map((b) => b.counts[series] ?? 0));
    expect(sum(line.buckets.map((b) => b.total))).toBe(3);
    expect(line.series).toEqual(['host', C1.id]);
    expect(total('host')).toBe(2);
    expect(total(C1.id)).toBe(1);
  });
});
