// The shapes the read API returns; pages import these types (never values from lib/db).
import type { AncestryLevel } from '../falco/ancestry';
import type { PriorityName } from '../falco/priorities';
import type { GroupStatusView } from '../triage/groupings';

export interface EventSummary {
  id: number;
  /**
   * Falco's time, UTC with nine fractional digits; the arrival time when Falco's was more than
   * PERCH_MAX_CLOCK_SKEW ahead of it (then `claimedTime` holds Falco's).
   */
  time: string;
  /** Present only when the alert's own time was too far ahead and `time` is its arrival. */
  claimedTime?: string;
  rule: string;
  priority: PriorityName;
  priorityRank: number;
  source: string | null;
  hostname: string | null;
  internal: boolean;
  uuid: string | null;
  output: string | null;
  tags: string[];
  containerId: string | null;
  containerName: string | null;
  imageRepository: string | null;
  imageTag: string | null;
  k8sNamespace: string | null;
  k8sPod: string | null;
  procName: string | null;
  procExepath: string | null;
  procCmdline: string | null;
  procPid: number | null;
  parentName: string | null;
  parentExepath: string | null;
  parentCmdline: string | null;
  parentPid: number | null;
  userName: string | null;
  evtType: string | null;
  fdName: string | null;
  output_fields: Record<string, unknown>;
}

export interface EventDetail extends EventSummary {
  /** Nanoseconds since the epoch, as a decimal string (exceeds 2^53). */
  timeNs: string;
  receivedAt: string;
  /** Level 0 is the process, 1 its parent, N its N-th ancestor; unknown levels have null fields. */
  ancestry: AncestryLevel[];
  /** The alert's JSON exactly as received. */
  raw: string;
  /** Its triage group under the default grouping; null until older alerts are grouped. */
  group: { key: string; status: GroupStatusView } | null;
}

export interface EventListResponse {
  events: EventSummary[];
  nextCursor: string | null;
}

export interface PriorityCount {
  priority: PriorityName;
  priorityRank: number;
  count: number;
}

export interface HealthReport {
  status: 'ok';
  version: string;
  events: number;
  newestEventTime: string | null;
}
