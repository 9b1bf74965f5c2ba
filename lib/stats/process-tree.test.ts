import { describe, expect, it } from 'vitest';
import { CHAIN_SEPARATOR, PID_SEPARATOR } from '../falco/ancestry';
import { buildProcessTree, type ChainCount } from './process-tree';
import type { ProcessTreeNode, ProcessTreeScope } from './types';

/** A chain key, root first: `key('containerd-shim', ['bash', 50], 'sh')`. */
const key = (...levels: (string | [string, number])[]) =>
  levels
    .map((level) => (typeof level === 'string' ? level : `${level[0]}${PID_SEPARATOR}${level[1]}`))
    .join(CHAIN_SEPARATOR);

const row = (
  containerId: string | null,
  hostname: string | null,
  chain: string,
  count: number,
  worstRank = 5,
): ChainCount => ({
  containerId,
  hostname,
  chain,
  count,
  worstRank,
});

const child = (
  node: ProcessTreeNode | ProcessTreeScope | undefined,
  name: string,
  pid: number | null = null,
): ProcessTreeNode => {
  const list = node === undefined ? [] : 'roots' in node ? node.roots : node.children;
  const found = list.find((n) => n.name === name && n.pid === pid);
  if (!found)
    throw new Error(`no node ${name}${pid === null ? '' : `/${pid}`} among ${list.map((n) => n.name).join(', ')}`);
  return found;
};
const path = (scope: ProcessTreeScope | undefined, ...levels: (string | [string, number])[]) =>
  levels.reduce<ProcessTreeNode | ProcessTreeScope | undefined>(
    (node, level) => (typeof level === 'string' ? child(node, level) : child(node, level[0], level[1])),
    scope,
  ) as ProcessTreeNode;

const walk = (nodes: readonly ProcessTreeNode[], visit: (node: ProcessTreeNode) => void) => {
  for (const node of nodes) {
    visit(node);
    walk(node.children, visit);
  }
};

const ROWS: ChainCount[] = [
  row('c1', 'node-a', key('containerd-shim', 'bash'), 3, 5),
  row('c1', 'node-a', key('containerd-shim', 'bash', 'sh'), 2, 4),
  row('c1', 'node-a', key('containerd-shim', 'bash', 'cat'), 1, 2),
  row('c1', 'node-b', key('containerd-shim', 'bash', 'sh'), 4, 5),
  row('host', 'node-a', key('systemd', 'sshd', 'sudo', 'cat'), 3, 4),
  row('host', 'node-a', key('systemd', 'sshd', 'sudo', 'tee'), 1, 3),
  row('host', 'node-b', key('systemd', 'sshd', 'sudo', 'cat'), 2, 4),
  row(null, 'node-a', key('kube-apiserver'), 1, 4),
];

describe('buildProcessTree', () => {
  const scopes = buildProcessTree(ROWS);
  const scope = (containerId: string | null, hostname: string | null = null) => {
    const found = scopes.find((s) => s.containerId === containerId && s.hostname === hostname);
    if (!found) throw new Error(`no scope ${containerId} ${hostname}`);
    return found;
  };

  it('makes one scope per container and one per host for host processes', () => {
    expect(
      scopes.map((s) => ({ containerId: s.containerId, hostname: s.hostname, label: s.label, count: s.count })),
    ).toEqual([
      { containerId: 'c1', hostname: null, label: 'c1', count: 10 },
      { containerId: 'host', hostname: 'node-a', label: 'host node-a', count: 4 },
      { containerId: 'host', hostname: 'node-b', label: 'host node-b', count: 2 },
      { containerId: null, hostname: null, label: 'no container', count: 1 },
    ]);
  });

  it('roots each scope at the oldest ancestor and nests the chain below it', () => {
    const c1 = scope('c1');
    expect(c1.roots.map((n) => n.name)).toEqual(['containerd-shim']);
    expect(path(c1, 'containerd-shim', 'bash').children.map((n) => n.name)).toEqual(['sh', 'cat']);
    expect(path(scope('host', 'node-a'), 'systemd', 'sshd', 'sudo').children.map((n) => n.name)).toEqual([
      'cat',
      'tee',
    ]);
  });

  it('counts at each node the alerts at or below it', () => {
    const c1 = scope('c1');
    expect(path(c1, 'containerd-shim').count).toBe(10);
    expect(path(c1, 'containerd-shim', 'bash').count).toBe(10);
    expect(path(c1, 'containerd-shim', 'bash', 'sh').count).toBe(6);
    expect(path(c1, 'containerd-shim', 'bash', 'cat').count).toBe(1);
    expect(path(scope('host', 'node-a'), 'systemd').count).toBe(4);
    expect(path(scope('host', 'node-a'), 'systemd', 'sshd', 'sudo', 'tee').count).toBe(1);
  });

  it('adds up everywhere: scope = its roots, node >= its children, every alert counted once', () => {
    const total = ROWS.reduce((sum, r) => sum + r.count, 0);
    expect(scopes.reduce((sum, s) => sum + s.count, 0)).toBe(total);
    for (const s of scopes) {
      expect(
        s.roots.reduce((sum, n) => sum + n.count, 0),
        s.label,
      ).toBe(s.count);
      walk(s.roots, (node) => {
        const below = node.children.reduce((sum, n) => sum + n.count, 0);
        // What a node counts beyond its children are the alerts whose process is the node itself.
        const own = ROWS.filter(
          (r) =>
            r.chain === node.chain &&
            r.containerId === s.containerId &&
            (s.containerId !== 'host' || r.hostname === s.hostname),
        ).reduce((sum, r) => sum + r.count, 0);
        expect(node.count, node.chain).toBe(below + own);
      });
    }
  });

  it('gives each node the worst priority of the alerts at or below it', () => {
    const c1 = scope('c1');
    expect(path(c1, 'containerd-shim').worstPriority).toBe('Critical');
    expect(path(c1, 'containerd-shim', 'bash', 'sh').worstPriority).toBe('Warning');
    expect(path(c1, 'containerd-shim', 'bash', 'cat').worstPriority).toBe('Critical');
    const hostA = scope('host', 'node-a');
    expect(path(hostA, 'systemd').worstPriority).toBe('Error');
    expect(path(hostA, 'systemd', 'sshd', 'sudo', 'cat').worstPriority).toBe('Warning');
    expect(path(hostA, 'systemd', 'sshd', 'sudo', 'tee').worstPriority).toBe('Error');
  });

  it('merges a container seen on several hosts into one scope, but not the host processes of different hosts', () => {
    expect(scopes.filter((s) => s.containerId === 'c1')).toHaveLength(1);
    expect(scopes.filter((s) => s.containerId === 'host')).toHaveLength(2);
    expect(path(scope('host', 'node-b'), 'systemd', 'sshd', 'sudo', 'cat').count).toBe(2);
  });

  it('gives each node the chain key of its path, usable as the chain filter', () => {
    const c1 = scope('c1');
    expect(path(c1, 'containerd-shim').chain).toBe('containerd-shim');
    expect(path(c1, 'containerd-shim', 'bash', 'sh').chain).toBe(key('containerd-shim', 'bash', 'sh'));
    walk(c1.roots, (node) => {
      for (const c of node.children) expect(c.chain.startsWith(`${node.chain}${CHAIN_SEPARATOR}`)).toBe(true);
    });
  });

  it('makes distinct nodes for distinct pids of the same name, and for a name with and without a pid', () => {
    const [tree] = buildProcessTree([
      row('c2', null, key(['containerd-shim', 10], ['bash', 200]), 1),
      row('c2', null, key(['containerd-shim', 10], ['bash', 201]), 2),
      row('c2', null, key('containerd-shim', 'bash'), 5),
    ]);
    expect(tree?.roots.map((n) => [n.name, n.pid, n.count])).toEqual([
      ['containerd-shim', null, 5],
      ['containerd-shim', 10, 3],
    ]);
    const shim10 = child(tree, 'containerd-shim', 10);
    expect(shim10.children.map((n) => [n.name, n.pid, n.count])).toEqual([
      ['bash', 201, 2],
      ['bash', 200, 1],
    ]);
    expect(child(shim10, 'bash', 200).chain).toBe(key(['containerd-shim', 10], ['bash', 200]));
  });

  it('keeps unknown interior levels as `?` nodes', () => {
    const [tree] = buildProcessTree([
      row('c3', null, key('containerd-shim', '?', 'kinsing'), 2),
      row('c3', null, key('containerd-shim', 'sh', 'kinsing'), 2),
    ]);
    expect(path(tree, 'containerd-shim', '?', 'kinsing').count).toBe(2);
    expect(
      path(tree, 'containerd-shim')
        .children.map((n) => n.name)
        .sort(),
    ).toEqual(['?', 'sh']);
  });

  it('sorts scopes, roots and children by count, largest first', () => {
    const rows = [
      row('small', null, key('a'), 1),
      row('big', null, key('x', 'one'), 1),
      row('big', null, key('x', 'three'), 3),
      row('big', null, key('x', 'two'), 2),
      row('big', null, key('y'), 7),
    ];
    const tree = buildProcessTree(rows);
    expect(tree.map((s) => s.containerId)).toEqual(['big', 'small']);
    expect(tree[0]?.roots.map((n) => n.name)).toEqual(['y', 'x']);
    expect(path(tree[0], 'x').children.map((n) => n.name)).toEqual(['three', 'two', 'one']);
    for (const s of buildProcessTree(ROWS)) {
      walk(s.roots, (node) => {
        const counts = node.children.map((n) => n.count);
        expect(counts).toEqual([...counts].sort((x, y) => y - x));
      });
    }
  });

  it('returns no scopes for no rows', () => {
    expect(buildProcessTree([])).toEqual([]);
  });
});
