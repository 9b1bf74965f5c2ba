// The Groups page's URL state (groupBy, sort, status tab) and how a group reads: its chain, its
// place and its status line. Pure, so the unit tests cover it.
import { noneLabel } from '@/lib/filters/dimensions';
import type { EventFilter } from '@/lib/filters/event-filter';
import {
  DEFAULT_GROUPING,
  GROUP_SORTS,
  GROUPING_NAMES,
  TRIAGE_STATUSES,
  type GroupingName,
  type GroupKeyFields,
  type GroupStatusView,
  type GroupSort,
  type TriageStatus,
} from '@/lib/triage/groupings';

export const GROUPING_LABELS: Record<GroupingName, string> = {
  rule: 'Rule',
  'rule,image': 'Rule, image or host',
  'rule,image,chain': 'Rule, image or host, process chain',
  'rule,chain,user': 'Rule, process chain, user',
  'rule,namespace': 'Rule, namespace',
};

export const SORT_LABELS: Record<GroupSort, string> = {
  priority: 'Worst priority',
  count: 'Most alerts',
  lastSeen: 'Last seen',
  firstSeen: 'First seen',
};

export const STATUS_LABELS: Record<TriageStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  benign: 'Benign',
};

export type StatusTab = TriageStatus | 'all';
export const STATUS_TABS: readonly StatusTab[] = [...TRIAGE_STATUSES, 'all'];

/** The statuses a tab asks /api/groups for; "all" names every status, so the URL stays a valid filter. */
const tabStatuses = (tab: StatusTab): readonly TriageStatus[] => (tab === 'all' ? TRIAGE_STATUSES : [tab]);

export interface GroupsView {
  groupBy: GroupingName;
  sort: GroupSort;
  /** Null when the URL names a set of statuses no tab shows. */
  tab: StatusTab | null;
  statuses: readonly TriageStatus[];
}

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback;

/** The view a URL asks for; no `status` is the Open tab. */
export function readGroupsView(params: URLSearchParams, filter: Pick<EventFilter, 'status'>): GroupsView {
  const groupBy = oneOf(params.get('groupBy'), GROUPING_NAMES, DEFAULT_GROUPING);
  const sort = oneOf(params.get('sort'), GROUP_SORTS, 'priority');
  const named = [...new Set(filter.status)].filter((s): s is TriageStatus =>
    (TRIAGE_STATUSES as readonly string[]).includes(s),
  );
  if (named.length === 0) return { groupBy, sort, tab: 'open', statuses: ['open'] };
  const tab = named.length === TRIAGE_STATUSES.length ? 'all' : named.length === 1 ? named[0]! : null;
  return { groupBy, sort, tab, statuses: named };
}

export type ViewChange = { groupBy: GroupingName } | { sort: GroupSort } | { tab: StatusTab };

/** The same page with one view setting changed; defaults leave the URL, and so does a stale cursor. */
export function viewHref(pathname: string, params: URLSearchParams, change: ViewChange): string {
  const next = new URLSearchParams(params);
  next.delete('cursor');
  if ('groupBy' in change) setOrDelete(next, 'groupBy', change.groupBy, DEFAULT_GROUPING);
  if ('sort' in change) setOrDelete(next, 'sort', change.sort, 'priority');
  if ('tab' in change) {
    next.delete('status');
    if (change.tab !== 'open') for (const status of tabStatuses(change.tab)) next.append('status', status);
  }
  const query = next.toString();
  return query ? `${pathname}?${query}` : pathname;
}

function setOrDelete(params: URLSearchParams, name: string, value: string, fallback: string) {
  if (value === fallback) params.delete(name);
  else params.set(name, value);
}

/** What the page keeps besides the filter when the filter bar changes the URL. */
export function keepViewParams(href: string, view: Pick<GroupsView, 'groupBy' | 'sort'>): string {
  const [path, query = ''] = href.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  setOrDelete(params, 'groupBy', view.groupBy, DEFAULT_GROUPING);
  setOrDelete(params, 'sort', view.sort, 'priority');
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const CHAIN_SHOWN = 6;

/** A chain oldest ancestor first, `a › b › c`; a long one keeps its newest processes. */
export function chainText(chain: readonly string[], all = false): string {
  if (chain.length === 0) return 'no known processes';
  if (all || chain.length <= CHAIN_SHOWN) return chain.join(' › ');
  return `… › ${chain.slice(-CHAIN_SHOWN + 1).join(' › ')}`;
}

/** The key fields besides the rule, each as a label and the text to show. */
export function placeFields(fields: GroupKeyFields): { label: string; value: string; none: boolean }[] {
  const parts: { label: string; value: string; none: boolean }[] = [];
  const add = (label: string, value: string | null | undefined, none: string) =>
    parts.push(value == null ? { label, value: none, none: true } : { label, value, none: false });
  if (fields.image != null) add('image', fields.image, '');
  else if ('host' in fields) add('host', fields.host, noneLabel('hostname'));
  if ('user' in fields) add('user', fields.user, noneLabel('user'));
  if ('namespace' in fields) add('namespace', fields.namespace, noneLabel('namespace'));
  return parts;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `5 min ago`, `3 h ago`, `2 d ago`; a time ahead of the clock says `in …`. */
export function relativeTime(iso: string, nowMs: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const delta = nowMs - ms;
  const size = Math.abs(delta);
  // Within a minute either way is now: the server's clock and the browser's need not agree.
  if (size < MINUTE) return 'just now';
  const text =
    size < HOUR
      ? `${Math.floor(size / MINUTE)} min`
      : size < 2 * DAY
        ? `${Math.floor(size / HOUR)} h`
        : `${Math.floor(size / DAY)} d`;
  return delta >= 0 ? `${text} ago` : `in ${text}`;
}

/** The line under a status: what happened since it was set, else who set it and when. */
export function statusLine(status: GroupStatusView, nowMs: number): { text: string; alarm: boolean } | null {
  if (status.setAt === undefined) return null;
  const since = relativeTime(status.setAt, nowMs);
  const newSince = status.newSince ?? 0;
  const alerts = `${newSince.toLocaleString()} new`;
  if (status.reopened) return { text: `reopened: ${alerts} since ${since}`, alarm: true };
  if ((status.status === 'acknowledged' || status.status === 'benign') && newSince > 0)
    return { text: `${alerts} since ${since}`, alarm: false };
  return { text: `by ${status.setBy ?? 'unknown'}, ${since}`, alarm: false };
}
