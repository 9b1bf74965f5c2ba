import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import { listEvents } from './event-queries';
import { openDatabase, type Db } from './connection';
import { topValues } from './top-values';
import { ago, C1, HOST, key, load, NOW, type Spec } from './aggregates-data-set';

describe('chain and (none) filters (filter-sql)', () => {
  let fdb: Db;
  const F: Spec[] = [
    /* 1 */ {
      ns: ago(5),
      rule: 'r',
      priority: 'Notice',
      hostname: 'node-a',
      container: C1,
      chain: ['sh', 'bash', 'containerd-shim'],
    },
    /* 2 */ {
      ns: ago(6),
      rule: 'r',
      priority: 'Notice',
      hostname: 'node-a',
      container: C1,
      chain: ['bash', 'containerd-shim'],
    },
    /* 3 */ {
      ns: ago(7),
      rule: 'r',
      priority: 'Notice',
      hostname: 'node-a',
      container: C1,
      chain: ['x', 'bashful', 'containerd-shim'],
    },
    /* 4 */ {
      ns: ago(8),
      rule: 'r',
      priority: 'Notice',
      hostname: 'node-a',
      container: C1,
      chain: [
        ['sh', 9],
        ['bash', 50],
        ['containerd-shim', 10],
      ],
    },
    /* 5 */ {
      ns: ago(9),
      rule: 'r',
      priority: 'Notice',
      hostname: 'node-a',
      container: C1,
      chain: ['a_b', 'kworker/0:1'],
    },
    /* 6 */ {
      ns: ago(10),
      rule: 'r',
      priority: 'Notice',
      hostname: 'node-a',
      container: C1,
      chain: ['axb', 'kworker/0:1'],
    },
    /* 7 */ {
      ns: ago(11),
      rule: 'r',
      priority: 'Notice',
      hostname: 'node-a',
      container: C1,
      chain: [null, 'containerd-shim'],
    },
    /* 8 */ { ns: ago(12), rule: 'k', priority: 'Warning', source: 'k8s_audit', hostname: 'node-a', user: 'alice' },
    /* 9 */ { ns: ago(13), rule: 'k', priority: 'Warning', source: 'k8s_audit', hostname: 'node-b', user: 'bob' },
    /* 10 */ { ns: ago(14), rule: 'old', priority: 'Notice', container: { id: 'eeeeeeeeeee5' } }, // no source, no host, no image
    /* 11 */ { ns: ago(15), rule: 'h', priority: 'Notice', hostname: 'node-a', container: HOST, chain: ['cat'] },
  ];
  const ids = (filter: Record<string, unknown>) =>
    listEvents(fdb, EventFilter.parse(filter), { limit: 100 })
      .events.map((e) => e.id)
      .sort((x, y) => x - y);

  beforeAll(() => {
    fdb = openDatabase(':memory:');
    load(fdb, F);
  });
  afterAll(() => fdb.close());

  it('chain selects the alerts at or below a node, not siblings whose names only start the same', () => {
    expect(ids({ chain: [key('containerd-shim')] })).toEqual([1, 2, 3, 7]);
    expect(ids({ chain: [key('containerd-shim', 'bash')] })).toEqual([1, 2]);
    expect(ids({ chain: [key('containerd-shim', 'bash', 'sh')] })).toEqual([1]);
    expect(ids({ chain: [key('containerd-shim', 'bas')] })).toEqual([]);
    expect(ids({ chain: [key('containerd-shim', '?')] })).toEqual([7]);
  });

  it('chain tells nodes with pids from nodes without', () => {
    expect(ids({ chain: [key(['containerd-shim', 10])] })).toEqual([4]);
    expect(ids({ chain: [key(['containerd-shim', 10], ['bash', 50], ['sh', 9])] })).toEqual([4]);
    expect(ids({ chain: [key(['containerd-shim', 1])] })).toEqual([]);
  });

  it('chain matches names literally: no wildcards', () => {
    expect(ids({ chain: [key('kworker/0:1', 'a_b')] })).toEqual([5]);
    expect(ids({ chain: [key('kworker/0:1')] })).toEqual([5, 6]);
    expect(ids({ chain: ['kworker/0:1%'] })).toEqual([]);
  });

  it('several chains are OR, and chain ANDs with other filters', () => {
    expect(ids({ chain: [key('containerd-shim', 'bash', 'sh'), key('kworker/0:1')] })).toEqual([1, 5, 6]);
    expect(ids({ chain: [key('containerd-shim')], q: '(alert 2)' })).toEqual([2]);
    expect(ids({ chain: [key('cat')], container: ['host'], hostname: ['node-a'] })).toEqual([11]);
  });

  it('(none) selects alerts without the value, alone or with other values', () => {
    expect(ids({ container: ['(none)'] })).toEqual([8, 9]);
    expect(ids({ container: ['(none)', C1.id] })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ids({ hostname: ['(none)'] })).toEqual([10]);
    expect(ids({ source: ['(none)'] })).toEqual([1, 2, 3, 4, 5, 6, 7, 10, 11]);
    expect(ids({ image: ['(none)'] })).toEqual([8, 9, 10, 11]);
    expect(ids({ image: ['(none)', 'nginx:1.25'] })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(ids({ namespace: ['(none)'] })).toEqual([8, 9, 10, 11]);
    expect(ids({ pod: ['(none)'] })).toEqual([8, 9, 10, 11]);
    expect(ids({ user: ['(none)'] })).toEqual([1, 2, 3, 4, 5, 6, 7, 10, 11]);
    expect(ids({ user: ['(none)'], container: ['(none)'] })).toEqual([]);
  });

  it('lists only named processes: an unknown process is not a value to filter by', () => {
    const rows = topValues(fdb, EventFilter.parse({}), 'proc', 50, NOW);
    expect(rows.find((r) => r.value === '(none)')).toBeUndefined();
    expect(rows.length).toBeGreaterThan(0);
  });
});

// Falco before 0.32 sends no hostname: host processes are then one `host` row with no host.
