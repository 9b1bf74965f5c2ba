// react-query keys and options for alerts. Every input of a fetch is part of its key.
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { FetchError, fetchJson } from '../api/fetch-json';
import type { EventDetail, EventListResponse, HealthReport, PriorityCount } from '../events/types';
import { liveQueryOptions } from './live-options';

export const eventKeys = {
  all: ['events'] as const,
  list: (query: string) => [...eventKeys.all, 'list', query] as const,
  pages: (query: string) => [...eventKeys.all, 'pages', query] as const,
  detail: (id: number) => [...eventKeys.all, 'detail', id] as const,
  priorityCounts: (query: string) => [...eventKeys.all, 'priority-counts', query] as const,
  health: () => ['health'] as const,
};

export const eventListOptions = (query: string) =>
  queryOptions({
    queryKey: eventKeys.list(query),
    queryFn: () => fetchJson<EventListResponse>(`/api/events?${query}`),
    // The GET the query sends, so the server render can preload it (app/providers.tsx).
    meta: { url: `/api/events?${query}` },
    ...liveQueryOptions,
  });

/** Keyset pages of a filter, for infinite scroll. Not refetched: new alerts are put in place (lib/live/live-lists.ts). */
export const eventPagesOptions = (query: string, pageSize = 100) => {
  const pageUrl = (cursor: string) =>
    `/api/events?${[query, `limit=${pageSize}`, cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&')}`;
  return infiniteQueryOptions({
    queryKey: eventKeys.pages(`${query}&limit=${pageSize}`),
    queryFn: ({ pageParam }) => fetchJson<EventListResponse>(pageUrl(pageParam)),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    meta: { url: pageUrl('') },
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
};

export const eventDetailOptions = (id: number) =>
  queryOptions({
    queryKey: eventKeys.detail(id),
    queryFn: () => fetchJson<EventDetail>(`/api/events/${id}`),
    meta: { url: `/api/events/${id}` },
    // An alert that is not there will not appear on a retry; say so at once.
    retry: (failures, error) => !(error instanceof FetchError && error.status === 404) && failures < 1,
  });

export const priorityCountsOptions = (query: string) =>
  queryOptions({
    queryKey: eventKeys.priorityCounts(query),
    queryFn: () => fetchJson<{ total: number; priorities: PriorityCount[] }>(`/api/stats/priorities?${query}`),
    meta: { url: `/api/stats/priorities?${query}` },
    ...liveQueryOptions,
  });

const healthOptions = () =>
  queryOptions({
    queryKey: eventKeys.health(),
    queryFn: () => fetchJson<HealthReport>('/api/health'),
    meta: { url: '/api/health' },
    ...liveQueryOptions,
  });

export const useEventList = (query: string) => useQuery(eventListOptions(query));
export const useHealth = () => useQuery(healthOptions());
export const useEventPages = (query: string, pageSize?: number) => useInfiniteQuery(eventPagesOptions(query, pageSize));
