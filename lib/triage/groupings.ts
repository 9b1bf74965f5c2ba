// How alerts fold into triage groups: the groupings a user can choose, their names in URLs and the
// API, the key that names one group, and the list's answer. Plain data: client components import it.
import type { PriorityName } from '../falco/priorities';
import { formatTimeNs } from '../falco/time';
import type { TrendBuckets } from '../stats/trend-buckets';

/** A group's key fields; a grouping sets only its own. */
export interface GroupKeyFields {
  rule: string;
  image?: string | null;
  host?: string | null;
  /** Process names from the oldest known ancestor down to the process. */
  chain?: string[];
  user?: string | null;
  namespace?: string | null;
}

export const GROUPINGS = [
  { name: 'rule', code: 'r', parts: ['rule'] },
  { name: 'rule,image', code: 'ri', parts: ['rule', 'place'] },
  { name: 'rule,image,chain', code: 'ric', parts: ['rule', 'place', 'chain'] },
  { name: 'rule,chain,user', code: 'rcu', parts: ['rule', 'chain', 'user'] },
  { name: 'rule,namespace', code: 'rn', parts: ['rule', 'namespace'] },
] as const;

export type Grouping = (typeof GROUPINGS)[number];
export type GroupingName = Grouping['name'];
export type GroupingCode = Grouping['code'];
export type GroupPart = Grouping['parts'][number];

export const DEFAULT_GROUPING: GroupingName = 'rule,image,chain';
export const GROUPING_NAMES = GROUPINGS.map((g) => g.name) as readonly GroupingName[];

export const groupingNamed = (name: string): Grouping | undefined => GROUPINGS.find((g) => g.name === name);
export const groupingCoded = (code: string): Grouping | undefined => GROUPINGS.find((g) => g.code === code);

export const TRIAGE_STATUSES = ['open', 'acknowledged', 'resolved', 'benign'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];
export const isTriageStatus = (text: string): text is TriageStatus =>
  (TRIAGE_STATUSES as readonly string[]).includes(text);

/** A group's triage status as the API gives it; a group never set is open, with nothing else. */
export interface GroupStatusView {
  status: TriageStatus;
  setAt?: string;
  setBy?: string;
  note?: string | null;
  /** Its alerts after the status was set. */
  newSince?: number;
  /** Resolved, then fired again. */
  reopened?: boolean;
}

/** A stored status (lib/db/triage.ts) as the API answers it; a group never set is open. */
export function statusView(
  stored:
    | { status: TriageStatus; setNs: bigint; setBy: string; note: string | null; newSince: number; reopened: boolean }
    | undefined,
): GroupStatusView {
  if (!stored) return { status: 'open' };
  const { status, setNs, setBy, note, newSince, reopened } = stored;
  return { status, setAt: formatTimeNs(setNs), setBy, note, newSince, reopened };
}

/** A group's key as the API and URLs spell it: its grouping's code and 16 hex digits (`ric-0a1b…`). */
export const formatGroupKey = (code: GroupingCode, hex: string) => `${code}-${hex}`;

export interface ParsedGroupKey {
  grouping: Grouping;
  hex: string;
}

/** The grouping and hash of a key in the API's spelling; undefined when it is not one. */
export function parseGroupKey(text: string): ParsedGroupKey | undefined {
  const match = /^([a-z]{1,3})-([0-9a-f]{16})$/.exec(text);
  const grouping = match ? groupingCoded(match[1]!) : undefined;
  return grouping ? { grouping, hex: match![2]! } : undefined;
}

export const GROUP_SORTS = ['priority', 'count', 'lastSeen', 'firstSeen'] as const;
export type GroupSort = (typeof GROUP_SORTS)[number];

/** What /api/groups asks besides the alerts' filter. */
export interface GroupQuery {
  groupBy: GroupingName;
  sort: GroupSort;
  /** Only groups with one of these statuses; empty for all. */
  status: readonly TriageStatus[];
  cursor?: string;
  limit: number;
}

/** A group in /api/groups' answer. */
export interface GroupRow {
  key: string;
  fields: GroupKeyFields;
  worstPriority: PriorityName;
  count: number;
  firstSeen: string;
  lastSeen: string;
  firstSeenEver: string;
  lastSeenEver: string;
  containers: number;
  hosts: number;
  /** Counts per bucket of the list's `trend`, oldest first. */
  trend: number[];
  /** First seen inside the range. */
  new: boolean;
  status: GroupStatusView;
}

/** /api/groups' answer. */
export interface GroupList {
  groupBy: GroupingName;
  groups: GroupRow[];
  trend: TrendBuckets;
  nextCursor: string | null;
  /** False while older alerts are still being grouped (migration 0017's backfill). */
  complete: boolean;
}
