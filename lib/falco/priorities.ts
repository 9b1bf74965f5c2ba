// Falco's eight priorities, most severe first. Everything that shows, sorts or filters by priority
// (badges, charts, SQL ranks, the filter parser) derives from this one table.
export const PRIORITIES = [
  { name: 'Emergency', rank: 0, short: 'EMERG', color: 'var(--priority-emergency)' },
  { name: 'Alert', rank: 1, short: 'ALERT', color: 'var(--priority-alert)' },
  { name: 'Critical', rank: 2, short: 'CRIT', color: 'var(--priority-critical)' },
  { name: 'Error', rank: 3, short: 'ERROR', color: 'var(--priority-error)' },
  { name: 'Warning', rank: 4, short: 'WARN', color: 'var(--priority-warning)' },
  { name: 'Notice', rank: 5, short: 'NOTICE', color: 'var(--priority-notice)' },
  { name: 'Informational', rank: 6, short: 'INFO', color: 'var(--priority-informational)' },
  { name: 'Debug', rank: 7, short: 'DEBUG', color: 'var(--priority-debug)' },
] as const;

export type PriorityName = (typeof PRIORITIES)[number]['name'];
export type Priority = (typeof PRIORITIES)[number];

/** Critical and above are paged on; the UI makes them stand out. */
export const URGENT_RANK = 2;

const byLowerName = new Map<string, Priority>(PRIORITIES.map((p) => [p.name.toLowerCase(), p]));
// Falco itself accepts these spellings in rules and some tools emit them.
byLowerName.set('info', PRIORITIES[6]);
byLowerName.set('warn', PRIORITIES[4]);
byLowerName.set('err', PRIORITIES[3]);
byLowerName.set('crit', PRIORITIES[2]);
byLowerName.set('emerg', PRIORITIES[0]);

/** The priority a (case-insensitive) name stands for, or undefined when Falco has no such priority. */
export function findPriority(name: string): Priority | undefined {
  return byLowerName.get(name.trim().toLowerCase());
}

export function priorityByRank(rank: number): Priority {
  return PRIORITIES[Math.min(Math.max(Math.trunc(rank), 0), 7)]!;
}
