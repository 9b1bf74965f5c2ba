'use client';

import { DataLink } from '@/components/ui/data-link';
import { splitChainKey } from '@/lib/falco/ancestry';
import { filterHref, rangeOnly } from '@/lib/filters/href';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { useEventPages } from '@/lib/queries/events';
import { useContainers } from '@/lib/queries/stats';
import { ProcessTreePanel } from '../ancestry/process-tree-panel';
import { TimelinePanel } from '../charts/timeline-panel';
import { PagedEventTable } from '../events/paged-event-table';
import { FilterBar } from '../filters/filter-bar';
import { TopPanel } from '../overview/top-panel';
import { Panel } from '../ui/panel';
import { containerLabel, HOST_CONTAINER, mergeContainerRows } from './container-display';
import { ContainerHeader } from './container-header';

type FilterState = ReturnType<typeof useEventFilter>;

function ContainerAlerts({ state }: { state: FilterState }) {
  const chains = state.urlFilter.chain.map((chain) =>
    splitChainKey(chain)
      .map((part) => part.name)
      .join(' › '),
  );
  return (
    <Panel
      title={chains.length > 0 ? <span className="alert-text">Alerts under {chains.join(', ')}</span> : 'Alerts'}
      actions={
        chains.length > 0 ? (
          <DataLink
            href={state.href({ set: { chain: [] } })}
            scroll={false}
            className="shrink-0 text-xs text-accent hover:underline"
          >
            Show all alerts
          </DataLink>
        ) : null
      }
    >
      <PagedEventTable
        state={state}
        emptyMessage="No alerts from this container match this filter in this range."
        testId="container-alerts"
        hideColumns={['container']}
      />
    </Panel>
  );
}

/**
 * One container (or one host's own processes, or the alerts with no container): who it is, what
 * it raised over time, the processes behind its alerts and the alerts themselves.
 */
export function ContainerPage({ containerId }: { containerId: string }) {
  const state = useEventFilter({ container: [containerId] });
  useLiveRefresh(state.query);
  const { data, isPending } = useContainers(state.query);
  const rows = data?.containers ?? [];
  const row = mergeContainerRows(rows);
  // `host` is one pseudo-container per host; without a hostname the page spans every host.
  const urlHost = state.urlFilter.hostname.length === 1 ? (state.urlFilter.hostname[0] ?? null) : null;
  const hosts = new Set(rows.map((r) => r.hostname));
  const label =
    containerId === HOST_CONTAINER && !urlHost && hosts.size !== 1
      ? `host processes${rows.length > 0 ? ` on ${rows.length.toLocaleString()} hosts` : ''}`
      : containerLabel(row ?? { containerId, hostname: urlHost, name: null });
  const pages = useEventPages(state.query);
  const firstHost = pages.data?.pages[0]?.events[0]?.hostname ?? null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <nav aria-label="Breadcrumb" className="flex min-w-0 flex-1 gap-1 text-sm text-muted">
          <DataLink
            href={filterHref('/containers', rangeOnly(state.urlFilter))}
            className="shrink-0 hover:text-fg hover:underline"
          >
            Containers
          </DataLink>
          <span aria-hidden>›</span>
          <span className="truncate text-fg" title={label}>
            {label}
          </span>
        </nav>
        <DataLink
          href={filterHref('/events', state.filter)}
          className="text-sm font-medium text-accent hover:underline"
        >
          Open in Alerts →
        </DataLink>
      </div>
      <ContainerHeader
        containerId={containerId}
        label={label}
        row={row}
        hostname={row?.hostname ?? urlHost ?? (containerId === HOST_CONTAINER ? null : firstHost)}
        loading={isPending}
        filter={state.filter}
      />
      <FilterBar state={state} />
      <div className="grid items-start gap-4 lg:grid-cols-5">
        <div className="min-w-0 space-y-4 lg:col-span-3">
          <TimelinePanel state={state} stack="rule" title="Alerts per rule" height={180} />
          <TopPanel
            title="Rules"
            query={state.query}
            dimension="rule"
            limit={6}
            href={(value) => state.href({ add: 'rule', value: value.value })}
          />
        </div>
        <div className="min-w-0 lg:col-span-2">
          <ProcessTreePanel state={state} inPage />
        </div>
      </div>
      <ContainerAlerts state={state} />
    </div>
  );
}
