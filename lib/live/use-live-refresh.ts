'use client';
// Keeps a dashboard page current: the page's counts, charts and lists refetch when alerts matching
// its filter arrive (at most every REFRESH_GAP_MS), instead of polling on a timer.
import { useQueryClient, type Query } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { newestIdIn } from '../api/fetch-json';
import { eventKeys } from '../queries/events';
import { statsKeys } from '../queries/stats';
import { useAlertStream, type AlertStream, type AlertStreamHandlers } from './use-alert-stream';

// A steady flood of alerts refreshes the aggregates every 2 s, not once per alert.
const REFRESH_GAP_MS = 2_000;

export function useLiveRefresh(query: string, handlers: AlertStreamHandlers = {}): AlertStream {
  const queryClient = useQueryClient();
  const lastRefresh = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const invalidate = useCallback((predicate?: (query: Query) => boolean) => {
    for (const queryKey of [statsKeys.all, eventKeys.priorityCounts('').slice(0, 2), eventKeys.list('').slice(0, 2), eventKeys.health()]) {
      void queryClient.invalidateQueries({ queryKey, predicate });
    }
    // Infinite alert lists are left alone: their rows must not move under the reader.
  }, [queryClient]);

  const refreshNow = useCallback(() => {
    pending.current = undefined;
    lastRefresh.current = Date.now();
    invalidate();
  }, [invalidate]);

  const refresh = useCallback(() => {
    if (pending.current) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_GAP_MS - Date.now());
    pending.current = setTimeout(refreshNow, wait);
  }, [refreshNow]);
  useEffect(() => () => clearTimeout(pending.current), []);

  return useAlertStream(query, {
    onAlerts: (alerts) => {
      refresh();
      handlers.onAlerts?.(alerts);
    },
    onResync: () => {
      refresh();
      handlers.onResync?.();
    },
    // An answer read before the stream started may lack an alert committed in that gap: refetch
    // those that do not reach the stream's first cursor (all of them when the server did not say).
    // Queries still loading are left to finish (their reads mostly come after the stream's start),
    // so that a page's first load is not sent twice.
    onFirstReady: (cursor) =>
      invalidate((query) => query.state.status === 'success' && query.state.fetchStatus === 'idle' && !((newestIdIn(query.state.data) ?? -1) >= cursor)),
  });
}
