'use client';

import { DataLink } from '@/components/ui/data-link';
import { useMemo } from 'react';
import { filterHref } from '@/lib/filters/href';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { useContainers } from '@/lib/queries/stats';
import { TimelinePanel } from '../charts/timeline-panel';
import { FilterBar } from '../filters/filter-bar';
import { Panel, PanelState } from '../ui/panel';
import { HOST_CONTAINER, shortContainerId } from './container-display';
import { ContainerTable } from './container-table';

// The API's default row limit: at this many rows the quietest containers may be missing.
const ROW_LIMIT = 500;

/** Where alerts come from: every container, and each host's own processes, with counts over time. */
export function ContainersPage() {
  const state = useEventFilter();
  useLiveRefresh(state.query);
  const { data, error, isPending } = useContainers(state.query);
  const rows = useMemo(() => data?.containers ?? [], [data]);
  const hosts = rows.filter((row) => row.containerId === HOST_CONTAINER).length;
  const containers = rows.filter((row) => shortContainerId(row.containerId) !== null).length;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-xl font-semibold">
          Containers{' '}
          {data && (
            <span className="text-base font-normal text-muted tabular-nums" data-testid="container-total">
              {containers.toLocaleString()} container{containers === 1 ? '' : 's'} · {hosts.toLocaleString()} host
              {hosts === 1 ? '' : 's'}
            </span>
          )}
        </h1>
        <DataLink
          href={filterHref('/events', state.urlFilter)}
          className="text-sm font-medium text-accent hover:underline"
        >
          Open in Alerts →
        </DataLink>
      </div>
      <FilterBar state={state} />
      <TimelinePanel state={state} stack="container" title="Alerts per container" height={160} />
      <Panel
        title="Containers and hosts"
        actions={
          <span className="hidden text-xs text-muted md:inline">
            Host processes are listed per host · click a row to open it
          </span>
        }
      >
        {isPending ? (
          <PanelState kind="loading" />
        ) : error ? (
          <PanelState kind="error" message={`Could not load containers: ${error.message}`} />
        ) : rows.length === 0 ? (
          <PanelState kind="empty" message="No alerts match this filter in this range." />
        ) : (
          <>
            <ContainerTable rows={rows} state={state} />
            {(data?.containers.length ?? 0) >= ROW_LIMIT && (
              <p className="border-t border-border px-4 py-2 text-sm text-muted">
                Showing the {ROW_LIMIT} busiest; narrow the filter to see the rest.
              </p>
            )}
          </>
        )}
      </Panel>
    </div>
  );
}
