'use client';

import { DataLink } from '@/components/ui/data-link';
import { isMitreTactic, mitreTacticLabel } from '@/lib/filters/dimensions';
import { filterHref } from '@/lib/filters/href';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { useHealth } from '@/lib/queries/events';
import { useSummary } from '@/lib/queries/stats';
import { TimelinePanel } from '../charts/timeline-panel';
import { RecentAlerts } from '../events/recent-alerts';
import { PriorityCounters } from '../events/priority-counters';
import { FilterBar } from '../filters/filter-bar';
import { LiveBadge } from '../live/live-badge';
import { SetupHelp } from '../setup/setup-help';
import { OpenGroupsPanel } from './open-groups';
import { TopPanel } from './top-panel';

function FalcoHealthNote({ query, href }: { query: string; href: string }) {
  const { data } = useSummary(query);
  if (!data || data.internal === 0) return null;
  return (
    <DataLink href={href} className="text-sm text-muted hover:text-fg" data-testid="falco-health-note">
      Falco health: <span className="font-semibold text-fg tabular-nums">{data.internal.toLocaleString()}</span>{' '}
      internal event{data.internal === 1 ? '' : 's'} (drops, timeouts) in this range →
    </DataLink>
  );
}

export function OverviewPage({
  serverUrl,
  tokenRequired,
  storeEmpty,
}: {
  serverUrl: string;
  tokenRequired: boolean;
  storeEmpty: boolean;
}) {
  const state = useEventFilter();
  const { filter, query, href } = state;
  const live = useLiveRefresh(query);
  const health = useHealth();
  // The server knows on first render; afterwards the live health count decides.
  const empty = health.data ? health.data.events === 0 : storeEmpty;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">Overview</h1>
        <div className="flex items-center gap-4">
          <LiveBadge state={live.state} />
          <FalcoHealthNote query={query} href={filterHref('/health', filter)} />
          <DataLink href={filterHref('/events', filter)} className="text-sm font-medium text-accent hover:underline">
            Open in Alerts →
          </DataLink>
        </div>
      </div>
      {empty && <SetupHelp serverUrl={serverUrl} tokenRequired={tokenRequired} />}
      <FilterBar state={state} />
      <PriorityCounters state={state} />
      <TimelinePanel state={state} />
      <div className="grid gap-4 md:grid-cols-2 2xl:grid-cols-3">
        <OpenGroupsPanel filter={filter} query={query} />
        <TopPanel
          title="Top rules"
          query={query}
          dimension="rule"
          href={(v) => href({ add: 'rule', value: v.value })}
          actions={
            <DataLink href={filterHref('/rules', filter)} className="text-xs text-accent hover:underline">
              All rules →
            </DataLink>
          }
        />
        <TopPanel
          title="Top containers"
          query={query}
          dimension="container"
          href={(v) =>
            v.value === 'host' && v.hostname
              ? href({ add: 'container', value: 'host' }, { add: 'hostname', value: v.hostname })
              : href({ add: 'container', value: v.value })
          }
          actions={
            <DataLink href={filterHref('/containers', filter)} className="text-xs text-accent hover:underline">
              All containers →
            </DataLink>
          }
        />
        <TopPanel
          title="Top namespaces"
          query={query}
          dimension="namespace"
          href={(v) => href({ add: 'namespace', value: v.value })}
        />
        <TopPanel
          title="Top hosts"
          query={query}
          dimension="hostname"
          href={(v) => href({ add: 'hostname', value: v.value })}
        />
        <TopPanel
          title="Sources"
          query={query}
          dimension="source"
          href={(v) => href({ add: 'source', value: v.value })}
        />
        <TopPanel
          title="MITRE ATT&CK tactics"
          query={query}
          dimension="tactic"
          href={(v) => href({ add: 'tag', value: v.value })}
          labelFor={(v) => (isMitreTactic(v.value) ? mitreTacticLabel(v.value) : v.label)}
        />
        <TopPanel
          title="MITRE ATT&CK techniques"
          query={query}
          dimension="technique"
          href={(v) => href({ add: 'tag', value: v.value })}
        />
        <TopPanel
          title="Top processes"
          query={query}
          dimension="proc"
          href={(v) => href({ add: 'proc', value: v.value })}
        />
        <TopPanel
          title="Top users"
          query={query}
          dimension="user"
          href={(v) => href({ add: 'user', value: v.value })}
        />
      </div>
      <RecentAlerts state={state} />
    </div>
  );
}
