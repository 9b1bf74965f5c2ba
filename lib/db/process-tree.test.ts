import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventFilter } from '../filters/event-filter';
import type { ProcessTreeNode, ProcessTreeScope } from '../stats/types';
import type { Db } from './connection';
import { processTree } from './process-tree';
import {
  type Alert,
  byBinary,
  C1,
  C2,
  C3,
  countIn,
  isoNs,
  key,
  LAST_HOUR,
  NOW,
  openDataSet,
  range1h,
  sum,
} from './aggregates-data-set';

let db: Db;
const count = (filter: Record<string, unknown>, nowMs?: number) => countIn(db, filter, nowMs);

beforeAll(() => {
  ({ db } = openDataSet());
});
afterAll(() => db.close());

describe('processTree', () => {
  const tree = () => processTree(db, range1h, 5_000, NOW);
  const walk = (nodes: readonly ProcessTreeNode[], visit: (node: ProcessTreeNode) => void) => {
    for (const node of nodes) {
      visit(node);
      walk(node.children, visit);
    }
  };

  /** A scope as the tests name it: the container id, or `host <hostname>`. */
  const scopeKey = (s: { containerId: string | null; hostname: string | null }) =>
    s.containerId === 'host' ? `host ${s.hostname ?? ''}`.trim() : String(s.containerId);

  it('has one scope per container and per host, counting the alerts with a process chain', () => {
    const { scopes, truncated } = tree();
    expect(truncated).toBe(false);
    const summary = scopes.map((s) => [scopeKey(s), s.count]).sort((x, y) => byBinary(String(x[0]), String(y[0])));
    expect(summary).toEqual([
      [C1.id, 6],
      [C2.id, 3],
      [C3.id, 4],
      ['host node-a', 4],
      ['host node-b', 2],
    ]);
    const counts = scopes.map((s) => s.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(sum(counts)).toBe(LAST_HOUR.filter((a) => a.chain).length);
    // Containers are labelled by name, with the id beside it.
    expect(scopes.find((s) => s.containerId === C1.id)?.label).toBe(`web (${C1.id})`);
  });

  it('merges chains root first, counting at each node the alerts at or below it', () => {
    const scope = (key: string) => tree().scopes.find((s) => scopeKey(s) === key)!;
    const shape = (nodes: readonly ProcessTreeNode[]): unknown =>
      nodes.map((n) => [n.name, n.pid, n.count, n.worstPriority, shape(n.children)]);
    expect(shape(scope(C1.id).roots)).toEqual([
      [
        'containerd-shim',
        null,
        6,
        'Warning',
        [
          [
            'bash',
            null,
            6,
            'Warning',
            [
              ['sh', null, 2, 'Notice', []],
              ['cat', null, 1, 'Warning', []],
            ],
          ],
        ],
      ],
    ]);
    expect(shape(scope('host node-a').roots)).toEqual([
      [
        'systemd',
        null,
        4,
        'Critical',
        [
          [
            'sshd',
            null,
            4,
            'Critical',
            [
              [
                'sudo',
                null,
                4,
                'Critical',
                [
                  ['cat', null, 3, 'Critical', []],
                  ['tee', null, 1, 'Error', []],
                ],
              ],
            ],
          ],
        ],
      ],
    ]);
    const c3 = shape(scope(C3.id).roots) as [string, null, number, string, unknown[]][];
    expect(c3).toHaveLength(1);
    expect(c3[0]?.slice(0, 4)).toEqual(['containerd-shim', null, 4, 'Critical']);
    expect((c3[0]![4] as unknown[][]).map((n) => [n[0], n[2]]).sort()).toEqual([
      ['?', 2],
      ['sh', 2],
    ]);
  });

  it('makes distinct nodes for distinct pids', () => {
    const c2 = tree().scopes.find((s) => s.containerId === C2.id)!;
    expect(c2.roots.map((n) => [n.name, n.pid, n.count])).toEqual([
      ['containerd-shim', 10, 2],
      ['containerd-shim', null, 1],
    ]);
    const shim10 = c2.roots.find((n) => n.pid === 10)!;
    const children = shim10.children.map((n) => [n.name, n.pid, n.count] as const);
    expect([...children].sort((x, y) => (x[1] ?? 0) - (y[1] ?? 0))).toEqual([
      ['bash', 200, 1],
      ['bash', 201, 1],
    ]);
    expect(shim10.children[0]?.chain).toBe(key(['containerd-shim', 10], ['bash', shim10.children[0]!.pid!]));
  });

  it("gives every node a chain filter that lists exactly the node's alerts in its scope", () => {
    for (const scope of tree().scopes) {
      const place =
        scope.containerId === 'host'
          ? { container: ['host'], hostname: [scope.hostname] }
          : { container: [scope.containerId] };
      walk(scope.roots, (node) => {
        expect(count({ from: '1h', ...place, chain: [node.chain] }), `${scope.label} ${node.chain}`).toBe(node.count);
      });
    }
  });

  it('says when it stopped at the limit of distinct chains', () => {
    // Distinct (container, host, chain) groups in the last hour: c1 3, c2 3, c3 2, host node-a 2, host node-b 1.
    expect(processTree(db, range1h, 11, NOW).truncated).toBe(false);
    const cut = processTree(db, range1h, 10, NOW);
    expect(cut.truncated).toBe(true);
    expect(sum(cut.scopes.map((s) => s.count))).toBeLessThan(19);
  });

  const WITH_CHAIN = LAST_HOUR.filter((a) => a.chain);
  const newestFirst = (alerts: readonly Alert[]) =>
    [...alerts].sort((x, y) => (y.ns > x.ns ? 1 : y.ns < x.ns ? -1 : 0));
  const keyOf = (a: Alert) => (a.container?.id === 'host' ? `host ${a.hostname}` : String(a.container?.id ?? null));
  const countsByScope = (alerts: readonly Alert[]) => {
    const counts = new Map<string, number>();
    for (const a of alerts) counts.set(keyOf(a), (counts.get(keyOf(a)) ?? 0) + 1);
    return [...counts.entries()].sort((x, y) => byBinary(x[0], y[0]));
  };
  const scopeCounts = (scopes: readonly ProcessTreeScope[]) =>
    scopes.map((s) => [scopeKey(s), s.count] as const).sort((x, y) => byBinary(x[0], y[0]));

  it('holds every matching alert when there are no more of them than it reads, and then reports no sample', () => {
    const whole = processTree(db, range1h, 5_000, NOW, WITH_CHAIN.length);
    expect(whole.sample).toBeNull();
    expect(whole.scopes).toEqual(tree().scopes);
  });

  it('holds only the newest alerts when there are more, and says since when and out of how many', () => {
    const newest = newestFirst(WITH_CHAIN).slice(0, 5);
    const { scopes, sample } = processTree(db, range1h, 5_000, NOW, 5);
    // The total counts every matching alert, with process information or not (the audit alerts have none).
    expect(sample).toEqual({ alerts: 5, since: isoNs(newest.at(-1)!.ns), total: LAST_HOUR.length });
    expect(scopeCounts(scopes)).toEqual(countsByScope(newest));
    // Narrowed to `since`, a node's chain filter lists exactly the alerts it counts.
    for (const scope of scopes) {
      const place =
        scope.containerId === 'host'
          ? { container: ['host'], hostname: [scope.hostname] }
          : { container: [scope.containerId] };
      walk(scope.roots, (node) =>
        expect(count({ from: sample!.since, ...place, chain: [node.chain] }), node.chain).toBe(node.count),
      );
    }
    // And the range narrowed to `since` gives the same tree, now whole.
    const narrowed = processTree(db, EventFilter.parse({ from: sample!.since }), 5_000, NOW, 5);
    expect(narrowed.sample).toBeNull();
    expect(narrowed.scopes).toEqual(scopes);
  });

  it('matches a container by id or by name as the filter does, reading the newest of either', () => {
    const matches = (a: Alert, values: readonly string[]) =>
      values.includes(a.container?.id ?? '(none)') ||
      (a.container?.name !== undefined && values.includes(a.container.name));
    for (const container of [
      [C1.id],
      ['web'],
      ['web', C1.id],
      ['db', C3.id],
      ['(none)', 'worker'],
      ['host'],
      ['no-such-container'],
    ]) {
      const filter = EventFilter.parse({ from: '1h', container });
      const matching = newestFirst(WITH_CHAIN.filter((a) => matches(a, container)));
      const whole = processTree(db, filter, 5_000, NOW);
      expect(scopeCounts(whole.scopes), JSON.stringify(container)).toEqual(countsByScope(matching));
      expect(whole.sample).toBeNull();
      const two = processTree(db, filter, 5_000, NOW, 2);
      expect(scopeCounts(two.scopes), JSON.stringify(container)).toEqual(countsByScope(matching.slice(0, 2)));
      expect(two.sample?.since ?? null, JSON.stringify(container)).toBe(
        matching.length > 2 ? isoNs(matching[1]!.ns) : null,
      );
    }
  });
});
