'use client';

import { DataLink } from '@/components/ui/data-link';
import type { ReactNode } from 'react';
import type { EventDetail } from '@/lib/events/types';
import { isMitreTactic, isMitreTechnique, mitreTacticLabel, noneLabel } from '@/lib/filters/dimensions';
import type { ListFilter } from '@/lib/filters/event-filter';
import { containerHref, filterHref } from '@/lib/filters/href';
import { STATUS_LABELS, statusLine } from '../groups/group-display';
import { Panel } from '../ui/panel';
import { ExactTime } from './exact-time';
import { rangeFilter } from './field-links';

const linkClass = 'alert-text hover:text-accent hover:underline';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div
      className="grid grid-cols-[8.5rem_minmax(0,1fr)] gap-3 border-b border-border/60 px-4 py-2 last:border-0"
      data-testid={testId}
    >
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

const None = ({ text = 'none' }: { text?: string }) => <span className="italic text-muted">{text}</span>;

function FilterLink({
  event,
  filter,
  value,
  label,
  mono = false,
}: {
  event: EventDetail;
  filter: ListFilter;
  value: string;
  label?: string;
  mono?: boolean;
}) {
  return (
    <DataLink
      href={filterHref('/events', rangeFilter(event.time, { [filter]: [value] }))}
      className={`${linkClass} ${mono ? 'font-mono' : ''}`}
      title={`Alerts with ${filter} ${value}`}
    >
      {label ?? value}
    </DataLink>
  );
}

/** The alert's group (same rule, image or host, process names) and where its triage stands. */
function GroupFact({ event }: { event: EventDetail }) {
  if (event.group === null) return <None text="not grouped yet (older alerts are being grouped)" />;
  const { key, status } = event.group;
  const line = statusLine(status, Date.now());
  return (
    <span>
      <DataLink href={`/groups?${new URLSearchParams({ from: 'all', group: key })}`} className={linkClass}>
        {STATUS_LABELS[status.status]}
      </DataLink>
      {line && <span className="pl-2 text-xs text-muted">{line.text}</span>}
      <span className="block font-mono text-xs text-muted">{key}</span>
    </span>
  );
}

function delayText(event: EventDetail): string | null {
  const delayMs = Date.parse(event.receivedAt) - Date.parse(event.time);
  if (Number.isNaN(delayMs)) return null;
  const abs = Math.abs(delayMs);
  const amount =
    abs < 1_000
      ? `${abs} ms`
      : abs < 120_000
        ? `${(abs / 1_000).toFixed(1)} s`
        : abs < 7_200_000
          ? `${Math.round(abs / 60_000)} min`
          : abs < 172_800_000
            ? `${(abs / 3_600_000).toFixed(1)} h`
            : `${Math.round(abs / 86_400_000).toLocaleString()} days`;
  return delayMs >= 0 ? `${amount} after the alert` : `${amount} before the alert's time (clock skew)`;
}

function ContainerFact({ event }: { event: EventDetail }) {
  if (!event.containerId) return <None text={noneLabel('container')} />;
  const href = containerHref(event.containerId, event.hostname, rangeFilter(event.time));
  if (event.containerId === 'host') {
    return (
      <DataLink href={href} className={linkClass} data-testid="container-link">
        host <span className="text-muted">(process on the host)</span>
      </DataLink>
    );
  }
  return (
    <DataLink href={href} className={`${linkClass} flex flex-wrap items-baseline gap-x-2`} data-testid="container-link">
      <span className="font-medium">{event.containerName ?? 'unnamed'}</span>
      <span className="font-mono text-xs text-muted">{event.containerId}</span>
    </DataLink>
  );
}

function TagList({ event }: { event: EventDetail }) {
  if (event.tags.length === 0) return <None text="no tags" />;
  return (
    <ul className="flex flex-wrap gap-1.5" data-testid="tags">
      {event.tags.map((tag) => {
        const kind = isMitreTactic(tag) ? 'MITRE tactic' : isMitreTechnique(tag) ? 'MITRE technique' : null;
        const text = isMitreTactic(tag) ? mitreTacticLabel(tag) : tag;
        return (
          <li key={tag}>
            <DataLink
              href={filterHref('/events', rangeFilter(event.time, { tag: [tag] }))}
              className={`inline-flex items-baseline gap-1 rounded border px-1.5 py-0.5 text-xs hover:border-accent hover:text-accent ${kind ? 'border-accent/40 bg-accent/10' : 'border-border'}`}
              title={kind ? `${kind} ${tag}` : `Tag ${tag}`}
              data-testid="tag"
            >
              {kind && <span className="text-[10px] font-semibold uppercase tracking-wide text-muted">{kind}</span>}
              <span className="alert-text">{text}</span>
            </DataLink>
          </li>
        );
      })}
    </ul>
  );
}

/** Where and when: the alert's typed columns, each one a link to the alerts sharing it. */
export function AlertFacts({ event }: { event: EventDetail }) {
  const image = event.imageRepository
    ? event.imageTag
      ? `${event.imageRepository}:${event.imageTag}`
      : event.imageRepository
    : null;
  const delay = delayText(event);
  return (
    <Panel title="Details">
      <dl>
        <Fact label="Time" testId="fact-time">
          <ExactTime iso={event.time} testId="alert-time" />
        </Fact>
        {event.claimedTime !== undefined && (
          <Fact label="Falco's time" testId="fact-claimed-time">
            <ExactTime iso={event.claimedTime} testId="alert-claimed-time" />
            <div className="text-xs text-muted">
              Too far ahead of its arrival: Perch lists, counts and keeps this alert at its arrival time.
            </div>
          </Fact>
        )}
        <Fact label="Triage group" testId="fact-group">
          <GroupFact event={event} />
        </Fact>
        <Fact label="Received">
          <ExactTime iso={event.receivedAt} />
          {delay && <div className="text-xs text-muted">{delay}</div>}
        </Fact>
        <Fact label="Host" testId="fact-host">
          {event.hostname ? (
            <FilterLink event={event} filter="hostname" value={event.hostname} />
          ) : (
            <None text="not stated" />
          )}
        </Fact>
        <Fact label="Container" testId="fact-container">
          <ContainerFact event={event} />
        </Fact>
        <Fact label="Image" testId="fact-image">
          {image ? <FilterLink event={event} filter="image" value={image} mono /> : <None />}
        </Fact>
        <Fact label="Namespace / pod" testId="fact-k8s">
          {event.k8sNamespace || event.k8sPod ? (
            <span className="alert-text">
              {event.k8sNamespace ? (
                <FilterLink event={event} filter="namespace" value={event.k8sNamespace} />
              ) : (
                <None />
              )}
              <span className="px-1 text-muted">/</span>
              {event.k8sPod ? <FilterLink event={event} filter="pod" value={event.k8sPod} /> : <None />}
            </span>
          ) : (
            <None text="not in Kubernetes" />
          )}
        </Fact>
        <Fact label="User" testId="fact-user">
          {event.userName ? <FilterLink event={event} filter="user" value={event.userName} /> : <None text="unknown" />}
        </Fact>
        <Fact label="Source" testId="fact-source">
          {event.source ? (
            <FilterLink event={event} filter="source" value={event.source} />
          ) : (
            <None text="not stated (older Falco)" />
          )}
        </Fact>
        {event.uuid && (
          <Fact label="UUID">
            <span className="alert-text font-mono text-xs">{event.uuid}</span>
          </Fact>
        )}
        <Fact label="Tags" testId="fact-tags">
          <TagList event={event} />
        </Fact>
      </dl>
    </Panel>
  );
}
