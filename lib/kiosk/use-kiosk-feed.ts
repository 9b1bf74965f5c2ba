'use client';
// The kiosk's feed: the newest alerts at or above its priority, kept current from the live stream.
// Holds at most FEED_KEEP alerts however long the screen runs, so memory and DOM stay bounded.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { EventSummary } from '../events/types';
import { findPriority, type PriorityName } from '../falco/priorities';
import { useBatchedState } from '../live/batched-state';
import { newerFirst } from '../live/merge-pages';
import { eventListOptions } from '../queries/events';

const FEED_KEEP = 200;
const FEED_FIRST_LOAD = 60;

export interface FeedAlert extends EventSummary {
  /** Arrived through the stream while the screen was showing (highlighted for a few seconds). */
  fresh: boolean;
}

export function useKioskFeed(feedQuery: string, feedPriority: PriorityName) {
  const initial = useQuery(eventListOptions(`${feedQuery}&limit=${FEED_FIRST_LOAD}`));
  // Batched: streamed alerts come with the refreshed counts that include them, in the same render.
  const [arrivals, setArrivals] = useBatchedState<EventSummary[]>([]);
  const maxRank = findPriority(feedPriority)!.rank;

  /** Streamed alerts (the stream carries every priority; the feed keeps its own). */
  const add = useCallback(
    (alerts: EventSummary[]) => {
      const kept = alerts.filter((alert) => alert.priorityRank <= maxRank);
      if (kept.length === 0) return;
      setArrivals((current) => [...kept, ...current].sort(newerFirst).slice(0, FEED_KEEP));
    },
    [maxRank, setArrivals],
  );

  const alerts = useMemo<FeedAlert[]>(() => {
    const freshIds = new Set(arrivals.map((alert) => alert.id));
    const byId = new Map<number, EventSummary>();
    for (const alert of [...arrivals, ...(initial.data?.events ?? [])])
      if (!byId.has(alert.id)) byId.set(alert.id, alert);
    return [...byId.values()]
      .sort(newerFirst)
      .slice(0, FEED_KEEP)
      .map((alert) => ({ ...alert, fresh: freshIds.has(alert.id) }));
  }, [arrivals, initial.data]);

  return { alerts, add, isPending: initial.isPending && arrivals.length === 0, error: initial.error };
}
