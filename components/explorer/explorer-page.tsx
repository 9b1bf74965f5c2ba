'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { fetchJson } from '@/lib/api/fetch-json';
import type { EventListResponse } from '@/lib/events/types';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { LIVE_REFRESH_MS, useEventPages } from '@/lib/queries/events';
import { useSummary } from '@/lib/queries/stats';
import { ProcessTreePanel } from '../ancestry/process-tree-panel';
import { TimelinePanel } from '../charts/timeline-panel';
import { EventTable } from '../events/event-table';
import { FilterBar } from '../filters/filter-bar';
import { Panel, PanelState } from '../ui/panel';
import { ExportMenu } from './export-menu';

function AlertList({ state }: { state: ReturnType<typeof useEventFilter> }) {
  const pages = useEventPages(state.query);
  const events = pages.data?.pages.flatMap((page) => page.events) ?? [];
  const newestLoaded = events[0]?.id;
  // The list itself is not polled (rows must not shift under the reader); a light poll of the
  // newest alert says when there is something new.
  const newest = useQuery({
    queryKey: ['events', 'newest', state.query],
    queryFn: () => fetchJson<EventListResponse>(`/api/events?${state.query}&limit=1`),
    refetchInterval: LIVE_REFRESH_MS,
    enabled: pages.isSuccess,
  });
  const newer = newest.data?.events[0] && newestLoaded !== undefined && newest.data.events[0].id !== newestLoaded;

  if (pages.isPending) return <PanelState kind="loading" />;
  if (pages.error) return <PanelState kind="error" message={`Could not load alerts: ${pages.error.message}`} />;
  if (events.length === 0) return <PanelState kind="empty" message="No alerts match this filter in this range." />;
  return (
    <>
      {newer && (
        <button type="button" onClick={() => void pages.refetch()} data-testid="new-alerts"
          className="w-full border-b border-border bg-accent/10 px-4 py-1.5 text-sm font-medium text-accent hover:bg-accent/20">
          New alerts have arrived: show them
        </button>
      )}
      <EventTable
        events={events}
        filterHref={(key, value) => state.href({ add: key, value })}
        hasMore={pages.hasNextPage}
        loadMore={() => void pages.fetchNextPage()}
        loadingMore={pages.isFetchingNextPage}
      />
    </>
  );
}

export function ExplorerPage() {
  const state = useEventFilter();
  const searchParams = useSearchParams();
  const view = searchParams.get('view') === 'tree' ? 'tree' : 'list';
  const { data: summary } = useSummary(state.query);
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
        <ExportMenu query={state.query} />
      </div>
      <FilterBar state={state} />
      <TimelinePanel state={state} height={160} />
      <Panel
        title={
          <span role="tablist" aria-label="View" className="flex gap-1">
            {(['list', 'tree'] as const).map((name) => (
              <Link key={name} role="tab" aria-selected={view === name} href={viewHref(name)} scroll={false}
                className={`rounded px-2 py-0.5 ${view === name ? 'bg-surface-2 font-semibold' : 'font-normal text-muted hover:text-fg'}`}>
                {name === 'list' ? 'List' : 'Process tree'}
              </Link>
            ))}
          </span>
        }
        actions={<span className="hidden text-xs text-muted md:inline">↑ ↓ to move · Enter to open · / to search</span>}
      >
        {view === 'list' ? <AlertList state={state} /> : <ProcessTreePanel state={state} bare />}
      </Panel>
    </div>
  );
}
