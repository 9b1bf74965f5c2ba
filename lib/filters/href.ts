// Links between views. Every chart bar, row and chip is a link built here, from the current filter
// plus one change, so a view's URL is always also its API query.
import type { GroupKeyFields } from '../triage/groupings';
import { NONE_VALUE } from './dimensions';
import { EventFilter, filterToSearchParams, type ListFilter } from './event-filter';

export type FilterChange =
  | { add: ListFilter; value: string }
  | { remove: ListFilter; value: string }
  | { set: Partial<EventFilter> };

export const EMPTY_FILTER: EventFilter = EventFilter.parse({});

export function applyChange(filter: EventFilter, change: FilterChange): EventFilter {
  if ('set' in change) return { ...filter, ...change.set };
  if ('add' in change) {
    const current = filter[change.add];
    return current.includes(change.value) ? filter : { ...filter, [change.add]: [...current, change.value] };
  }
  return { ...filter, [change.remove]: filter[change.remove].filter((value) => value !== change.value) };
}

/** `path?query` for a filter, optionally changed. */
export function filterHref(path: string, filter: EventFilter, ...changes: FilterChange[]): string {
  const next = changes.reduce(applyChange, filter);
  const query = filterToSearchParams(next).toString();
  return query ? `${path}?${query}` : path;
}

/** Only the time range of a filter: what carries over when moving between pages. */
export function rangeOnly(filter: EventFilter): EventFilter {
  return { ...EMPTY_FILTER, from: filter.from, to: filter.to };
}

export function eventHref(id: number): string {
  return `/events/${id}`;
}

export function ruleHref(rule: string, filter: EventFilter): string {
  return filterHref(`/rules/${encodeURIComponent(rule)}`, rangeOnly(filter));
}

/** A container's page; a host's processes are the pseudo-container `host` on that host. */
export function containerHref(containerId: string, hostname: string | null | undefined, filter: EventFilter): string {
  const scoped =
    containerId === 'host' && hostname ? { ...rangeOnly(filter), hostname: [hostname] } : rangeOnly(filter);
  return filterHref(`/containers/${encodeURIComponent(containerId)}`, scoped);
}

/**
 * The Alerts view of one triage group: the range, the group's key fields as filters (so the
 * indexes lead) and the group itself, which also pins what no filter spells, its process names.
 */
export function groupAlertsHref(group: { key: string; fields: GroupKeyFields }, filter: EventFilter): string {
  const { rule, image, host, user, namespace } = group.fields;
  const scoped: EventFilter = { ...rangeOnly(filter), rule: [rule], group: [group.key] };
  if (image) scoped.image = [image];
  else if (host !== undefined) scoped.hostname = [host ?? NONE_VALUE];
  if (user !== undefined) scoped.user = [user ?? NONE_VALUE];
  if (namespace !== undefined) scoped.namespace = [namespace ?? NONE_VALUE];
  return filterHref('/events', scoped);
}
