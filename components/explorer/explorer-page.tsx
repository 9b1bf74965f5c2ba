'use client';

import { DataLink } from '@/components/ui/data-link';
import { useSearchParams } from 'next/navigation';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { EventSummary } from '@/lib/events/types';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { insertIntoPages } from '@/lib/live/merge-pages';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { eventPagesOptions } from '@/lib/queries/events';
import { useSummary } from '@/lib/queries/stats';
import { ProcessTreePanel } from '../ancestry/process-tree-panel';
import { TimelinePanel } from '../charts/timeline-panel';
import { PagedEventTable } from '../events/paged-event-table';
import { FilterBar } from '../filters/filter-bar';
import { LiveBadge } from '../live/live-badge';
import { Panel } from '../ui/panel';
import { ExportMenu } from './export-menu';

function AlertList({ state, pendingAlerts, showPending }: {
  state: ReturnType<typeof useEventFilter>;
  pendingAlerts: number;
  showPending: () => void;
}) {
  return (
    <>
      {pendingAlerts > 0 && (
        // Floats over the list rather than taking a line in it, which would push the rows down.
        <button type="button" onClick={showPending} data-testid="new-alerts"
          className="fixed left-1/2 top-16 z-30 -translate-x-1/2 rounded-full bg-accent px-4 py-1.5 text-sm font-semibold text-accent-fg shadow-lg hover:opacity-90">
          ↑ {pendingAlerts.toLocaleString()} new alert{pendingAlerts === 1 ? '' : 's'}: show
        </button>
      )}
      <PagedEventTable state={state} emptyMessage="No alerts match this filter in this range." />
    </>
  );
}

/**
 * New alerts for the explorer's list. While the reader is at the top of the list they are put in
 * place at once; once the reader has scrolled into it (or picked a row) they wait behind an
 * "N new alerts" notice, so nothing moves under the reader's eyes.
 */
function useLiveAlertList(query: string, listTop: RefObject<HTMLDivElement | null>) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<EventSummary[]>([]);
  const pagesKey = eventPagesOptions(query).queryKey;
  useEffect(() => setPending([]), [query]);

  const insert = useCallback((alerts: EventSummary[]) => {
    queryClient.setQueryData(pagesKey, (data) => (data ? { ...data, pages: insertIntoPages(data.pages, alerts) } : data));
  }, [queryClient, pagesKey]);

  const stream = useLiveRefresh(query, {
    onAlerts: (alerts) => {
      const top = listTop.current;
      const reading = !top || top.getBoundingClientRect().top < 0 || top.querySelector('[aria-selected="true"]') !== null;
      if (reading) setPending((current) => [...current, ...alerts]);
      else insert(alerts);
    },
    // More arrived than the stream sends one by one, or we were away: reload the list from the top.
    onResync: () => {
      setPending([]);
      void queryClient.resetQueries({ queryKey: pagesKey });
    },
  });

  const showPending = () => {
    insert(pending);
    setPending([]);
    listTop.current?.scrollIntoView({ block: 'start' });
  };
  const shown = new Set(queryClient.getQueryData(pagesKey)?.pages.flatMap((page) => page.events.map((event) => event.id)));
  return { stream, pendingAlerts: pending.filter((alert) => !shown.has(alert.id)).length, showPending };
}

export function ExplorerPage() {
  const state = useEventFilter();
  const searchParams = useSearchParams();
  const view = searchParams.get('view') === 'tree' ? 'tree' : 'list';
  const { data: summary } = useSummary(state.query);
  const listTop = useRef<HTMLDivElement>(null);
  const live = useLiveAlertList(state.query, listTop);
  const viewHref = (next: 'list' | 'tree') => {
    const params = new URLSearchParams(searchParams);
    if (next === 'tree') params.set('view', 'tree');
    else params.delete('view');
    return `/events?${params.toString()}`;
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">
          Alerts{' '}
          {summary && <span className="text-base font-normal text-muted tabular-nums" data-testid="match-count">{summary.total.toLocaleString()} matching</span>}
        </h1>
        <div className="flex items-center gap-4">
          <LiveBadge state={live.stream.state} />
          <ExportMenu query={state.query} />
        </div>
      </div>
      <FilterBar state={state} />
      <TimelinePanel state={state} height={160} />
      <Panel
        title={
          <span role="tablist" aria-label="View" className="flex gap-1">
            {(['list', 'tree'] as const).map((name) => (
              <DataLink key={name} role="tab" aria-selected={view === name} href={viewHref(name)} scroll={false}
                className={`rounded px-2 py-0.5 ${view === name ? 'bg-surface-2 font-semibold' : 'font-normal text-muted hover:text-fg'}`}>
                {name === 'list' ? 'List' : 'Process tree'}
              </DataLink>
            ))}
          </span>
        }
        actions={<span className="hidden text-xs text-muted md:inline">↑ ↓ to move · Enter to open · / to search</span>}
      >
        <div ref={listTop} className="scroll-mt-16">
          {view === 'list' ? <AlertList state={state} pendingAlerts={live.pendingAlerts} showPending={live.showPending} /> : <ProcessTreePanel state={state} bare linkParams="view=tree" />}
        </div>
      </Panel>
    </div>
  );
}
