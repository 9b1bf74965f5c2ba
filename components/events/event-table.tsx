'use client';

import { DataLink } from '@/components/ui/data-link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { EventSummary } from '@/lib/events/types';
import type { ListFilter } from '@/lib/filters/event-filter';
import { eventHref } from '@/lib/filters/href';
import { EventTime } from '../ui/event-time';
import { PriorityBadge } from '../ui/priority-badge';

type FilterLink = (key: ListFilter, value: string) => string;

function FilterValue({
  value,
  filterKey,
  href,
  className = '',
}: {
  value: string | null;
  filterKey: ListFilter;
  href: FilterLink;
  className?: string;
}) {
  if (!value) return null;
  return (
    <DataLink
      href={href(filterKey, value)}
      scroll={false}
      onClick={(e) => e.stopPropagation()}
      className={`alert-text hover:text-accent hover:underline ${className}`}
      title={`Filter by ${filterKey}: ${value}`}
    >
      {value}
    </DataLink>
  );
}

function containerCell(event: EventSummary, href: FilterLink) {
  if (event.k8sNamespace || event.k8sPod) {
    return (
      <>
        <FilterValue value={event.k8sNamespace} filterKey="namespace" href={href} />
        {event.k8sNamespace && event.k8sPod && <span className="text-muted">/</span>}
        <FilterValue value={event.k8sPod} filterKey="pod" href={href} />
      </>
    );
  }
  if (event.containerId === 'host') return <span className="text-muted">host</span>;
  return <FilterValue value={event.containerName ?? event.containerId} filterKey="container" href={href} />;
}

/**
 * Alerts as a table. ↑/↓ move through the rows, Enter opens the selected alert; a row click opens
 * it too. Host, container and process values are links that add their filter.
 */
export function EventTable({
  events,
  filterHref,
  hasMore,
  loadMore,
  loadingMore,
  testId = 'event-table',
  hideColumns = [],
}: {
  events: EventSummary[];
  filterHref: FilterLink;
  hasMore?: boolean;
  loadMore?: () => void;
  loadingMore?: boolean;
  testId?: string;
  /** Columns that would repeat the page's own scope (the rule on a rule's page). */
  hideColumns?: readonly ('rule' | 'host' | 'container')[];
}) {
  const router = useRouter();
  const show = (column: 'rule' | 'host' | 'container') => !hideColumns.includes(column);
  const [selected, setSelected] = useState(-1);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const sentinel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setSelected((current) => {
          const next = Math.min(events.length - 1, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1)));
          rows.current[next]?.scrollIntoView({ block: 'nearest' });
          return next;
        });
      } else if (
        event.key === 'Enter' &&
        selected >= 0 &&
        events[selected] &&
        target?.tagName !== 'A' &&
        target?.tagName !== 'BUTTON'
      ) {
        router.push(eventHref(events[selected].id));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [events, selected, router]);

  useEffect(() => {
    if (!hasMore || !loadMore || !sentinel.current) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) loadMore();
      },
      { rootMargin: '400px' },
    );
    observer.observe(sentinel.current);
    return () => observer.disconnect();
  }, [hasMore, loadMore]);

  return (
    <div>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[960px] table-fixed text-sm" data-testid={testId} aria-rowcount={events.length}>
          <thead className="text-left text-xs uppercase tracking-wide text-muted">
            <tr className="border-b border-border">
              <th scope="col" className="w-40 px-3 py-2 font-medium">
                Time
              </th>
              <th scope="col" className="w-36 px-2 py-2 font-medium">
                Priority
              </th>
              {show('rule') && (
                <th scope="col" className="w-56 px-2 py-2 font-medium">
                  Rule
                </th>
              )}
              {show('host') && (
                <th scope="col" className="w-36 px-2 py-2 font-medium">
                  Host
                </th>
              )}
              {show('container') && (
                <th scope="col" className="w-44 px-2 py-2 font-medium">
                  Container / pod
                </th>
              )}
              <th scope="col" className="w-32 px-2 py-2 font-medium">
                Process
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Output
              </th>
            </tr>
          </thead>
          <tbody>
            {events.map((event, index) => (
              <tr
                key={event.id}
                ref={(row) => {
                  rows.current[index] = row;
                }}
                aria-selected={index === selected}
                data-testid="event-row"
                data-event-id={event.id}
                onClick={() => router.push(eventHref(event.id))}
                className={`cursor-pointer border-b border-border/60 align-top last:border-0 hover:bg-surface-2 ${index === selected ? 'bg-surface-2 outline-2 -outline-offset-2 outline-accent' : ''}`}
              >
                <td className="px-3 py-1.5 text-muted">
                  <EventTime time={event.time} />
                  {event.claimedTime !== undefined && (
                    <div
                      className="alert-text truncate text-[11px]"
                      style={{ color: 'var(--live-warn)' }}
                      title={`Falco said ${event.claimedTime}`}
                      data-testid="row-clock-ahead"
                    >
                      clock ahead
                    </div>
                  )}
                </td>
                <td className="px-2 py-1.5">
                  <PriorityBadge priority={event.priority} />
                </td>
                {show('rule') && (
                  <td className="px-2 py-1.5 font-medium">
                    <DataLink
                      href={eventHref(event.id)}
                      onClick={(e) => e.stopPropagation()}
                      className="alert-text hover:underline"
                      data-testid="event-rule"
                    >
                      {event.rule}
                    </DataLink>
                  </td>
                )}
                {show('host') && (
                  <td className="truncate px-2 py-1.5">
                    <FilterValue value={event.hostname} filterKey="hostname" href={filterHref} />
                  </td>
                )}
                {show('container') && <td className="truncate px-2 py-1.5">{containerCell(event, filterHref)}</td>}
                <td className="truncate px-2 py-1.5 font-mono text-xs">
                  <FilterValue value={event.procName} filterKey="proc" href={filterHref} />
                </td>
                <td className="px-2 py-1.5">
                  <div className="alert-text line-clamp-2 font-mono text-xs text-muted" title={event.output ?? ''}>
                    {event.output}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hasMore && (
        <div ref={sentinel} className="flex justify-center border-t border-border p-3">
          <button
            type="button"
            onClick={loadMore}
            disabled={loadingMore}
            className="rounded border border-border px-3 py-1 text-sm text-muted hover:text-fg disabled:opacity-60"
          >
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}
