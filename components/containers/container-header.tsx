'use client';

import { DataLink } from '@/components/ui/data-link';
import type { ReactNode } from 'react';
import { NONE_VALUE } from '@/lib/filters/dimensions';
import type { EventFilter } from '@/lib/filters/event-filter';
import { filterHref, rangeOnly } from '@/lib/filters/href';
import type { ContainerRow } from '@/lib/stats/types';
import { EventTime } from '../ui/event-time';
import { PriorityBadge } from '../ui/priority-badge';
import { HOST_CONTAINER, imageLabel } from './container-display';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0 max-w-full">
      <dt className="text-xs uppercase tracking-wide text-muted">{label}</dt>
      <dd className="mt-0.5 min-w-0" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const KIND: Record<string, { kind: string | null; note: string }> = {
  [HOST_CONTAINER]: { kind: 'Host processes', note: 'Processes that ran on the host itself, outside any container.' },
  [NONE_VALUE]: {
    kind: null,
    note: 'Alerts that concern no container: Kubernetes audit, cloud and other plugin sources.',
  },
};

/**
 * Who the container is (name, id, host, image, pod) and what it did in the range (alerts, worst
 * priority, last seen). `row` is null while loading or when nothing matches.
 */
export function ContainerHeader({
  containerId,
  label,
  row,
  hostname,
  filter,
  loading,
}: {
  containerId: string;
  label: string;
  row: ContainerRow | null;
  /** The host the container's alerts came from, when known. */
  hostname: string | null;
  filter: EventFilter;
  loading: boolean;
}) {
  const { kind, note } = KIND[containerId] ?? { kind: 'Container', note: null };
  const isContainer = containerId !== HOST_CONTAINER && containerId !== NONE_VALUE;
  const image = row ? imageLabel(row) : null;
  const withRange = rangeOnly(filter);
  const dash = <span className="text-muted">—</span>;
  return (
    <section
      className="rounded-lg border border-border bg-surface"
      data-testid="container-header"
      aria-labelledby="container-title"
    >
      <div className="flex flex-wrap items-start justify-between gap-x-8 gap-y-3 px-4 py-3">
        <div className="min-w-0 flex-1 basis-80">
          {kind && <p className="text-xs font-medium uppercase tracking-wide text-muted">{kind}</p>}
          <h1 id="container-title" className="alert-text text-xl font-semibold" data-testid="container-title">
            {label}
          </h1>
          {note && <p className="text-sm text-muted">{note}</p>}
        </div>
        <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
          <Fact label="Alerts" testId="header-count">
            <span className="text-xl font-semibold leading-7 tabular-nums">
              {row ? row.count.toLocaleString() : loading ? '…' : '0'}
            </span>
          </Fact>
          <Fact label="Worst priority" testId="header-worst">
            <span className="inline-flex h-7 items-center">
              {row ? <PriorityBadge priority={row.worstPriority} /> : dash}
            </span>
          </Fact>
          <Fact label="Last seen" testId="header-last-seen">
            <span className="inline-flex h-7 items-center">{row ? <EventTime time={row.lastSeen} /> : dash}</span>
          </Fact>
        </dl>
      </div>
      {isContainer && (
        <dl className="flex flex-wrap gap-x-8 gap-y-3 border-t border-border px-4 py-3 text-sm">
          <Fact label="Container ID" testId="header-id">
            <span className="alert-text font-mono">{row?.containerId ?? containerId}</span>
          </Fact>
          <Fact label="Host" testId="header-host">
            {hostname ? (
              <DataLink
                href={filterHref('/containers', { ...withRange, hostname: [hostname] })}
                className="alert-text hover:text-accent hover:underline"
              >
                {hostname}
              </DataLink>
            ) : (
              dash
            )}
          </Fact>
          <Fact label="Image" testId="header-image">
            {image ? <span className="alert-text font-mono">{image}</span> : dash}
          </Fact>
          <Fact label="Namespace / pod" testId="header-pod">
            {row?.k8sNamespace || row?.k8sPod ? (
              <span className="alert-text">
                {row.k8sNamespace ? (
                  <DataLink
                    href={filterHref('/containers', { ...withRange, namespace: [row.k8sNamespace] })}
                    className="hover:text-accent hover:underline"
                  >
                    {row.k8sNamespace}
                  </DataLink>
                ) : (
                  dash
                )}
                <span className="text-muted"> / </span>
                {row.k8sPod ?? dash}
              </span>
            ) : (
              dash
            )}
          </Fact>
        </dl>
      )}
    </section>
  );
}
