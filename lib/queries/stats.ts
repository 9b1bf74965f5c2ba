// react-query options for the dashboard's aggregates. Every input of a fetch is in its key.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { fetchJson } from '../api/fetch-json';
import type { Dimension } from '../filters/dimensions';
import type { GroupList } from '../triage/groupings';
import type {
  ContainerRow,
  RangeSummary,
  RelatedEvents,
  RuleList,
  Timeline,
  TimelineStack,
  TopValue,
  ProcessTree,
} from '../stats/types';
import { liveQueryOptions } from './live-options';

export type { TimelineStack };

export const statsKeys = {
  all: ['stats'] as const,
  summary: (query: string) => [...statsKeys.all, 'summary', query] as const,
  timeline: (query: string, stack: TimelineStack) => [...statsKeys.all, 'timeline', stack, query] as const,
  top: (query: string, dimension: Dimension, limit: number) =>
    [...statsKeys.all, 'top', dimension, limit, query] as const,
  rules: (query: string) => [...statsKeys.all, 'rules', query] as const,
  containers: (query: string) => [...statsKeys.all, 'containers', query] as const,
  processTree: (query: string) => [...statsKeys.all, 'process-tree', query] as const,
  related: (id: number) => [...statsKeys.all, 'related', id] as const,
  openGroups: (query: string, limit: number) => [...statsKeys.all, 'open-groups', limit, query] as const,
};

const live = { ...liveQueryOptions, placeholderData: keepPreviousData } as const;
const withQuery = (path: string, query: string, extra = '') => `${path}?${[query, extra].filter(Boolean).join('&')}`;

// `meta.url`: the GET the query sends, so the server render can preload it (app/providers.tsx).
const get = <T>(url: string) => ({ queryFn: () => fetchJson<T>(url), meta: { url } });

export const summaryOptions = (query: string) =>
  queryOptions({
    queryKey: statsKeys.summary(query),
    ...get<RangeSummary>(withQuery('/api/stats/summary', query)),
    ...live,
  });

export const timelineOptions = (query: string, stack: TimelineStack = 'priority') =>
  queryOptions({
    queryKey: statsKeys.timeline(query, stack),
    ...get<Timeline>(withQuery('/api/stats/timeline', query, `stack=${stack}`)),
    ...live,
  });

const topOptions = (query: string, dimension: Dimension, limit = 10) =>
  queryOptions({
    queryKey: statsKeys.top(query, dimension, limit),
    ...get<{ values: TopValue[] }>(withQuery('/api/stats/top', query, `dimension=${dimension}&limit=${limit}`)),
    ...live,
  });

/** The open triage groups of the filter's alerts, most severe first (the overview's and kiosk's panel). */
const openGroupsOptions = (query: string, limit: number) =>
  queryOptions({
    queryKey: statsKeys.openGroups(query, limit),
    ...get<GroupList>(withQuery('/api/groups', query, `status=open&sort=priority&limit=${limit}`)),
    ...live,
  });

export const useOpenGroups = (query: string, limit = 8) => useQuery(openGroupsOptions(query, limit));

const rulesOptions = (query: string) =>
  queryOptions({ queryKey: statsKeys.rules(query), ...get<RuleList>(withQuery('/api/rules', query)), ...live });

const containersOptions = (query: string) =>
  queryOptions({
    queryKey: statsKeys.containers(query),
    ...get<{ containers: ContainerRow[] }>(withQuery('/api/containers', query)),
    ...live,
  });

const processTreeOptions = (query: string) =>
  queryOptions({
    queryKey: statsKeys.processTree(query),
    ...get<ProcessTree>(withQuery('/api/process-tree', query)),
    ...live,
  });

export const relatedOptions = (id: number) =>
  queryOptions({ queryKey: statsKeys.related(id), ...get<RelatedEvents>(`/api/events/${id}/related`) });

export const useSummary = (query: string) => useQuery(summaryOptions(query));
export const useTimeline = (query: string, stack?: TimelineStack) => useQuery(timelineOptions(query, stack));
export const useTop = (query: string, dimension: Dimension, limit?: number) =>
  useQuery(topOptions(query, dimension, limit));
export const useRules = (query: string) => useQuery(rulesOptions(query));
export const useContainers = (query: string) => useQuery(containersOptions(query));
export const useProcessTree = (query: string) => useQuery(processTreeOptions(query));
export const useRelated = (id: number) => useQuery(relatedOptions(id));
