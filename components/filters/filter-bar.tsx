'use client';

import { PRIORITIES } from '@/lib/falco/priorities';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { TRIAGE_STATUSES } from '@/lib/triage/groupings';
import { FilterChips } from './filter-chips';
import { FilterPicker } from './filter-picker';
import { SearchBox } from './search-box';
import { TimeRangePicker } from './time-range-picker';

/** Time range, free text, filter pickers and the active filters: the same bar on every view. */
export function FilterBar({
  state,
  search = true,
  triage = true,
}: {
  state: ReturnType<typeof useEventFilter>;
  search?: boolean;
  /** Offer the triage status of the alerts' groups (a page of groups has its own tabs). */
  triage?: boolean;
}) {
  return (
    <div className="space-y-2" data-testid="filter-bar">
      <div className="flex flex-wrap items-center gap-2">
        <TimeRangePicker state={state} />
        {search && <SearchBox state={state} />}
        <label className="flex items-center gap-1 text-sm text-muted">
          <span className="sr-only sm:not-sr-only">Min. priority</span>
          <select
            value={state.urlFilter.minPriority ?? ''}
            onChange={(e) => state.change({ set: { minPriority: e.target.value || undefined } })}
            aria-label="Minimum priority"
            className="rounded-md border border-border bg-surface px-2 py-1 text-sm text-fg"
          >
            <option value="">Any</option>
            {PRIORITIES.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {triage && (
          <label className="flex items-center gap-1 text-sm text-muted">
            <span className="sr-only sm:not-sr-only">Triage</span>
            <select
              value={state.urlFilter.status.length === 1 ? state.urlFilter.status[0] : ''}
              onChange={(e) => state.change({ set: { status: e.target.value ? [e.target.value] : [] } })}
              aria-label="Triage status of the alerts' groups"
              className="rounded-md border border-border bg-surface px-2 py-1 text-sm text-fg"
            >
              <option value="">Any</option>
              {TRIAGE_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status.charAt(0).toUpperCase() + status.slice(1)}
                </option>
              ))}
            </select>
          </label>
        )}
        <FilterPicker state={state} />
      </div>
      {state.error && (
        <p role="alert" className="text-sm text-[var(--priority-critical)]">
          This link has an invalid filter ({state.error}); showing everything instead.
        </p>
      )}
      <FilterChips state={state} />
    </div>
  );
}
