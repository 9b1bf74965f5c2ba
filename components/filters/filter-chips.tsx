'use client';

import { DataLink } from '@/components/ui/data-link';
import { splitChainKey } from '@/lib/falco/ancestry';
import { CHIP_LABELS } from '@/lib/filters/dimensions';
import { LIST_FILTERS, type ListFilter } from '@/lib/filters/event-filter';
import type { useEventFilter } from '@/lib/filters/use-event-filter';

const LABELS: Record<ListFilter, string> = CHIP_LABELS;

function display(key: ListFilter, value: string): string {
  if (key === 'chain')
    return splitChainKey(value)
      .map((p) => p.name)
      .join(' › ');
  return value;
}

/** The active filters as removable chips; each × is a link to the same view without it. */
export function FilterChips({ state }: { state: ReturnType<typeof useEventFilter> }) {
  const { urlFilter, href } = state;
  const chips: { key: string; label: string; value: string; remove: string }[] = [];
  for (const key of LIST_FILTERS) {
    for (const value of urlFilter[key]) {
      chips.push({
        key: `${key}:${value}`,
        label: LABELS[key],
        value: display(key, value),
        remove: href({ remove: key, value }),
      });
    }
  }
  if (urlFilter.minPriority)
    chips.push({
      key: 'minPriority',
      label: 'priority ≥',
      value: urlFilter.minPriority,
      remove: href({ set: { minPriority: undefined } }),
    });
  if (urlFilter.q)
    chips.push({ key: 'q', label: 'text', value: `“${urlFilter.q}”`, remove: href({ set: { q: undefined } }) });
  if (urlFilter.internal !== 'exclude')
    chips.push({
      key: 'internal',
      label: 'Falco health events',
      value: urlFilter.internal,
      remove: href({ set: { internal: 'exclude' } }),
    });
  if (chips.length === 0) return null;
  return (
    <ul className="flex flex-wrap items-center gap-1.5" aria-label="Active filters" data-testid="filter-chips">
      {chips.map((chip) => (
        <li
          key={chip.key}
          className="flex max-w-full items-center overflow-hidden rounded-full border border-border bg-surface-2 text-xs"
        >
          <span className="alert-text truncate py-1 pl-2.5 pr-1" title={`${chip.label}: ${chip.value}`}>
            <span className="text-muted">{chip.label}:</span> <span className="font-medium">{chip.value}</span>
          </span>
          <DataLink
            href={chip.remove}
            scroll={false}
            aria-label={`Remove filter ${chip.label} ${chip.value}`}
            className="px-2 py-1 text-muted hover:bg-border hover:text-fg"
          >
            ×
          </DataLink>
        </li>
      ))}
      <li>
        <DataLink
          href={href({
            set: {
              ...Object.fromEntries(LIST_FILTERS.map((k) => [k, []])),
              minPriority: undefined,
              q: undefined,
              internal: 'exclude',
            },
          })}
          scroll={false}
          className="px-2 text-xs text-muted underline-offset-2 hover:text-fg hover:underline"
        >
          Clear all
        </DataLink>
      </li>
    </ul>
  );
}
