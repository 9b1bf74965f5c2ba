// The alert lists of a page that take new alerts from its live sync (lib/live/page-sync.ts), found
// by the filter they list: a list registers itself, the page's sync hands it the alerts.
import type { QueryClient } from '@tanstack/react-query';
import type { EventSummary } from '../events/types';

export interface LiveList {
  /** Alerts the page's counts now include; called within the batch that writes those counts. */
  onAlerts(alerts: EventSummary[]): void;
  /** The page was reloaded as a whole, the list's first page included. */
  onResync(): void;
}

const registry = new WeakMap<QueryClient, Map<string, Set<LiveList>>>();

export function registerLiveList(client: QueryClient, query: string, list: LiveList): () => void {
  let byQuery = registry.get(client);
  if (!byQuery) registry.set(client, (byQuery = new Map()));
  const lists = byQuery.get(query) ?? new Set<LiveList>();
  byQuery.set(query, lists);
  lists.add(list);
  return () => {
    lists.delete(list);
    if (lists.size === 0 && byQuery.get(query) === lists) byQuery.delete(query);
  };
}

export function liveListsOf(client: QueryClient, query: string): LiveList[] {
  return [...(registry.get(client)?.get(query) ?? [])];
}
