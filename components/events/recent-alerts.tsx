'use client';

import type { EventSummary } from '@/lib/events/types';
import { useEventList } from '@/lib/queries/events';
import { EventTime } from '../ui/event-time';
import { Panel, PanelState } from '../ui/panel';
import { PriorityBadge } from '../ui/priority-badge';

function where(event: EventSummary): string {
  if (event.k8sNamespace || event.k8sPod) return [event.k8sNamespace, event.k8sPod].filter(Boolean).join('/');
  if (event.containerName && event.containerName !== 'host') return event.containerName;
  if (event.containerId && event.containerId !== 'host') return event.containerId;
  return event.containerId === 'host' ? 'host' : '';
}

export function RecentAlerts({ limit = 50 }: { limit?: number }) {
  const { data, error, isPending } = useEventList(`limit=${limit}`);

  return (
    <Panel title="Newest alerts">
      {isPending ? (
        <PanelState kind="loading" />
      ) : error ? (
        <PanelState kind="error" message={`Could not load alerts: ${error.message}`} />
      ) : data.events.length === 0 ? (
        <PanelState kind="empty" message="No detections yet." />
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full table-fixed text-sm" data-testid="recent-alerts">
            <thead className="text-left text-xs uppercase tracking-wide text-muted">
              <tr className="border-b border-border">
                <th className="w-44 px-4 py-2 font-medium">Time</th>
                <th className="w-32 px-2 py-2 font-medium">Priority</th>
                <th className="w-64 px-2 py-2 font-medium">Rule</th>
                <th className="w-56 px-2 py-2 font-medium">Host / container</th>
                <th className="px-2 py-2 font-medium">Output</th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((event) => (
                <tr key={event.id} className="border-b border-border/60 align-top last:border-0 hover:bg-surface-2">
                  <td className="px-4 py-2 text-muted"><EventTime time={event.time} /></td>
                  <td className="px-2 py-2"><PriorityBadge priority={event.priority} /></td>
                  <td className="alert-text px-2 py-2 font-medium" data-testid="alert-rule">{event.rule}</td>
                  <td className="alert-text px-2 py-2">
                    <div>{event.hostname ?? <span className="text-muted">unknown host</span>}</div>
                    <div className="text-xs text-muted">{where(event)}</div>
                  </td>
                  <td className="px-2 py-2">
                    <div className="alert-text line-clamp-2 font-mono text-xs" title={event.output ?? ''}>{event.output}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
