'use client';

import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useEventPages } from '@/lib/queries/events';
import { PanelState } from '../ui/panel';
import { EventTable } from './event-table';

/**
 * Every alert of the current filter as a table that loads further keyset pages as the reader
 * scrolls, with the loading, error and empty states. Values in rows link to their filters.
 */
export function PagedEventTable({ state, emptyMessage, testId, hideColumns }: {
  state: ReturnType<typeof useEventFilter>;
  emptyMessage: string;
  testId?: string;
  hideColumns?: readonly ('rule' | 'host' | 'container')[];
}) {
  const pages = useEventPages(state.query);
  const events = pages.data?.pages.flatMap((page) => page.events) ?? [];
  if (pages.isPending) return <PanelState kind="loading" />;
  if (pages.error) return <PanelState kind="error" message={`Could not load alerts: ${pages.error.message}`} />;
  if (events.length === 0) return <PanelState kind="empty" message={emptyMessage} />;
  return (
    <EventTable
      events={events}
      filterHref={(key, value) => state.href({ add: key, value })}
      hasMore={pages.hasNextPage}
      loadMore={() => void pages.fetchNextPage()}
      loadingMore={pages.isFetchingNextPage}
      testId={testId}
      hideColumns={hideColumns}
    />
  );
}
