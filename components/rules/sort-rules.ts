// Client-side ordering of the rules table: /api/rules returns every rule of the range, so sorting
// the rows in the browser needs no round trip.
import { findPriority } from '@/lib/falco/priorities';
import type { RuleRow } from '@/lib/stats/types';

const RULE_SORTS = ['count', 'name', 'lastSeen', 'priority'] as const;
export type RuleSort = (typeof RULE_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** The direction a column starts in: biggest, newest and most severe first; names A to Z. */
export const DEFAULT_DIRECTION: Record<RuleSort, SortDirection> = {
  count: 'desc',
  name: 'asc',
  lastSeen: 'desc',
  priority: 'desc',
};

const rank = (row: RuleRow) => findPriority(row.worstPriority)?.rank ?? 7;
const byName = (a: RuleRow, b: RuleRow) => a.rule.localeCompare(b.rule);

// Each comparator orders its column's default direction; ties fall back to count, then name.
const COMPARE: Record<RuleSort, (a: RuleRow, b: RuleRow) => number> = {
  count: (a, b) => b.count - a.count || byName(a, b),
  name: (a, b) => byName(a, b) || b.count - a.count,
  // Falco times are ISO with nine fractional digits in UTC, so text order is time order.
  lastSeen: (a, b) =>
    (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0) || b.count - a.count || byName(a, b),
  priority: (a, b) => rank(a) - rank(b) || b.count - a.count || byName(a, b),
};

export function sortRules(
  rows: readonly RuleRow[],
  sort: RuleSort,
  direction: SortDirection = DEFAULT_DIRECTION[sort],
): RuleRow[] {
  const compare = COMPARE[sort];
  const sign = direction === DEFAULT_DIRECTION[sort] ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b));
}
