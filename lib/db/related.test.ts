import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEventOrThrow } from './event-queries';
import { openDatabase, type Db } from './connection';
import { relatedEvents } from './related';
import { ago, C1, C2, DROPPED, HOST, type Level, load, type Place, type Spec } from './aggregates-data-set';

describe('relatedEvents', () => {
  let rel: Db;
  const T = 30; // minutes before NOW
  const TEN_MIN_NS = 10n * 60n * 1_000_000_000n;
  const CHAIN: Level[] = ['sh', 'nginx', 'containerd-shim'];
  const R1 = 'Run shell untrusted';
  const R2 = 'Write below etc';
  const s = (ns: bigint, rule: string, host: string, place?: Place, chain?: Level[], source = 'syscall'): Spec => ({
    ns,
    rule,
    priority: 'Notice',
    source,
    hostname: host,
    container: place,
    chain,
  });
  const REL: Spec[] = [
    /* 1 */ s(ago(T), R1, 'node-a', C1, CHAIN), // the alert in a container
    /* 2 */ s(ago(T) + TEN_MIN_NS, R2, 'node-a', C1), // +10 min exactly: nearby
    /* 3 */ s(ago(T) - TEN_MIN_NS, R2, 'node-a', C1), // -10 min exactly: nearby
    /* 4 */ s(ago(T) + TEN_MIN_NS + 1n, R2, 'node-a', C1), // just outside
    /* 5 */ s(ago(T) - TEN_MIN_NS - 1n, R2, 'node-a', C1), // just outside
    /* 6 */ s(ago(T) + 60_000_000_000n, R2, 'node-a', C2), // same time, other container
    /* 7 */ s(ago(T) + 60_000_000_000n, R2, 'node-a', HOST), // same time, host of the same node
    /* 8 */ s(ago(T - 120), R1, 'node-b', C2), // same rule, other container
    /* 9 */ s(ago(T - 180), R1, 'node-a', C1), // same rule, same container, later: not "elsewhere"
    /* 10 */ s(ago(T - 240), R2, 'node-b', C2, CHAIN), // same chain elsewhere
    /* 11 */ s(ago(T - 250), R2, 'node-a', C1, ['bash', 'nginx', 'containerd-shim']), // other chain
    /* 12 */ s(ago(T - 260), R1, 'node-a', HOST), // same rule on a host
    /* 13 */ s(ago(T - 270), R1, 'node-b'), // same rule, no container (an older Falco without container fields)
    /* 14 */ s(ago(T - 5), R2, 'node-a', C1, CHAIN), // nearby and same chain
    // Host processes.
    /* 15 */ s(ago(T), R2, 'node-a', HOST, ['cat', 'sudo']),
    /* 16 */ s(ago(T) + 120_000_000_000n, R1, 'node-b', HOST), // other host's processes
    /* 17 */ s(ago(T) + 180_000_000_000n, R2, 'node-b', HOST), // same rule as 15, other host
    // No container (Kubernetes audit) on node-a.
    /* 18 */ s(ago(T), 'Disallowed K8s User', 'node-a', undefined, undefined, 'k8s_audit'),
    /* 19 */ s(ago(T) + 60_000_000_000n, 'Attach/Exec Pod', 'node-a', undefined, undefined, 'k8s_audit'),
    /* 20 */ s(ago(T) + 60_000_000_000n, 'Attach/Exec Pod', 'node-b', undefined, undefined, 'k8s_audit'),
    /* 21 */ { ns: ago(T) + 90_000_000_000n, rule: DROPPED, priority: 'Debug', source: 'internal', hostname: 'node-a' },
  ];
  const ids = (list: { id: number }[]) => list.map((e) => e.id);

  beforeAll(() => {
    rel = openDatabase(':memory:');
    load(rel, REL);
  });
  afterAll(() => rel.close());

  it('finds nearby alerts of the same container within ±10 minutes, newest first, bounds included', () => {
    const related = relatedEvents(rel, 1)!;
    expect(ids(related.nearby)).toEqual([2, 14, 3]);
  });

  it('finds alerts with the same process chain at any time and place', () => {
    // 10 is later than 14: newest first.
    expect(ids(relatedEvents(rel, 1)!.sameChain)).toEqual([10, 14]);
    expect(relatedEvents(rel, 18)!.sameChain).toEqual([]);
  });

  it('finds the same rule in other containers and on hosts, not in the same container', () => {
    const elsewhere = ids(relatedEvents(rel, 1)!.sameRuleElsewhere);
    expect(elsewhere).not.toContain(9);
    expect(elsewhere).toEqual(expect.arrayContaining([8, 12, 16]));
  });

  it('counts an alert without a container as elsewhere', () => {
    // Newest first: 13, 12 and 8 are hours after the alert, 16 two minutes after it.
    expect(ids(relatedEvents(rel, 1)!.sameRuleElsewhere)).toEqual([13, 12, 8, 16]);
  });

  it("looks for the same rule elsewhere among the rule's nearest alerts only, those of the same place included", () => {
    // After alert 1, its rule's alerts in time order: 16 (elsewhere), 8 (elsewhere), 9 (same container), 12, 13.
    expect(ids(relatedEvents(rel, 1, 20, 3)!.sameRuleElsewhere)).toEqual([8, 16]);
    expect(ids(relatedEvents(rel, 1, 20, 4)!.sameRuleElsewhere)).toEqual([12, 8, 16]);
  });

  it("scopes host processes to the alert's host", () => {
    const related = relatedEvents(rel, 15)!;
    expect(ids(related.nearby)).toEqual([7]);
    expect(ids(related.sameRuleElsewhere)).toEqual(expect.arrayContaining([17]));
    expect(ids(related.sameRuleElsewhere)).not.toContain(7);
  });

  it('scopes alerts without a container to their host', () => {
    const related = relatedEvents(rel, 18)!;
    expect(ids(related.nearby).filter((id) => id !== 21)).toEqual([19]);
  });

  // FORMAT.md §1: internal events are Falco's health reports, shown apart and not mixed into detections.
  it("leaves Falco's own health events out of related alerts", () => {
    expect(ids(relatedEvents(rel, 18)!.nearby)).not.toContain(21);
  });

  it('never includes the alert itself', () => {
    for (let id = 1; id <= REL.length; id++) {
      const related = relatedEvents(rel, id)!;
      for (const list of [related.nearby, related.sameChain, related.sameRuleElsewhere])
        expect(ids(list), `alert ${id}`).not.toContain(id);
    }
  });

  it('returns summaries, closest in time first, and honours the limit', () => {
    const all = relatedEvents(rel, 1)!;
    const self = getEventOrThrow(rel, 1);
    const gap = (time: string) => {
      const d = Date.parse(time) - Date.parse(self.time);
      return Math.abs(d);
    };
    const closest = [...all.nearby].sort((a, b) => gap(a.time) - gap(b.time))[0]!;
    const related = relatedEvents(rel, 1, 1)!;
    expect(ids(related.nearby)).toEqual([closest.id]);
    expect(related.sameChain).toHaveLength(1);
    expect(related.nearby[0]).toMatchObject({
      id: closest.id,
      rule: closest.rule,
      containerId: C1.id,
      time: closest.time,
    });
  });

  it('is undefined for an unknown id', () => {
    expect(relatedEvents(rel, 999)).toBeUndefined();
  });
});
