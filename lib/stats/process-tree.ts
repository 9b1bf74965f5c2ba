// Merges process chains (already counted per distinct chain in SQL) into one tree per container or
// host: root ancestors at the top, each node counting the alerts at or below it.
import { CHAIN_SEPARATOR, PID_SEPARATOR } from '../falco/ancestry';
import { priorityByRank } from '../falco/priorities';
import { noneLabel } from '../filters/dimensions';
import type { ProcessTreeNode, ProcessTreeScope } from './types';

export interface ChainCount {
  containerId: string | null;
  containerName?: string | null;
  hostname: string | null;
  chain: string;
  count: number;
  worstRank: number;
}

interface MutableNode {
  name: string;
  pid: number | null;
  chain: string;
  count: number;
  worstRank: number;
  children: Map<string, MutableNode>;
}

function scopeLabel(containerId: string | null, hostname: string | null, name: string | null): string {
  if (containerId === 'host') return `host ${hostname ?? ''}`.trim();
  if (containerId === null) return noneLabel('container');
  return name && name !== containerId ? `${name} (${containerId})` : containerId;
}

function freeze(node: MutableNode): ProcessTreeNode {
  return {
    name: node.name,
    pid: node.pid,
    chain: node.chain,
    count: node.count,
    worstPriority: priorityByRank(node.worstRank).name,
    children: [...node.children.values()].sort((a, b) => b.count - a.count).map(freeze),
  };
}

export function buildProcessTree(rows: readonly ChainCount[]): ProcessTreeScope[] {
  const scopes = new Map<
    string,
    {
      containerId: string | null;
      hostname: string | null;
      name: string | null;
      count: number;
      roots: Map<string, MutableNode>;
    }
  >();
  for (const row of rows) {
    const hostname = row.containerId === 'host' ? row.hostname : null;
    const scopeKey = `${row.containerId ?? ''}${CHAIN_SEPARATOR}${hostname ?? ''}`;
    let scope = scopes.get(scopeKey);
    if (!scope)
      scopes.set(
        scopeKey,
        (scope = {
          containerId: row.containerId,
          hostname,
          name: row.containerName ?? null,
          count: 0,
          roots: new Map(),
        }),
      );
    scope.count += row.count;

    // A node's chain is the row's chain up to and including its level: a slice, not a join, as
    // trees of thousands of deep chains are built on every refresh.
    let level = scope.roots;
    for (let start = 0; start <= row.chain.length; ) {
      const separator = row.chain.indexOf(CHAIN_SEPARATOR, start);
      const end = separator === -1 ? row.chain.length : separator;
      const part = row.chain.slice(start, end);
      let node = level.get(part);
      if (!node) {
        const pidAt = part.indexOf(PID_SEPARATOR);
        node = {
          name: pidAt === -1 ? part : part.slice(0, pidAt),
          pid: pidAt === -1 ? null : Number(part.slice(pidAt + 1)),
          chain: row.chain.slice(0, end),
          count: 0,
          worstRank: 7,
          children: new Map(),
        };
        level.set(part, node);
      }
      node.count += row.count;
      node.worstRank = Math.min(node.worstRank, row.worstRank);
      level = node.children;
      start = end + 1;
    }
  }
  return [...scopes.values()]
    .sort((a, b) => b.count - a.count)
    .map((scope) => ({
      containerId: scope.containerId,
      hostname: scope.hostname,
      label: scopeLabel(scope.containerId, scope.hostname, scope.name),
      count: scope.count,
      roots: [...scope.roots.values()].sort((a, b) => b.count - a.count).map(freeze),
    }));
}
