'use client';

import { useEventFilter } from '@/lib/filters/use-event-filter';
import { useLiveRefresh } from '@/lib/live/use-live-refresh';
import { useRules } from '@/lib/queries/stats';
import { TimelinePanel } from '../charts/timeline-panel';
import { FilterBar } from '../filters/filter-bar';
import { Panel, PanelState } from '../ui/panel';
import { RulesTable } from './rules-table';

/** Every rule that fired in the range: when, how often, how severe, where. */
export function RulesPage() {
  const state = useEventFilter();
  useLiveRefresh(state.query);
  const { data, error, isPending } = useRules(state.query);
  const total = data?.rules.reduce((sum, row) => sum + row.count, 0) ?? 0;

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">
        Rules{' '}
        {data && (
          <span className="text-base font-normal text-muted tabular-nums" data-testid="rules-summary">
            {data.rules.length.toLocaleString()} fired · {total.toLocaleString()} alert{total === 1 ? '' : 's'}
          </span>
        )}
      </h1>
      <FilterBar state={state} />
      <TimelinePanel state={state} stack="rule" title="Alerts over time by rule" height={180} />
      <Panel
        title="Rules that fired"
        actions={<span className="hidden text-xs text-muted md:inline">Click a column to sort</span>}
      >
        {isPending ? (
          <PanelState kind="loading" />
        ) : error ? (
          <PanelState kind="error" message={`Could not load the rules: ${error.message}`} />
        ) : data.rules.length === 0 ? (
          <PanelState kind="empty" message="No rule fired for this filter in this range." />
        ) : (
          <RulesTable rows={data.rules} trend={data.trend} filter={state.filter} />
        )}
      </Panel>
    </div>
  );
}
