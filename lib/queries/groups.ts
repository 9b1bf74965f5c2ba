// react-query keys and options for triage groups. Every input of a fetch is part of its key.
import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { fetchJson } from '../api/fetch-json';
import type { GroupList } from '../triage/groupings';
import type { TriageStatus } from '../triage/groupings';
import type { GroupHistoryAnswer, StatusChangeAnswer } from '../triage/triage-service';

const groupKeys = {
  all: ['groups'] as const,
  pages: (query: string) => [...groupKeys.all, 'pages', query] as const,
  history: (key: string) => [...groupKeys.all, 'history', key] as const,
};

/** Keyset pages of groups; `query` holds the filter, groupBy, sort and status. */
const groupPagesOptions = (query: string, pageSize = 50) => {
  const pageUrl = (cursor: string) =>
    `/api/groups?${[query, `limit=${pageSize}`, cursor ? `cursor=${encodeURIComponent(cursor)}` : ''].filter(Boolean).join('&')}`;
  return infiniteQueryOptions({
    queryKey: groupKeys.pages(`${query}&limit=${pageSize}`),
    queryFn: ({ pageParam }) => fetchJson<GroupList>(pageUrl(pageParam)),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    meta: { url: pageUrl('') },
    // Rows leaving the list while the analyst works through it are the triage's own doing, not a focus change's.
    refetchOnWindowFocus: false,
  });
};

const groupHistoryOptions = (key: string) =>
  queryOptions({
    queryKey: groupKeys.history(key),
    queryFn: () => fetchJson<GroupHistoryAnswer>(`/api/groups/${encodeURIComponent(key)}/history`),
    meta: { url: `/api/groups/${encodeURIComponent(key)}/history` },
  });

interface StatusChange {
  groups: string[];
  status: TriageStatus;
  note?: string;
}

const setGroupStatus = (change: StatusChange) =>
  fetchJson<StatusChangeAnswer>('/api/groups/status', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });

export const useGroupPages = (query: string, pageSize?: number) => useInfiniteQuery(groupPagesOptions(query, pageSize));
export const useGroupHistory = (key: string) => useQuery(groupHistoryOptions(key));

/** Sets the status of groups; every list and history is refetched after it, changed or not. */
export function useSetGroupStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: setGroupStatus,
    onSettled: () => client.invalidateQueries({ queryKey: groupKeys.all }),
  });
}
