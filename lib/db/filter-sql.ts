import 'server-only';
import { findPriority } from '../falco/priorities';
import { NONE_VALUE } from '../filters/dimensions';
import { timeBoundsNs, type EventFilter } from '../filters/event-filter';

export interface SqlWhere {
  /** `WHERE …` text (or empty) over the alias `e`; values are always bound, never interpolated. */
  where: string;
  params: Record<string, unknown>;
}

// Columns of `events` per simple filter. Keys come from the filter schema, never from the request.
const COLUMN_FILTERS = {
  rule: ['e.rule'],
  source: ['e.source'],
  hostname: ['e.hostname'],
  container: ['e.container_id', 'e.container_name'],
  image: ['e.image_repository', "e.image_repository || ':' || e.image_tag"],
  namespace: ['e.k8s_ns'],
  pod: ['e.k8s_pod'],
  user: ['e.user_name'],
} as const satisfies Partial<Record<keyof EventFilter, readonly string[]>>;

/** The SQL condition for a filter, with named parameters. */
export function filterToSql(filter: EventFilter, nowMs = Date.now()): SqlWhere {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  const { fromNs, toNs } = timeBoundsNs(filter, nowMs);
  if (fromNs !== undefined) {
    clauses.push('e.time_ns >= @fromNs');
    params.fromNs = fromNs;
  }
  if (toNs !== undefined) {
    clauses.push('e.time_ns < @toNs');
    params.toNs = toNs;
  }
  clauses.push(...filterConditions(filter, params));
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * The conditions of a filter other than its time bounds, over the alias `e`; their values are added
 * to `params`. Also valid over the hourly counts, which name their columns like `events` does
 * (lib/db/rollup-sql.ts), as long as the filter has no tag, proc, chain or q.
 */
export function filterConditions(filter: EventFilter, params: Record<string, unknown>): string[] {
  const clauses: string[] = [];
  const bindList = (name: string, list: readonly unknown[]) =>
    list.map((value, i) => {
      params[`${name}${i}`] = value;
      return `@${name}${i}`;
    }).join(', ');

  if (filter.priority.length > 0) {
    const ranks = [...new Set(filter.priority.map((name) => findPriority(name)!.rank))];
    // `+` keeps SQLite on the time index (which holds the rank): newest-first pages stop early
    // instead of sorting every alert of those priorities.
    clauses.push(`+e.priority_rank IN (${bindList('priority', ranks)})`);
  }
  if (filter.minPriority !== undefined) {
    clauses.push('e.priority_rank <= @minRank');
    params.minRank = findPriority(filter.minPriority)!.rank;
  }

  for (const [key, columns] of Object.entries(COLUMN_FILTERS) as [keyof typeof COLUMN_FILTERS, readonly string[]][]) {
    const list = filter[key];
    if (list.length === 0) continue;
    const named = list.filter((value) => value !== NONE_VALUE);
    const placeholders = bindList(key, named);
    const alternatives = named.length > 0 ? columns.map((column) => `${column} IN (${placeholders})`) : [];
    // `(none)` selects alerts without the value, e.g. Kubernetes audit alerts for `container`.
    if (named.length < list.length) alternatives.push(`${columns[0]} IS NULL`);
    clauses.push(`(${alternatives.join(' OR ')})`);
  }
  // Correlated lookups (by primary key) rather than IN (SELECT …): a newest-first page checks only
  // the alerts it walks through instead of first collecting every alert with the tag or process.
  if (filter.tag.length > 0) {
    clauses.push(`EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = e.id AND t.tag IN (${bindList('tag', filter.tag)}))`);
  }
  if (filter.proc.length > 0) {
    clauses.push(`EXISTS (SELECT 1 FROM event_processes p WHERE p.event_id = e.id AND p.name IN (${bindList('proc', filter.proc)}))`);
  }
  if (filter.chain.length > 0) {
    const prefixes = filter.chain.map((chain, i) => {
      params[`chain${i}`] = chain;
      return `e.process_chain = @chain${i} OR substr(e.process_chain, 1, length(@chain${i}) + 1) = @chain${i} || char(31)`;
    });
    clauses.push(`(${prefixes.join(' OR ')})`);
  }
  const q = searchText(filter);
  if (q !== undefined) {
    // instr, not LIKE: `%`, `_` and `\` in the search are literal characters.
    clauses.push('EXISTS (SELECT 1 FROM event_payloads q WHERE q.event_id = e.id AND instr(q.search_text, @q) > 0)');
    params.q = q;
  }
  if (filter.internal === 'exclude') clauses.push('e.internal = 0');
  if (filter.internal === 'only') clauses.push('e.internal = 1');
  return clauses;
}

/**
 * The `container` filter as disjoint conditions whose union is the filter's own clause, each of
 * which an index reads in time order: by id (events_container_time), and by a name that is not
 * the alert's id (events_container_name_time, partial on exactly that condition). SQLite cannot
 * read the filter's `id OR name` in time order, so a query for the newest alerts of a container
 * runs once per condition. Null when the filter has no container.
 */
export function containerArms(filter: EventFilter, params: Record<string, unknown>): string[] | null {
  if (filter.container.length === 0) return null;
  const named = filter.container.filter((value) => value !== NONE_VALUE);
  const none = named.length < filter.container.length;
  const list = named.map((value, i) => {
    params[`containerArm${i}`] = value;
    return `@containerArm${i}`;
  }).join(', ');
  const byId = [...(named.length > 0 ? [`e.container_id IN (${list})`] : []), ...(none ? ['e.container_id IS NULL'] : [])];
  const arms = [byId.length === 1 ? byId[0]! : `(${byId.join(' OR ')})`];
  if (named.length > 0) {
    // Alerts already selected by id stay out; a null id is one of them only when `(none)` is selected.
    const notById = none ? `e.container_id NOT IN (${list})` : `(e.container_id IS NULL OR e.container_id NOT IN (${list}))`;
    arms.push(`e.container_name IN (${list}) AND e.container_name IS NOT e.container_id AND ${notById}`);
  }
  return arms;
}

/** The free-text search as matched against search_text, or undefined when there is none. */
export function searchText(filter: EventFilter): string | undefined {
  const q = filter.q?.trim().toLowerCase();
  return q ? q : undefined;
}

/** Whether a filter selects by any of the per-alert columns (rule, host, container …). */
export const hasColumnFilter = (filter: EventFilter) => Object.keys(COLUMN_FILTERS).some((key) => filter[key as keyof typeof COLUMN_FILTERS].length > 0);
