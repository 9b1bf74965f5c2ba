import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { newestIdIn, withNewestId } from '../api/fetch-json';
import type { EventListResponse, EventSummary } from '../events/types';
import { eventKeys, eventListOptions, eventPagesOptions, priorityCountsOptions } from '../queries/events';
import { relatedOptions, summaryOptions, timelineOptions } from '../queries/stats';
import { countedUpTo, keepCounted, liveKind } from './page-sync';

const alert = (id: number) =>
  ({ id, time: `2026-01-01T00:00:${String(id).padStart(2, '0')}.000000000Z` }) as EventSummary;
const list = (ids: number[], newest: number): EventListResponse =>
  withNewestId({ events: ids.map(alert), nextCursor: null }, newest);

describe('liveKind', () => {
  it('tells counts, lists and pages apart, and leaves other queries alone', () => {
    expect(liveKind(summaryOptions('from=1h').queryKey)).toBe('counts');
    expect(liveKind(timelineOptions('from=1h').queryKey)).toBe('counts');
    expect(liveKind(priorityCountsOptions('from=1h').queryKey)).toBe('counts');
    expect(liveKind(eventKeys.health())).toBe('counts');
    expect(liveKind(eventListOptions('from=1h&limit=20').queryKey)).toBe('list');
    expect(liveKind(eventPagesOptions('from=1h').queryKey)).toBe('pages');
    expect(liveKind(eventKeys.detail(7))).toBeNull();
    expect(liveKind(relatedOptions(7).queryKey)).toBeNull();
  });
});

describe('keepCounted', () => {
  it('drops the alerts newer than the counts include, and says what the copy holds', () => {
    const answer = list([12, 11, 10, 9], 12);
    const kept = keepCounted(answer, 10);
    expect(kept.events.map((event) => event.id)).toEqual([10, 9]);
    expect(newestIdIn(kept)).toBe(10);
    expect(keepCounted(answer, 12)).toBe(answer);
  });
});

describe('countedUpTo', () => {
  const clients: QueryClient[] = [];
  afterEach(() =>
    clients.splice(0).forEach((client) => {
      client.clear();
    }),
  );

  /** A client whose page shows these queries (observed, so active), with the given answers. */
  function page(shown: { key: readonly unknown[]; data?: unknown; error?: boolean }[]) {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    clients.push(client);
    for (const { key, data, error } of shown) {
      const never = () => new Promise<never>(() => {});
      const failing = () => Promise.reject(new Error('no'));
      if (data !== undefined) client.setQueryData(key, data);
      const observer = new QueryObserver(client, { queryKey: key, queryFn: error ? failing : never });
      observer.subscribe(() => {});
    }
    return client;
  }

  it('is the least newest id of the counts on the page; lists do not count', () => {
    const client = page([
      { key: summaryOptions('q').queryKey, data: withNewestId({ total: 3 }, 40) },
      { key: timelineOptions('q').queryKey, data: withNewestId({ buckets: [] }, 38) },
      { key: eventListOptions('q&limit=20').queryKey, data: list([41], 41) },
    ]);
    expect(countedUpTo(client)).toBe(38);
  });

  it('holds everything back while a count is loading, unless asked to ignore it', () => {
    const client = page([
      { key: summaryOptions('q').queryKey, data: withNewestId({ total: 3 }, 40) },
      { key: timelineOptions('q').queryKey },
    ]);
    expect(countedUpTo(client)).toBe(-Infinity);
    expect(countedUpTo(client, 'ignore')).toBe(40);
  });

  it('is unbounded on a page that shows no count', () => {
    expect(countedUpTo(page([{ key: eventListOptions('q&limit=20').queryKey, data: list([5], 5) }]))).toBe(Infinity);
  });

  it('leaves out a count in error (it shows no number)', async () => {
    const client = page([
      { key: summaryOptions('q').queryKey, data: withNewestId({ total: 3 }, 40) },
      { key: timelineOptions('q').queryKey, error: true },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(countedUpTo(client)).toBe(40);
  });
});
