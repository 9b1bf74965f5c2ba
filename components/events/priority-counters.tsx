'use client';

import { DataLink } from '@/components/ui/data-link';
import { PRIORITIES, URGENT_RANK } from '@/lib/falco/priorities';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useSummary } from '@/lib/queries/stats';
import { PanelState } from '../ui/panel';
import { PriorityShape } from '../ui/priority-badge';

/** A count's change against the previous period of the same length, as ▲/▼ with the numbers. */
export function PeriodChange({ now, before }: { now: number; before: number | undefined }) {
  if (before === undefined) return null;
  const diff = now - before;
  if (diff === 0)
    return (
      <span className="text-xs text-muted" title="Same as the previous period">
        ±0
      </span>
    );
  const percent = before === 0 ? null : Math.round((diff / before) * 100);
  return (
    <span
      className="text-xs tabular-nums text-muted"
      title={`${before.toLocaleString()} in the previous period of the same length`}
    >
      {diff > 0 ? '▲' : '▼'} {Math.abs(diff).toLocaleString()}
      {percent !== null && ` (${diff > 0 ? '+' : ''}${percent}%)`}
    </span>
  );
}

/**
 * Detections per priority for the range, each with its change against the previous period of the
 * same length. Each counter links to the view filtered to that priority.
 */
export function PriorityCounters({ state }: { state: ReturnType<typeof useEventFilter> }) {
  const { data, error, isPending } = useSummary(state.query);
  if (isPending) return <PanelState kind="loading" />;
  if (error) return <PanelState kind="error" message={`Could not load counts: ${error.message}`} />;
  const counts = new Map(data.priorities.map((p) => [p.priorityRank, p.count]));
  const previous = data.previous ? new Map(data.previous.priorities.map((p) => [p.priorityRank, p.count])) : null;
  return (
    <div>
      <p className="mb-2 flex flex-wrap items-baseline gap-x-2 text-sm text-muted">
        <span className="text-2xl font-semibold text-fg tabular-nums" data-testid="total-count">
          {data.total.toLocaleString()}
        </span>
        <span>alerts</span>
        <PeriodChange now={data.total} before={data.previous?.total} />
      </p>
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-8" aria-label="Alerts per priority">
        {PRIORITIES.map((p) => {
          const count = counts.get(p.rank) ?? 0;
          const urgent = p.rank <= URGENT_RANK && count > 0;
          return (
            <li key={p.name}>
              <DataLink
                href={state.href({ set: { priority: [p.name], minPriority: undefined } })}
                scroll={false}
                data-testid={`count-${p.name}`}
                className={`block rounded-lg border bg-surface px-3 py-2 hover:bg-surface-2 ${urgent ? 'border-2' : 'border-border'}`}
                style={urgent ? { borderColor: p.color } : undefined}
              >
                <div className="flex items-center gap-1.5 text-xs font-medium" style={{ color: p.color }}>
                  <PriorityShape rank={p.rank} />
                  {p.name}
                </div>
                <div
                  className={`mt-1 text-2xl tabular-nums ${count === 0 ? 'text-muted' : 'font-semibold'}`}
                  data-testid="count-value"
                >
                  {count.toLocaleString()}
                </div>
                <PeriodChange now={count} before={previous?.get(p.rank)} />
              </DataLink>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
