'use client';
// Keeps a dashboard page current: the page's counts, charts and lists refetch when alerts matching
// its filter arrive (at most every REFRESH_GAP_MS), instead of polling on a timer.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { eventKeys } from '../queries/events';
import { statsKeys } from '../queries/stats';
import { useAlertStream, type AlertStream, type AlertStreamHandlers } from './use-alert-stream';

// A steady flood of alerts refreshes the aggregates every 2 s, not once per alert.
const REFRESH_GAP_MS = 2_000;

export function useLiveRefresh(query: string, handlers: AlertStreamHandlers = {}): AlertStream {
  const queryClient = useQueryClient();
  const lastRefresh = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refreshNow = useCallback(() => {
    pending.current = undefined;
    lastRefresh.current = Date.now();
    void queryClient.invalidateQueries({ queryKey: statsKeys.all });
    void queryClient.invalidateQueries({ queryKey: eventKeys.priorityCounts('').slice(0, 2) });
    void queryClient.invalidateQueries({ queryKey: eventKeys.list('').slice(0, 2) });
    void queryClient.invalidateQueries({ queryKey: eventKeys.health() });
    // Infinite alert lists are left alone: their rows must not move under the reader.
  }, [queryClient]);

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
  });
}
