import { DataLink } from '@/components/ui/data-link';
import { findPriority } from '@/lib/falco/priorities';
import type { TopValue } from '@/lib/stats/types';
import { PriorityShape } from '../ui/priority-badge';

/**
 * A ranked list drawn as bars; every row is a link (usually: add this value to the filter).
 * Bars take the colour of the worst priority seen, with its shape beside the label.
 */
export function BarList({
  values,
  href,
  testId,
  labelFor,
  scroll = false,
}: {
  values: TopValue[];
  href: (value: TopValue) => string;
  testId?: string;
  labelFor?: (value: TopValue) => string;
  /** Links that filter the same page keep the scroll position; links to another page do not. */
  scroll?: boolean;
}) {
  const max = Math.max(1, ...values.map((v) => v.count));
  return (
    <ol className="space-y-1 px-3 py-2" data-testid={testId}>
      {values.map((value) => {
        const priority = findPriority(value.worstPriority);
        const label = labelFor?.(value) ?? value.label;
        return (
          <li key={`${value.value}\u0000${value.hostname ?? ''}`}>
            <DataLink
              href={href(value)}
              scroll={scroll}
              className="group relative flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-surface-2"
              data-value={value.value}
              title={`${label}: ${value.count.toLocaleString()} alerts, worst ${value.worstPriority}`}
            >
              <span
                aria-hidden
                className="absolute inset-y-0.5 left-0 rounded opacity-15 group-hover:opacity-25"
                style={{ width: `${(value.count / max) * 100}%`, background: priority?.color }}
              />
              <span className="relative shrink-0" style={{ color: priority?.color }}>
                <PriorityShape rank={priority?.rank ?? 7} className="h-2.5 w-2.5" />
              </span>
              <span className="alert-text relative min-w-0 flex-1 truncate" data-testid="bar-label">
                {label}
              </span>
              <span className="relative tabular-nums text-muted" data-testid="bar-count">
                {value.count.toLocaleString()}
              </span>
            </DataLink>
          </li>
        );
      })}
    </ol>
  );
}
