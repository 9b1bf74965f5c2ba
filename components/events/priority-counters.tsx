'use client';

import { PRIORITIES, URGENT_RANK } from '@/lib/falco/priorities';
import { usePriorityCounts } from '@/lib/queries/events';
import { PanelState } from '../ui/panel';
import { PriorityShape } from '../ui/priority-badge';

/** Alerts per priority for a query (detections only; Falco's health events are counted apart). */
export function PriorityCounters({ query, label }: { query: string; label: string }) {
  const { data, error, isPending } = usePriorityCounts(query);
  if (isPending) return <PanelState kind="loading" />;
  if (error) return <PanelState kind="error" message={`Could not load counts: ${error.message}`} />;
  const counts = new Map(data.priorities.map((p) => [p.priorityRank, p.count]));
  // The eight priorities are always shown in order, so a zero is visible rather than missing.
  return (
    <div>
      <p className="mb-2 text-sm text-muted">
        <span className="font-semibold text-fg tabular-nums" data-testid="total-count">{data.total.toLocaleString()}</span> alerts {label}
      </p>
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 xl:grid-cols-8" aria-label="Alerts per priority">
        {PRIORITIES.map((p) => {
          const count = counts.get(p.rank) ?? 0;
          const urgent = p.rank <= URGENT_RANK && count > 0;
          return (
            <li
              key={p.name}
              data-testid={`count-${p.name}`}
              className={`rounded-lg border bg-surface px-3 py-2 ${urgent ? 'border-2' : 'border-border'}`}
              style={urgent ? { borderColor: p.color } : undefined}
            >
              <div className="flex items-center gap-1.5 text-xs font-medium" style={{ color: p.color }}>
                <PriorityShape rank={p.rank} />
                {p.name}
              </div>
              <div className={`mt-1 text-2xl tabular-nums ${count === 0 ? 'text-muted' : 'font-semibold'}`}>{count.toLocaleString()}</div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
