'use client';
// One live connection to GET /api/stream for a page's filter. Reconnects on its own with back-off
// and resumes from the last cursor, so the page receives every matching alert once.
import { useEffect, useRef, useState } from 'react';
import type { EventSummary } from '../events/types';
import { withBasePath } from '../base-path';
import { reconnectDelayMs } from './reconnect-delay';
import { HEARTBEAT_MS, type StreamMessage } from './stream-messages';

/**
 * live: connected and hearing heartbeats; reconnecting: connection lost, retrying; stale: connected
 * but silent too long; refused: the server turned this filter down (a 4xx: a search too broad to
 * follow, a view that may not read), which retrying would not change.
 */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'refused';

export interface AlertStreamHandlers {
  /** Newly committed alerts matching the filter (and, after a reconnect, the ones missed), oldest first. */
  onAlerts?: (alerts: EventSummary[]) => void;
  /**
   * The view may be out of date as a whole: a reconnect after a gap, or more arrived at once than
   * the stream sends alert by alert. Refetch.
   */
  onResync?: () => void;
  /**
   * The stream's first `ready`: every alert up to `cursor` is in the store and every later one will
   * arrive. The page's queries and the stream start in no set order, so what the page loaded before
   * it may lack alerts committed in between.
   */
  onFirstReady?: (cursor: number) => void;
}

export interface AlertStream {
  state: StreamState;
  /** When the newest alert arrived through the stream (ms since the epoch), if one did. */
  lastAlertAt: number | null;
}

const STALE_AFTER_MS = 2 * HEARTBEAT_MS + 5_000;

export function useAlertStream(query: string, handlers: AlertStreamHandlers, { enabled = true } = {}): AlertStream {
  const [state, setState] = useState<StreamState>('connecting');
  const [lastAlertAt, setLastAlertAt] = useState<number | null>(null);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let cursor: number | undefined;
    let attempt = 0;
    let connectedBefore = false;
    let lastHeardAt = Date.now();
    let closed = false;

    const read = <T extends StreamMessage>(event: Event): T => {
      lastHeardAt = Date.now();
      const message = JSON.parse((event as MessageEvent<string>).data) as T;
      cursor = message.cursor;
      return message;
    };

    const reconnectLater = (shown: StreamState = 'reconnecting') => {
      source?.close();
      source = null;
      if (closed) return;
      setState(shown);
      clearTimeout(retryTimer);
      retryTimer = setTimeout(connect, reconnectDelayMs(attempt++));
    };

    /**
     * EventSource says only "error", and gives up by itself on an answer other than a stream. Ask
     * the same URL once for its status: a 4xx will not change by retrying, anything else may.
     */
    const reconnectUnlessRefused = (url: string) => {
      source?.close();
      source = null;
      const probe = new AbortController();
      fetch(url, { signal: probe.signal, headers: { accept: 'text/event-stream' } })
        .then((response) => {
          probe.abort(); // a stream that opens this time is not read here: connect() opens its own
          if (closed) return;
          if (response.status >= 400 && response.status < 500) setState('refused');
          else reconnectLater();
        })
        .catch(() => reconnectLater());
    };

    function connect() {
      if (closed) return;
      const after = cursor === undefined ? '' : `after=${cursor}`;
      const url = withBasePath(`/api/stream?${[query, after].filter(Boolean).join('&')}`);
      const opened = new EventSource(url);
      source = opened;
      lastHeardAt = Date.now();
      source.addEventListener('ready', (event) => {
        const { cursor: readyAt } = read(event);
        attempt = 0;
        setState('live');
        // Counts and charts may have moved while we were away; the alerts themselves were resent.
        if (connectedBefore) handlersRef.current.onResync?.();
        else handlersRef.current.onFirstReady?.(readyAt);
        connectedBefore = true;
      });
      source.addEventListener('alerts', (event) => {
        const { alerts } = read<Extract<StreamMessage, { type: 'alerts' }>>(event);
        setLastAlertAt(Date.now());
        handlersRef.current.onAlerts?.(alerts);
      });
      source.addEventListener('reset', (event) => {
        read(event);
        handlersRef.current.onResync?.();
      });
      source.addEventListener('heartbeat', (event) => {
        read(event);
        setState((current) => (current === 'stale' ? 'live' : current));
      });
      // EventSource would retry on its own at a fixed pace and without our cursor; we do it instead.
      // CLOSED here means the server answered, with something other than a stream.
      source.onerror = () =>
        opened.readyState === EventSource.CLOSED ? reconnectUnlessRefused(url) : reconnectLater();
    }

    const watchdog = setInterval(() => {
      if (source && source.readyState === EventSource.OPEN && Date.now() - lastHeardAt > STALE_AFTER_MS) {
        reconnectLater('stale');
      }
    }, 5_000);
    const reconnectNow = () => {
      if (source?.readyState === EventSource.OPEN) return;
      attempt = 0;
      clearTimeout(retryTimer);
      source?.close();
      connect();
    };
    window.addEventListener('online', reconnectNow);

    setState('connecting');
    connect();
    return () => {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(watchdog);
      window.removeEventListener('online', reconnectNow);
      source?.close();
    };
  }, [query, enabled]);

  return { state, lastAlertAt };
}
