'use client';

import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { TimelinePanel } from '../charts/timeline-panel';
import { PagedEventTable } from '../events/paged-event-table';
import { FilterBar } from '../filters/filter-bar';
import { TopPanel } from '../overview/top-panel';
import { Panel } from '../ui/panel';

const SCOPE = { internal: 'only' } as const;

/**
 * Falco's own health reports (`source: internal`: syscall event drops, timeouts, metrics
 * snapshots). They are kept out of every detection count and shown here instead.
 */
export function FalcoHealthPage() {
  const state = useEventFilter(SCOPE);
  useLiveRefresh(state.query);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Falco health</h1>
        <p className="text-sm text-muted">
          Falco&apos;s own reports: dropped system calls, timeouts and metrics snapshots. A burst of drops means Falco
          missed events on that host, so detections there may be incomplete.
        </p>
      </div>
      <FilterBar state={state} />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <TimelinePanel state={state} stack="rule" title="Health events over time" height={160} />
        </div>
        <TopPanel
          title="By host"
          query={state.query}
          dimension="hostname"
          href={(v) => state.href({ add: 'hostname', value: v.value })}
        />
      </div>
      <Panel title="Health events">
        <PagedEventTable
          state={state}
          emptyMessage="No health events from Falco in this range: no drops or timeouts reported."
          testId="health-events"
        />
      </Panel>
    </div>
  );
}
