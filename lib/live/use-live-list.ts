'use client';
// An alert list (keyset pages) that takes new alerts from its page's live refresh. While the reader
// is at the top of the list they are put in place at once; once the reader has scrolled into it (or
// picked a row) they wait behind an "N new alerts" notice, so nothing moves under the reader's eyes.
import { notifyManager, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import type { EventSummary } from '../events/types';
import { eventPagesOptions } from '../queries/events';
import { useBatchedState } from './batched-state';
import { registerLiveList } from './live-lists';
import { insertIntoPages } from './merge-pages';

export function useLiveList(query: string) {
  const queryClient = useQueryClient();
  const listTop = useRef<HTMLDivElement>(null);
  // Batched, like the inserts: the notice appears with the counts that include its alerts.
  const [pending, setPending] = useBatchedState<EventSummary[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query is the trigger: it starts with nothing pending.
  useEffect(() => setPending(() => []), [query, setPending]);

  const insert = useCallback(
    (alerts: EventSummary[]) => {
      queryClient.setQueryData(eventPagesOptions(query).queryKey, (data) =>
        data ? { ...data, pages: insertIntoPages(data.pages, alerts) } : data,
      );
    },
    [queryClient, query],
  );

  useEffect(
    () =>
      registerLiveList(queryClient, query, {
        onAlerts: (alerts) => {
          const top = listTop.current;
          const reading =
            !top || top.getBoundingClientRect().top < 0 || top.querySelector('[aria-selected="true"]') !== null;
          if (reading) setPending((current) => [...current, ...alerts]);
          else insert(alerts);
        },
        onResync: () => setPending(() => []),
      }),
    [queryClient, query, insert, setPending],
  );

  const showPending = () => {
    notifyManager.batch(() => {
      insert(pending);
      setPending(() => []);
    });
    listTop.current?.scrollIntoView({ block: 'start' });
  };
  const shown = new Set(
    queryClient
      .getQueryData(eventPagesOptions(query).queryKey)
      ?.pages.flatMap((page) => page.events.map((event) => event.id)),
  );
  return { listTop, pendingAlerts: pending.filter((alert) => !shown.has(alert.id)).length, showPending };
}
