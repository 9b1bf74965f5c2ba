// Where each part of one alert links to: the alerts list filtered by that value, over a range that
// contains the alert. Pure functions, so the mapping can be tested without a browser.
import type { EventDetail } from '@/lib/events/types';
import { isValidSearchText, type EventFilter, type ListFilter } from '@/lib/filters/event-filter';
import { EMPTY_FILTER, filterHref } from '@/lib/filters/href';
import type { ExactJson } from './exact-json';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A range that contains an alert of this time: the last day or week while the alert is well
 * inside them (so the link still holds a while later), else the day on either side of it.
 */
export function rangeAround(time: string, nowMs = Date.now()): Pick<EventFilter, 'from' | 'to'> {
  const timeMs = Date.parse(time);
  if (Number.isNaN(timeMs)) return { from: '7d' };
  const age = nowMs - timeMs;
  if (age < 20 * HOUR_MS) return { from: '24h' };
  if (age < 6 * DAY_MS) return { from: '7d' };
  return { from: new Date(timeMs - DAY_MS).toISOString(), to: new Date(timeMs + DAY_MS).toISOString() };
}

/** The alert's range with some filters set: the base of every link on the page. */
export function rangeFilter(
  time: string,
  set: Partial<Record<ListFilter, string[]>> & { q?: string } = {},
  nowMs?: number,
): EventFilter {
  return { ...EMPTY_FILTER, ...rangeAround(time, nowMs), ...set };
}

/** output_fields keys whose value is exactly what a named filter matches. */
const FIELD_FILTERS: Record<string, ListFilter> = {
  'proc.name': 'proc',
  'user.name': 'user',
  'container.id': 'container',
  'k8s.ns.name': 'namespace',
  'k8s.pod.name': 'pod',
};

/** The text a field value shows and searches as; null for values that select nothing. */
function scalarText(value: ExactJson): string | null {
  if (value.kind === 'string') return value.value === '' || value.value === '<NA>' ? null : value.value;
  if (value.kind === 'number') return value.text;
  return null;
}

/**
 * `/events?…` showing the alerts that share this field value, or null when the value cannot be a
 * filter (null, empty, booleans, lists, text longer than the free-text search takes).
 */
export function fieldFilterHref(
  event: Pick<EventDetail, 'time' | 'hostname'>,
  key: string,
  value: ExactJson,
  nowMs?: number,
): string | null {
  const text = scalarText(value);
  if (text === null) return null;
  const named = FIELD_FILTERS[key];
  if (named) {
    // `host` is every host's processes: the host name keeps it to this one.
    const set =
      named === 'container' && text === 'host' && event.hostname
        ? { container: [text], hostname: [event.hostname] }
        : { [named]: [text] };
    return filterHref('/events', rangeFilter(event.time, set, nowMs));
  }
  // fd.name and everything else: free-text search, which covers every field value.
  const q = text.trim();
  if (q === '' || !isValidSearchText(q)) return null;
  return filterHref('/events', rangeFilter(event.time, { q }, nowMs));
}

/**
 * Alerts whose process or one of its ancestors is `name`, in the same container, or on the same
 * host for host processes and alerts without a container.
 */
export function ancestorHref(
  event: Pick<EventDetail, 'time' | 'hostname' | 'containerId'>,
  name: string,
  nowMs?: number,
): string {
  const scope =
    event.containerId && event.containerId !== 'host'
      ? { container: [event.containerId] }
      : event.hostname
        ? { hostname: [event.hostname] }
        : {};
  return filterHref('/events', rangeFilter(event.time, { proc: [name], ...scope }, nowMs));
}

const FIELD_GROUPS = [
  { id: 'process', label: 'Process', matches: (key: string) => key.startsWith('proc.') },
  { id: 'container', label: 'Container', matches: (key: string) => key.startsWith('container.') },
  { id: 'kubernetes', label: 'Kubernetes', matches: (key: string) => key.startsWith('k8s.') || key.startsWith('ka.') },
  { id: 'user', label: 'User', matches: (key: string) => key.startsWith('user.') },
  {
    id: 'file-network',
    label: 'File / network',
    matches: (key: string) => key.startsWith('fd.') || key.startsWith('net'),
  },
  { id: 'event', label: 'Event', matches: (key: string) => key.startsWith('evt.') },
] as const;

export type FieldGroupId = (typeof FIELD_GROUPS)[number]['id'] | 'other';

/** output_fields entries in groups (in the order above, `other` last), each keeping the alert's key order. */
export function groupFields<T>(entries: [string, T][]): { id: FieldGroupId; label: string; entries: [string, T][] }[] {
  const groups = [
    ...FIELD_GROUPS.map(({ id, label }) => ({ id: id as FieldGroupId, label, entries: [] as [string, T][] })),
    { id: 'other' as const, label: 'Other', entries: [] as [string, T][] },
  ];
  for (const entry of entries) {
    const index = FIELD_GROUPS.findIndex((group) => group.matches(entry[0]));
    groups[index === -1 ? groups.length - 1 : index]!.entries.push(entry);
  }
  return groups.filter((group) => group.entries.length > 0);
}
