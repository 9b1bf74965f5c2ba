'use client';

import { DataLink } from '@/components/ui/data-link';
import { filterHref } from '@/lib/filters/href';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useEventList } from '@/lib/queries/events';
import { Panel, PanelState } from '../ui/panel';
import { EventTable } from './event-table';

/** The newest alerts of the current filter, refreshed live. */
export function RecentAlerts({ state, limit = 20 }: { state: ReturnType<typeof useEventFilter>; limit?: number }) {
  const { data, error, isPending } = useEventList(`${state.query}&limit=${limit}`);
  return (
    <Panel
      title="Newest alerts"
      actions={
        <DataLink href={filterHref('/events', state.urlFilter)} className="text-xs text-accent hover:underline">
          All matching alerts →
        </DataLink>
      }
    >
      {isPending ? (
        <PanelState kind="loading" />
      ) : error ? (
        <PanelState kind="error" message={`Could not load alerts: ${error.message}`} />
      ) : data.events.length === 0 ? (
        <PanelState kind="empty" message="No detections in this range." />
      ) : (
        <EventTable
          events={data.events}
          filterHref={(key, value) => state.href({ add: key, value })}
          testId="recent-alerts"
        />
      )}
    </Panel>
  );
}
