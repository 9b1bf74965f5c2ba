// The dimensions alerts are grouped by (top lists, chart series, filter pickers). Each one maps to
// the filter that selects a value of it, so every bar, slice and row can link to its filter.
import type { ListFilter } from './event-filter';

export const DIMENSIONS = {
  rule: { label: 'Rule', filter: 'rule' },
  priority: { label: 'Priority', filter: 'priority' },
  source: { label: 'Source', filter: 'source' },
  hostname: { label: 'Host', filter: 'hostname' },
  container: { label: 'Container', filter: 'container' },
  image: { label: 'Image', filter: 'image' },
  namespace: { label: 'Namespace', filter: 'namespace' },
  pod: { label: 'Pod', filter: 'pod' },
  user: { label: 'User', filter: 'user' },
  proc: { label: 'Process', filter: 'proc' },
  tag: { label: 'Tag', filter: 'tag' },
  tactic: { label: 'MITRE tactic', filter: 'tag' },
  technique: { label: 'MITRE technique', filter: 'tag' },
} as const satisfies Record<string, { label: string; filter: ListFilter }>;

export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

/** Stands for "no value" (a k8s_audit alert has no container) in filters and group keys. */
export const NONE_VALUE = '(none)';

/** MITRE ATT&CK tags as Falco's rules write them: `mitre_execution` or `TA0002`, `T1059.004`. */
export const isMitreTactic = (tag: string) => /^mitre_[a-z_]+$/.test(tag) || /^TA\d{4}$/.test(tag);
export const isMitreTechnique = (tag: string) => /^T\d{4}(?:\.\d{3})?$/.test(tag);

export function mitreTacticLabel(tag: string): string {
  return tag
    .replace(/^mitre_/, '')
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
