'use client';

import { DataLink } from '@/components/ui/data-link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { findPriority } from '@/lib/falco/priorities';
import { NONE_VALUE } from '@/lib/filters/dimensions';
import { containerHref } from '@/lib/filters/href';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import type { ContainerRow } from '@/lib/stats/types';
import { EventTime } from '../ui/event-time';
import { PriorityBadge } from '../ui/priority-badge';
import {
  containerKey,
  containerLabel,
  HOST_CONTAINER,
  imageLabel,
  podLabel,
  shortContainerId,
} from './container-display';

type SortKey = 'name' | 'count' | 'worst' | 'lastSeen';
type Sort = { key: SortKey; descending: boolean };

const rankOf = (row: ContainerRow) => findPriority(row.worstPriority)?.rank ?? 7;

// Ties fall back to the busiest first, the order the API returns.
const COMPARE: Record<SortKey, (a: ContainerRow, b: ContainerRow) => number> = {
  name: (a, b) => containerLabel(a).localeCompare(containerLabel(b)),
  count: (a, b) => a.count - b.count,
  worst: (a, b) => rankOf(b) - rankOf(a),
  lastSeen: (a, b) => (a.lastSeen < b.lastSeen ? -1 : a.lastSeen > b.lastSeen ? 1 : 0),
};

function sortRows(rows: readonly ContainerRow[], sort: Sort): ContainerRow[] {
  const direction = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => direction * COMPARE[sort.key](a, b) || b.count - a.count);
}

function SortHeader({
  label,
  sortKey,
  sort,
  onSort,
  className = '',
}: {
  label: string;
  sortKey: SortKey;
  sort: Sort;
  onSort: (key: SortKey) => void;
  className?: string;
}) {
  const active = sort.key === sortKey;
  return (
    <th
      scope="col"
      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
      className={`px-2 py-2 font-medium ${className}`}
    >
      <button
        type="button"
        onClick={() => onSort(sortKey)}
        className={`inline-flex items-center gap-1 uppercase tracking-wide hover:text-fg ${active ? 'text-fg' : ''}`}
      >
        {label}
        <span aria-hidden className={active ? '' : 'invisible'}>
          {sort.descending ? '↓' : '↑'}
        </span>
      </button>
    </th>
  );
}

function NameCell({ row, href }: { row: ContainerRow; href: string }) {
  const id = shortContainerId(row.containerId);
  const muted = row.containerId !== HOST_CONTAINER && id === null;
  return (
    <>
      <DataLink
        href={href}
        onClick={(e) => e.stopPropagation()}
        data-testid="container-name"
        title={containerLabel(row)}
        className={`alert-text line-clamp-3 font-medium hover:text-accent hover:underline ${muted ? 'italic text-muted' : ''}`}
      >
        {containerLabel(row)}
      </DataLink>
      {id !== null && (
        <span
          className="block truncate font-mono text-xs text-muted"
          title={row.containerId}
          data-testid="container-id"
        >
          {id}
        </span>
      )}
    </>
  );
}

/**
 * Every container of the filter (and each host as a pseudo-container) with its counts. A row opens
 * the container's page; a rule adds the rule filter to this view.
 */
export function ContainerTable({ rows, state }: { rows: ContainerRow[]; state: ReturnType<typeof useEventFilter> }) {
  const router = useRouter();
  const [sort, setSort] = useState<Sort>({ key: 'count', descending: true });
  const onSort = (key: SortKey) =>
    setSort((current) =>
      current.key === key ? { key, descending: !current.descending } : { key, descending: key !== 'name' },
    );
  const sorted = sortRows(rows, sort);

  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[1080px] table-fixed text-sm" data-testid="container-table">
        <thead className="text-left text-xs uppercase tracking-wide text-muted">
          <tr className="border-b border-border">
            <SortHeader label="Container" sortKey="name" sort={sort} onSort={onSort} className="w-[15%] pl-4" />
            <th scope="col" className="w-[17%] px-2 py-2 font-medium">
              Image
            </th>
            <th scope="col" className="w-[17%] px-2 py-2 font-medium">
              Namespace / pod
            </th>
            <SortHeader label="Alerts" sortKey="count" sort={sort} onSort={onSort} className="w-20 text-right" />
            <SortHeader label="Worst" sortKey="worst" sort={sort} onSort={onSort} className="w-34" />
            <th scope="col" className="px-2 py-2 font-medium">
              Top rules
            </th>
            <SortHeader label="Last seen" sortKey="lastSeen" sort={sort} onSort={onSort} className="w-40 pr-4" />
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const href = containerHref(row.containerId, row.hostname, state.urlFilter);
            // The no-container row spans unrelated alerts (audit, cloud): one image or pod would mislead.
            const mixed = row.containerId === NONE_VALUE;
            const image = mixed ? null : imageLabel(row);
            const pod = mixed ? null : podLabel(row);
            return (
              <tr
                key={containerKey(row)}
                data-testid="container-row"
                data-container-id={row.containerId}
                onClick={() => router.push(href)}
                className="cursor-pointer border-b border-border/60 align-top last:border-0 hover:bg-surface-2"
              >
                <td className="py-2 pl-4 pr-2">
                  <NameCell row={row} href={href} />
                </td>
                <td className="px-2 py-2">
                  {image ? (
                    <span
                      className="alert-text line-clamp-3 font-mono text-xs"
                      title={image}
                      data-testid="container-image"
                    >
                      {image}
                    </span>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </td>
                <td className="px-2 py-2">
                  {pod ? (
                    <span className="alert-text line-clamp-3" title={pod} data-testid="container-pod">
                      {pod}
                    </span>
                  ) : (
                    <span className="text-muted">—</span>
                  )}
                </td>
                <td className="px-2 py-2 text-right font-semibold tabular-nums" data-testid="container-count">
                  {row.count.toLocaleString()}
                </td>
                <td className="px-2 py-2" data-testid="container-worst">
                  <PriorityBadge priority={row.worstPriority} />
                </td>
                <td className="px-2 py-2">
                  <ul className="space-y-0.5" aria-label="Top rules">
                    {row.topRules.map((rule) => (
                      <li key={rule.rule} className="flex min-w-0 items-baseline gap-2">
                        <DataLink
                          href={state.href({ add: 'rule', value: rule.rule })}
                          scroll={false}
                          onClick={(e) => e.stopPropagation()}
                          title={`Filter by rule: ${rule.rule}`}
                          data-testid="container-rule"
                          className="min-w-0 truncate hover:text-accent hover:underline"
                        >
                          {rule.rule}
                        </DataLink>
                        <span className="shrink-0 text-xs tabular-nums text-muted">{rule.count.toLocaleString()}</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="py-2 pl-2 pr-4 text-muted">
                  <EventTime time={row.lastSeen} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
