'use client';

import { DataLink } from '@/components/ui/data-link';
import type { ReactNode } from 'react';
import { filterHref } from '@/lib/filters/href';
import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { useRules } from '@/lib/queries/stats';
import { TimelinePanel } from '../charts/timeline-panel';
import { PagedEventTable } from '../events/paged-event-table';
import { FilterBar } from '../filters/filter-bar';
import { TopPanel } from '../overview/top-panel';
import { EventTime } from '../ui/event-time';
import { Panel, PanelState } from '../ui/panel';
import { PriorityBadge } from '../ui/priority-badge';
import { ChainPanel } from './chain-panel';
import { ContainerPanel } from './container-panel';

type FilterState = ReturnType<typeof useEventFilter>;

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs uppercase tracking-wide text-muted">{label}</dt>
      <dd className="mt-0.5 text-sm font-semibold tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** The rule's numbers for the range: one row of /api/rules scoped to the rule. */
function RuleFacts({ rule, state }: { rule: string; state: FilterState }) {
  const { data, error, isPending } = useRules(state.query);
  if (isPending) return <PanelState kind="loading" />;
  if (error) return <PanelState kind="error" message={`Could not load this rule: ${error.message}`} />;
  const row = data.rules.find((candidate) => candidate.rule === rule);
  if (!row) return <PanelState kind="empty" message="This rule did not fire for this filter in this range." />;
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 px-4 py-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="rule-facts">
      <Fact label="Worst priority" testId="rule-worst">
        <PriorityBadge priority={row.worstPriority} />
      </Fact>
      <Fact label="Alerts" testId="rule-total">
        <span className="text-lg">{row.count.toLocaleString()}</span>
      </Fact>
      <Fact label="First seen" testId="rule-first-seen">
        <EventTime time={row.firstSeen} />
      </Fact>
      <Fact label="Last seen" testId="rule-last-seen">
        <EventTime time={row.lastSeen} />
      </Fact>
      <Fact label="Containers" testId="rule-containers">
        {row.containers.toLocaleString()}
      </Fact>
      <Fact label="Hosts" testId="rule-hosts">
        {row.hosts.toLocaleString()}
      </Fact>
    </dl>
  );
}

function RuleAlerts({ state }: { state: FilterState }) {
  return (
    <Panel
      title="Alerts"
      actions={<span className="hidden text-xs text-muted md:inline">↑ ↓ to move · Enter to open</span>}
    >
      <PagedEventTable
        state={state}
        emptyMessage="No alerts of this rule match this filter in this range."
        testId="rule-alerts"
      />
    </Panel>
  );
}

/**
 * One rule: its numbers, timeline, where it fired (containers, hosts, process chains, users) and
 * its alerts. The rule is the page's scope: part of every query, never a chip in the URL.
 */
export function RulePage({ rule }: { rule: string }) {
  const state = useEventFilter({ rule: [rule] });
  useLiveRefresh(state.query);
  const { href, query } = state;

  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <DataLink href={filterHref('/rules', state.urlFilter)} className="text-sm text-muted hover:text-fg">
          ← Rules
        </DataLink>
        <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
          <h1 className="alert-text min-w-0 flex-1 text-xl font-semibold" data-testid="rule-title">
            {rule}
          </h1>
          <DataLink
            href={filterHref('/events', state.filter)}
            className="shrink-0 pt-1 text-sm font-medium text-accent hover:underline"
            data-testid="open-in-alerts"
          >
            Open in Alerts →
          </DataLink>
        </div>
      </div>
      <Panel>
        <RuleFacts rule={rule} state={state} />
      </Panel>
      <FilterBar state={state} />
      <TimelinePanel state={state} stack="priority" height={160} />
      {/* Two columns even on wide screens: process chains are long and must stay readable. */}
      <div className="grid gap-4 md:grid-cols-2">
        <ContainerPanel state={state} />
        <TopPanel
          title="By host"
          query={query}
          dimension="hostname"
          href={(v) => href({ add: 'hostname', value: v.value })}
        />
        <ChainPanel state={state} />
        <TopPanel title="By user" query={query} dimension="user" href={(v) => href({ add: 'user', value: v.value })} />
      </div>
      <RuleAlerts state={state} />
    </div>
  );
}
