// Shapes of the aggregate endpoints behind the dashboard pages.
import type { EventSummary, PriorityCount } from '../events/types';
import type { PriorityName } from '../falco/priorities';
import type { TimelineBucket } from './buckets';
import type { TrendBuckets } from './trend-buckets';

export interface RangeSummary {
  /** Resolved bounds (ms); `from` is null for "all time". */
  from: number | null;
  to: number;
  total: number;
  priorities: PriorityCount[];
  /** The same counts for the range of the same length just before, when the range has a start. */
  previous: { from: number; to: number; total: number; priorities: PriorityCount[] } | null;
  /** Falco's own health events in the range (not counted in `total`). */
  internal: number;
}

/** What a timeline's series are: priorities, or the top rules or containers with the rest as "other". */
export type TimelineStack = 'priority' | 'rule' | 'container';

export interface Timeline {
  from: number;
  to: number;
  widthMs: number;
  /** Series in stacking order (priorities most severe first, or the top values then "other"). */
  series: string[];
  /** Display names where a series key is not one (container ids → container names). */
  labels: Record<string, string>;
  buckets: TimelineBucket[];
}

export interface TopValue {
  /** The filter value that selects this row (`(none)` for alerts without one). */
  value: string;
  label: string;
  count: number;
  worstPriority: PriorityName;
  /** For a host's processes shown as a pseudo-container: the host. */
  hostname?: string | null;
}

export interface RuleRow {
  rule: string;
  worstPriority: PriorityName;
  count: number;
  firstSeen: string;
  lastSeen: string;
  containers: number;
  hosts: number;
  /** Counts per bucket of the list's `trend`, oldest first. */
  trend: number[];
}

/** The rules list (/api/rules): the rules, and the buckets their trends count in. */
export interface RuleList {
  rules: RuleRow[];
  trend: TrendBuckets;
}

export interface ContainerRow {
  /** Container id, `host` for host processes (one row per host), or `(none)` for no container. */
  containerId: string;
  hostname: string | null;
  name: string | null;
  imageRepository: string | null;
  imageTag: string | null;
  k8sNamespace: string | null;
  k8sPod: string | null;
  count: number;
  worstPriority: PriorityName;
  lastSeen: string;
  topRules: { rule: string; count: number }[];
}

export interface ProcessTreeNode {
  name: string;
  pid: number | null;
  /** Root-first chain key of this node, the value of the `chain` filter. */
  chain: string;
  /** Alerts whose process is this node or one of its descendants. */
  count: number;
  worstPriority: PriorityName;
  children: ProcessTreeNode[];
}

export interface ProcessTreeScope {
  containerId: string | null;
  hostname: string | null;
  label: string;
  count: number;
  roots: ProcessTreeNode[];
}

/** /api/process-tree: the filter's process chains merged into one tree per container or host. */
export interface ProcessTree {
  scopes: ProcessTreeScope[];
  /** Only the most frequent chains (the `chains` parameter, 5,000 by default) are in the tree. */
  truncated: boolean;
  /**
   * Set when the tree is built from the newest matching alerts only: how many with process information
   * it holds, the oldest one's time, and how many match in all (null when only reading them all would
   * tell). Null when the tree holds every matching alert.
   */
  sample: { alerts: number; since: string; total: number | null } | null;
}

export interface RelatedEvents {
  nearby: EventSummary[];
  sameChain: EventSummary[];
  sameRuleElsewhere: EventSummary[];
}
