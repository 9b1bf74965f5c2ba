'use client';
// Keeps a dashboard page current as one: when alerts matching its filter arrive, its counts, charts
// and lists are refetched together (at most every REFRESH_GAP_MS) and reach the screen in one render
// with the new alerts in its lists (lib/live/page-sync.ts). No query polls on its own.
import { focusManager, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { EventSummary } from '../events/types';
import { useBatchedState } from './batched-state';
import { liveListsOf } from './live-lists';
import { PageSync } from './page-sync';
import { useAlertStream, type AlertStream } from './use-alert-stream';

// While nothing arrives, this slow refresh only moves relative ranges ("last 24h") along.
const BACKGROUND_REFRESH_MS = 60_000;

export interface LiveRefreshHandlers {
  /**
   * New alerts, handed over once every count on the page includes them, within the batch that
   * writes those counts: keep them in the query cache or in useBatchedState to show them together.
   */
  onAlerts?: (alerts: EventSummary[]) => void;
}

export interface LiveRefresh extends AlertStream {
  /** When the newest alert was put on screen through the stream (ms since the epoch), if one was. */
  lastAlertAt: number | null;
}

export function useLiveRefresh(query: string, handlers: LiveRefreshHandlers = {}): LiveRefresh {
  const queryClient = useQueryClient();
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const [lastAlertAt, setLastAlertAt] = useBatchedState<number | null>(null);
  const syncRef = useRef<PageSync | null>(null);

  // Declared before the stream's, so that the sync exists when the stream's first message comes.
  useEffect(() => {
    const sync = new PageSync(queryClient, {
      onAlerts: (alerts) => {
        setLastAlertAt(() => Date.now());
        handlersRef.current.onAlerts?.(alerts);
        for (const list of liveListsOf(queryClient, query)) list.onAlerts(alerts);
      },
      onResync: () => {
        for (const list of liveListsOf(queryClient, query)) list.onResync();
      },
    });
    syncRef.current = sync;
    const background = setInterval(() => {
      if (focusManager.isFocused()) sync.refresh();
    }, BACKGROUND_REFRESH_MS);
    const unsubscribeFocus = focusManager.subscribe((focused) => {
      if (focused) sync.refresh();
    });
    return () => {
      syncRef.current = null;
      sync.dispose();
      clearInterval(background);
      unsubscribeFocus();
    };
  }, [queryClient, query, setLastAlertAt]);

  const stream = useAlertStream(query, {
    onAlerts: (alerts) => syncRef.current?.receive(alerts),
    onResync: () => syncRef.current?.resync(),
    onFirstReady: (cursor) => syncRef.current?.catchUp(cursor),
  });
  return { ...stream, lastAlertAt };
}
