'use client';

import { DataLink } from '@/components/ui/data-link';
import { useSearchParams } from 'next/navigation';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { useSummary } from '@/lib/queries/stats';
import { ProcessTreePanel } from '../ancestry/process-tree-panel';
import { TimelinePanel } from '../charts/timeline-panel';
import { PagedEventTable } from '../events/paged-event-table';
import { FilterBar } from '../filters/filter-bar';
import { LiveBadge } from '../live/live-badge';
import { Panel } from '../ui/panel';
import { ExportMenu } from './export-menu';

export function ExplorerPage() {
  const state = useEventFilter();
  const searchParams = useSearchParams();
  const view = searchParams.get('view') === 'tree' ? 'tree' : 'list';
  const { data: summary } = useSummary(state.query);
  // The match count, the timeline and the list (components/events/paged-event-table.tsx) move together.
  const live = useLiveRefresh(state.query);
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
          {summary && (
            <span className="text-base font-normal text-muted tabular-nums" data-testid="match-count">
              {summary.total.toLocaleString()} matching
            </span>
          )}
        </h1>
        <div className="flex items-center gap-4">
          <LiveBadge state={live.state} />
          <ExportMenu query={state.query} />
        </div>
      </div>
      <FilterBar state={state} />
      <TimelinePanel state={state} height={160} />
      <Panel
        title={
          <span role="tablist" aria-label="View" className="flex gap-1">
            {(['list', 'tree'] as const).map((name) => (
              <DataLink
                key={name}
                role="tab"
                aria-selected={view === name}
                href={viewHref(name)}
                scroll={false}
                className={`rounded px-2 py-0.5 ${view === name ? 'bg-surface-2 font-semibold' : 'font-normal text-muted hover:text-fg'}`}
              >
                {name === 'list' ? 'List' : 'Process tree'}
              </DataLink>
            ))}
          </span>
        }
        actions={<span className="hidden text-xs text-muted md:inline">↑ ↓ to move · Enter to open · / to search</span>}
      >
        {view === 'list' ? (
          <PagedEventTable state={state} emptyMessage="No alerts match this filter in this range." />
        ) : (
          <ProcessTreePanel state={state} bare linkParams="view=tree" />
        )}
      </Panel>
    </div>
  );
}
