// How a container row reads: its name, short id, image and pod, for the list and the header alike.
import { findPriority, priorityByRank } from '@/lib/falco/priorities';
import { NONE_VALUE, noneLabel } from '@/lib/filters/dimensions';
import type { ContainerRow } from '@/lib/stats/types';

export const HOST_CONTAINER = 'host';

/** The name a person recognises: the container's name, `host <hostname>`, or `no container`. */
export function containerLabel(row: Pick<ContainerRow, 'containerId' | 'hostname' | 'name'>): string {
  if (row.containerId === HOST_CONTAINER) return `host ${row.hostname ?? ''}`.trim();
  if (row.containerId === NONE_VALUE) return noneLabel('container');
  return row.name ?? row.containerId;
}

/** Docker's short id (12 characters); host processes and "no container" have none. */
export function shortContainerId(containerId: string): string | null {
  if (containerId === HOST_CONTAINER || containerId === NONE_VALUE) return null;
  return containerId.length > 12 && /^[0-9a-f]+$/i.test(containerId) ? containerId.slice(0, 12) : containerId;
}

export function imageLabel(row: Pick<ContainerRow, 'imageRepository' | 'imageTag'>): string | null {
  if (!row.imageRepository) return null;
  return row.imageTag ? `${row.imageRepository}:${row.imageTag}` : row.imageRepository;
}

export function podLabel(row: Pick<ContainerRow, 'k8sNamespace' | 'k8sPod'>): string | null {
  if (!row.k8sNamespace && !row.k8sPod) return null;
  return [row.k8sNamespace, row.k8sPod].filter(Boolean).join('/');
}

/** Rules by count, the same rule from several rows added up. */
function mergeTopRules(rows: readonly ContainerRow[], limit = 3): ContainerRow['topRules'] {
  const counts = new Map<string, number>();
  for (const row of rows) for (const { rule, count } of row.topRules) counts.set(rule, (counts.get(rule) ?? 0) + count);
  return [...counts]
    .map(([rule, count]) => ({ rule, count }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule))
    .slice(0, limit);
}

/**
 * One summary of several rows: a container page whose scope matches more than one (`host` without
 * a hostname matches one row per host; a container name can match several restarted ids).
 */
export function mergeContainerRows(rows: readonly ContainerRow[]): ContainerRow | null {
  const [first, ...rest] = rows;
  if (!first) return null;
  if (rest.length === 0) return first;
  const worstRank = Math.min(...rows.map((row) => findPriority(row.worstPriority)?.rank ?? 7));
  const same = <K extends keyof ContainerRow>(key: K) =>
    rows.every((row) => row[key] === first[key]) ? first[key] : null;
  return {
    containerId: first.containerId,
    hostname: same('hostname'),
    name: same('name'),
    imageRepository: same('imageRepository'),
    imageTag: same('imageTag'),
    k8sNamespace: same('k8sNamespace'),
    k8sPod: same('k8sPod'),
    count: rows.reduce((sum, row) => sum + row.count, 0),
    worstPriority: priorityByRank(worstRank).name,
    lastSeen: rows.reduce((latest, row) => (row.lastSeen > latest ? row.lastSeen : latest), first.lastSeen),
    topRules: mergeTopRules(rows),
  };
}

export const containerKey = (row: Pick<ContainerRow, 'containerId' | 'hostname'>) =>
  `${row.containerId}\u001f${row.hostname ?? ''}`;
