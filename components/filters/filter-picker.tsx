'use client';

import { useEffect, useRef, useState } from 'react';
import { DIMENSIONS, type Dimension, PICKABLE_DIMENSIONS } from '@/lib/filters/dimensions';
import { filterToSearchParams } from '@/lib/filters/event-filter';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useTop } from '@/lib/queries/stats';
import { PriorityShape } from '../ui/priority-badge';
import { findPriority } from '@/lib/falco/priorities';

function ValueList({
  state,
  dimension,
  onDone,
}: {
  state: ReturnType<typeof useEventFilter>;
  dimension: Dimension;
  onDone: () => void;
}) {
  const key = DIMENSIONS[dimension].filter;
  // Offer the values present in the current view, not counting this dimension's own filter.
  const query = filterToSearchParams({ ...state.filter, [key]: [] }).toString();
  const { data, error, isPending } = useTop(query, dimension, 100);
  const [text, setText] = useState('');
  const values = (data?.values ?? []).filter((v) => v.label.toLowerCase().includes(text.toLowerCase()));
  return (
    <div className="w-80">
      <input
        // biome-ignore lint/a11y/noAutofocus: the picker opens on a click whose purpose is to type a value.
        autoFocus
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={`Find a ${DIMENSIONS[dimension].label.toLowerCase()}…`}
        aria-label={`Find a ${DIMENSIONS[dimension].label.toLowerCase()}`}
        className="w-full border-b border-border bg-surface px-3 py-2 text-sm outline-none"
      />
      <ul
        className="max-h-80 overflow-y-auto py-1 text-sm"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the listbox pattern, options as items.
        role="listbox"
        aria-label={`${DIMENSIONS[dimension].label} values`}
      >
        {isPending && <li className="px-3 py-2 text-muted">Loading…</li>}
        {error && <li className="px-3 py-2 text-[var(--priority-critical)]">Could not load values: {error.message}</li>}
        {data && values.length === 0 && <li className="px-3 py-2 text-muted">No values in this range.</li>}
        {values.map((value) => {
          const selected = state.urlFilter[key].includes(value.value);
          return (
            <li key={`${value.value}\u0000${value.hostname ?? ''}`}>
              <button
                type="button"
                role="option"
                aria-selected={selected}
                onClick={() => {
                  const hostScope =
                    dimension === 'container' && value.value === 'host' && value.hostname
                      ? [{ add: 'hostname' as const, value: value.hostname }]
                      : [];
                  state.change(
                    selected ? { remove: key, value: value.value } : { add: key, value: value.value },
                    ...hostScope,
                  );
                  onDone();
                }}
                className="flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-surface-2"
              >
                <span className="w-4 text-accent">{selected ? '✓' : ''}</span>
                {dimension === 'priority' && (
                  <span style={{ color: findPriority(value.value)?.color }}>
                    <PriorityShape rank={findPriority(value.value)?.rank ?? 7} />
                  </span>
                )}
                <span className="alert-text min-w-0 flex-1 truncate" title={value.label}>
                  {value.label}
                </span>
                <span className="tabular-nums text-muted">{value.count.toLocaleString()}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** "+ Filter": pick a dimension, then one of the values present in the current range. */
export function FilterPicker({ state }: { state: ReturnType<typeof useEventFilter> }) {
  const [open, setOpen] = useState(false);
  const [dimension, setDimension] = useState<Dimension | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) {
        setOpen(false);
        setDimension(null);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          setDimension(null);
        }}
        className="rounded-md border border-border bg-surface px-2.5 py-1 text-sm text-muted hover:text-fg"
      >
        + Filter
      </button>
      {open && (
        <div className="absolute left-0 z-30 mt-1 overflow-hidden rounded-md border border-border bg-surface shadow-lg lg:right-0 lg:left-auto">
          {dimension === null ? (
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the menu pattern, menu items as items.
            <ul role="menu" className="w-48 py-1 text-sm">
              {PICKABLE_DIMENSIONS.map((name) => (
                <li key={name}>
                  <button
                    type="button"
                    role="menuitem"
                    onClick={() => setDimension(name)}
                    className="w-full px-3 py-1.5 text-left hover:bg-surface-2"
                  >
                    {DIMENSIONS[name].label}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <ValueList
              state={state}
              dimension={dimension}
              onDone={() => {
                setOpen(false);
                setDimension(null);
              }}
            />
          )}
        </div>
      )}
    </div>
  );
}
