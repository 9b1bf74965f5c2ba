// Colours of chart series, as CSS variables (see app/globals.css): priorities from the priority
// table, anything else from the categorical palette, "other" neutral.
import { findPriority } from '../falco/priorities';

const PALETTE_SIZE = 8;

export function seriesColor(name: string, index: number, kind: 'priority' | 'category'): string {
  if (kind === 'priority') return findPriority(name)?.color ?? 'var(--series-other)';
  if (name === 'other') return 'var(--series-other)';
  return `var(--series-${index % PALETTE_SIZE})`;
}
