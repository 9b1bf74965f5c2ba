'use client';

import { DataLink } from '@/components/ui/data-link';
import { useState } from 'react';
import type { EventDetail, EventSummary } from '@/lib/events/types';
import { findPriority } from '@/lib/falco/priorities';
import { EMPTY_FILTER, eventHref, filterHref } from '@/lib/filters/href';
import { useRelated } from '@/lib/queries/stats';
import { RELATED_LIMIT, RELATED_RULE_CANDIDATES } from '@/lib/stats/related';
import { EventTime } from '../ui/event-time';
import { Panel, PanelState } from '../ui/panel';
import { PriorityShape } from '../ui/priority-badge';
import { rangeFilter } from './field-links';

function where(event: EventSummary): string {
  if (event.k8sNamespace || event.k8sPod) return [event.k8sNamespace, event.k8sPod].filter(Boolean).join('/');
  if (event.containerId && event.containerId !== 'host') return event.containerName ?? event.containerId;
  return event.hostname ?? '';
}

function RelatedRow({ event }: { event: EventSummary }) {
  const priority = findPriority(event.priority)!;
  const context = [where(event), event.procName].filter(Boolean).join(' · ');
  return (
    <li>
      <DataLink
        href={eventHref(event.id)}
        className="block rounded px-2 py-1.5 hover:bg-surface-2"
        data-testid="related-row"
        data-event-id={event.id}
      >
        <div className="flex min-w-0 items-center gap-2 text-sm">
          <span style={{ color: priority.color }} title={priority.name}>
            <PriorityShape rank={priority.rank} className="h-2.5 w-2.5" />
          </span>
          <span className="sr-only">{priority.name}</span>
          <span className="truncate font-medium">{event.rule}</span>
        </div>
        <div className="flex min-w-0 gap-2 pl-4.5 text-xs text-muted">
          <EventTime time={event.time} />
          {context && <span className="truncate font-mono">{context}</span>}
        </div>
      </DataLink>
    </li>
  );
}

const SHOWN = 5;

function RelatedList({
  title,
  hint,
  events,
  more,
  emptyMessage = 'None.',
  testId,
}: {
  title: string;
  hint: string;
  events: EventSummary[];
  more?: { href: string; label: string } | null;
  emptyMessage?: string;
  testId: string;
}) {
  const [expanded, setExpanded] = useState(false);
  const shown = expanded ? events : events.slice(0, SHOWN);
  return (
    <section aria-label={title} data-testid={testId} className="min-w-0">
      <div className="flex items-baseline justify-between gap-2 px-2">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">
          {title}{' '}
          <span className="font-normal normal-case tracking-normal tabular-nums">
            ({events.length >= RELATED_LIMIT ? `newest ${RELATED_LIMIT}` : events.length})
          </span>
        </h3>
        {more && events.length > 0 && (
          <DataLink href={more.href} className="shrink-0 text-xs text-accent hover:underline">
            {more.label} →
          </DataLink>
        )}
      </div>
      <p className="mb-1 px-2 text-xs text-muted">{hint}</p>
      {events.length === 0 ? (
        <p className="px-2 py-1 text-sm text-muted">{emptyMessage}</p>
      ) : (
        <ul>
          {shown.map((event) => (
            <RelatedRow key={event.id} event={event} />
          ))}
        </ul>
      )}
      {events.length > SHOWN && (
        <button
          type="button"
          onClick={() => setExpanded(!expanded)}
          className="px-2 py-1 text-xs text-muted hover:text-fg"
        >
          {expanded ? 'Show fewer' : `Show ${events.length - SHOWN} more`}
        </button>
      )}
    </section>
  );
}

const WINDOW_MS = 10 * 60_000;

/** The alerts list for this alert's container (or host) within WINDOW_MS either side of it. */
function nearbyHref(event: EventDetail): string | null {
  const timeMs = Date.parse(event.time);
  const scope =
    event.containerId && event.containerId !== 'host'
      ? { container: [event.containerId] }
      : event.hostname
        ? { hostname: [event.hostname], container: event.containerId ? [event.containerId] : [] }
        : null;
  if (!scope || Number.isNaN(timeMs)) return null;
  return filterHref('/events', {
    ...EMPTY_FILTER,
    ...scope,
    from: new Date(timeMs - WINDOW_MS).toISOString(),
    to: new Date(timeMs + WINDOW_MS + 1).toISOString(),
  });
}

/** Alerts around this one: same place and time, same process chain, same rule elsewhere. */
export function RelatedAlerts({ event, place }: { event: EventDetail; place: string }) {
  const { data, error, isPending } = useRelated(event.id);
  const nearby = nearbyHref(event);
  return (
    <Panel title="Related alerts">
      {isPending ? (
        <PanelState kind="loading" />
      ) : error ? (
        <PanelState kind="error" message={`Could not load related alerts: ${error.message}`} />
      ) : (
        <div className="space-y-4 p-2 py-3">
          <RelatedList
            title="Nearby"
            hint={`Same ${place}, within ±10 minutes`}
            events={data.nearby}
            testId="related-nearby"
            more={nearby ? { href: nearby, label: 'Open in Alerts' } : null}
          />
          <RelatedList
            title="Same process chain"
            hint="Same ancestry, any time"
            events={data.sameChain}
            testId="related-chain"
          />
          <RelatedList
            title="Same rule elsewhere"
            hint="Other containers and hosts"
            events={data.sameRuleElsewhere}
            testId="related-rule"
            emptyMessage={`None among this rule's alerts nearest in time (up to ${RELATED_RULE_CANDIDATES.toLocaleString()} before and ${RELATED_RULE_CANDIDATES.toLocaleString()} after).`}
            more={{
              href: filterHref('/events', rangeFilter(event.time, { rule: [event.rule] })),
              label: 'All of this rule',
            }}
          />
        </div>
      )}
    </Panel>
  );
}
