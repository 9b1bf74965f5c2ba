// Pure shaping of the rule page's breakdowns: containers told apart when names repeat, and the
// distinct process chains of /api/process-tree as a ranked list. Both come out as TopValue so
// BarList draws them like any other breakdown.
import { splitChainKey } from '@/lib/falco/ancestry';
import { findPriority, priorityByRank } from '@/lib/falco/priorities';
import type { ProcessTreeNode, ProcessTreeScope, TopValue } from '@/lib/stats/types';

/** Replicas share a container name (`kafka` ×3): those rows also show the container id. */
export function distinguishContainers(values: readonly TopValue[]): TopValue[] {
  const seen = new Map<string, number>();
  for (const value of values) seen.set(value.label, (seen.get(value.label) ?? 0) + 1);
  return values.map((value) =>
    (seen.get(value.label) ?? 0) > 1 && value.label !== value.value
      ? { ...value, label: `${value.label} · ${value.value}` }
      : value,
  );
}

/** `tmux › bash › sudo › cat`: a chain key as a person reads it (pids left out). */
export function chainLabel(key: string): string {
  return splitChainKey(key)
    .map((level) => (level.name === '?' ? 'unknown' : level.name))
    .join(' › ');
}

/**
 * The chains alerts ended in, across every scope, most frequent first. A count is what the chain's
 * filter selects, so a bar's number is what its link shows; chains that differ only by pid name the
 * pid of their last process so their rows do not read the same.
 */
export function distinctChains(scopes: readonly ProcessTreeScope[], limit = 8): TopValue[] {
  const ended = new Set<string>();
  const totals = new Map<string, { count: number; worstRank: number }>();
  const visit = (node: ProcessTreeNode) => {
    const below = node.children.reduce((sum, child) => sum + child.count, 0);
    if (node.count > below) ended.add(node.chain);
    const total = totals.get(node.chain) ?? { count: 0, worstRank: 7 };
    total.count += node.count;
    total.worstRank = Math.min(total.worstRank, findPriority(node.worstPriority)?.rank ?? 7);
    totals.set(node.chain, total);
    node.children.forEach(visit);
  };
  for (const scope of scopes) scope.roots.forEach(visit);

  const top = [...ended]
    .map((key): TopValue => {
      const total = totals.get(key) ?? { count: 0, worstRank: 7 };
      return {
        value: key,
        label: chainLabel(key),
        count: total.count,
        worstPriority: priorityByRank(total.worstRank).name,
      };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label) || a.value.localeCompare(b.value))
    .slice(0, limit);
  const repeated = new Map<string, number>();
  for (const chain of top) repeated.set(chain.label, (repeated.get(chain.label) ?? 0) + 1);
  return top.map((chain) => {
    const pid = splitChainKey(chain.value).at(-1)?.pid;
    return (repeated.get(chain.label) ?? 0) > 1 && pid != null
      ? { ...chain, label: `${chain.label} (pid ${pid})` }
      : chain;
  });
}
