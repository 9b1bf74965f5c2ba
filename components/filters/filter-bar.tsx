'use client';

import { PRIORITIES } from '@/lib/falco/priorities';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { FilterChips } from './filter-chips';
import { FilterPicker } from './filter-picker';
import { SearchBox } from './search-box';
import { TimeRangePicker } from './time-range-picker';

/** Time range, free text, filter pickers and the active filters: the same bar on every view. */
export function FilterBar({ state, search = true }: { state: ReturnType<typeof useEventFilter>; search?: boolean }) {
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
