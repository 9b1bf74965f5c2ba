// What the queries of a live page share: lib/live/page-sync.ts refetches them together (when alerts
// arrive, on focus, every minute) and swaps the answers in at once, so none refetches on its own.
import { replaceEqualDeep } from '@tanstack/react-query';
import { newestIdIn, withNewestId } from '../api/fetch-json';

export const liveQueryOptions = {
  refetchOnWindowFocus: false,
  refetchOnReconnect: false,
  // Shares unchanged parts as react-query does by default, keeping the answer's newest id with them.
  structuralSharing: (previous: unknown, next: unknown): unknown =>
    withNewestId(replaceEqualDeep(previous, next), newestIdIn(next)),
} as const;
