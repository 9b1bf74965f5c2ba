'use client';

import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveList } from '@/lib/live/use-live-list';
import { useEventPages } from '@/lib/queries/events';
import { PanelState } from '../ui/panel';
import { EventTable } from './event-table';

/**
 * Every alert of the current filter as a table that loads further keyset pages as the reader
 * scrolls, with the loading, error and empty states. Values in rows link to their filters. On a
 * live page, new alerts come in at the top (or behind an "N new alerts" notice once scrolled into).
 */
export function PagedEventTable({
  state,
  emptyMessage,
  testId,
  hideColumns,
}: {
  state: ReturnType<typeof useEventFilter>;
  emptyMessage: string;
  testId?: string;
  hideColumns?: readonly ('rule' | 'host' | 'container')[];
}) {
  const pages = useEventPages(state.query);
  const live = useLiveList(state.query);
  const events = pages.data?.pages.flatMap((page) => page.events) ?? [];
  return (
    <div ref={live.listTop} className="scroll-mt-16">
      {live.pendingAlerts > 0 && (
        // Floats over the list rather than taking a line in it, which would push the rows down.
        <button
          type="button"
          onClick={live.showPending}
          data-testid="new-alerts"
          className="fixed left-1/2 top-16 z-30 -translate-x-1/2 rounded-full bg-accent px-4 py-1.5 text-sm font-semibold text-accent-fg shadow-lg hover:opacity-90"
        >
          ↑ {live.pendingAlerts.toLocaleString()} new alert{live.pendingAlerts === 1 ? '' : 's'}: show
        </button>
      )}
      {pages.isPending ? (
        <PanelState kind="loading" />
      ) : pages.error ? (
        <PanelState kind="error" message={`Could not load alerts: ${pages.error.message}`} />
      ) : events.length === 0 ? (
        <PanelState kind="empty" message={emptyMessage} />
      ) : (
        <EventTable
          events={events}
          filterHref={(key, value) => state.href({ add: key, value })}
          hasMore={pages.hasNextPage}
          loadMore={() => void pages.fetchNextPage()}
          loadingMore={pages.isFetchingNextPage}
          testId={testId}
          hideColumns={hideColumns}
        />
      )}
    </div>
  );
}
