import 'server-only';
import { withoutPrivateUse } from '../falco/alert';
import { findPriority } from '../falco/priorities';
import { COLUMN_DIMENSIONS, matchesOf, NONE_VALUE, type ColumnDimension } from '../filters/dimensions';
import type { EventFilter } from '../filters/event-filter';
import type { Db } from './connection';
import { DEFAULT_GROUPING, groupingNamed, parseGroupKey } from '../triage/groupings';
import { facetQuery, facetsReady, withoutFacets } from './facets';
import { keyColumn } from './group-atoms';
import { prepared } from './statements';
import { rangeOf, type RangeOrNow } from './time-range';

export interface SqlWhere {
  /** `WHERE …` text (or empty) over the alias `e`; values are always bound, never interpolated. */
  where: string;
  params: Record<string, unknown>;
}

// Columns of `events` per simple filter (lib/filters/dimensions.ts). Keys come from the table, never from the request.
const COLUMN_FILTERS: Record<ColumnDimension, readonly string[]> = Object.fromEntries(
  COLUMN_DIMENSIONS.map((name) => [
    name,
    matchesOf(name).map((parts) => parts.map((column) => `e.${column}`).join(" || ':' || ")),
  ]),
) as Record<string, readonly string[]> as Record<ColumnDimension, readonly string[]>;

export interface FilterSqlOptions {
  /**
   * The query walks alerts newest first and stops at a page's LIMIT, and its free text matches too
   * many alerts to look each up first: test each alert walked against the matches instead.
   */
  walkTimeIndex?: boolean;
  /** The FROM clause already joins the matches of free text (matchedAlerts): bind `q`, add no condition for it. */
  searchJoined?: boolean;
  /** Let the chain's index lead (default); false for a page that walks the time index past a common chain. */
  chainIndex?: boolean;
  /** Tags or process names of few alerts (rareLists): their alerts are looked up by id. */
  lookUp?: RareLists;
  /** Every alert has its facet tokens (facetsReady): free text's matches are narrowed by them too. */
  facets?: boolean;
}

/** The list filters whose values are held by few rows of their table. */
export type RareLists = ReadonlySet<'tag' | 'proc'>;

const NO_LOOKUPS: RareLists = new Set();

// Below this many rows of a filter's tags or process names in the store, a read looks their alerts
// up by id; from it on, testing each alert it walks is cheaper.
const FEW_LISTED_ALERTS = 5_000;

/** The filter's tags and process names held by fewer than FEW_LISTED_ALERTS rows, counting no further. */
export function rareLists(db: Db, filter: EventFilter): RareLists {
  const rare = new Set<'tag' | 'proc'>();
  const few = (table: string, column: string, values: readonly string[]) => {
    const list = values.map(() => '?').join(', ');
    const { rows } = prepared<{ rows: number }>(
      db,
      `SELECT count(*) AS rows FROM (SELECT 1 FROM ${table} WHERE ${column} IN (${list}) LIMIT ?)`,
    ).get(...values, FEW_LISTED_ALERTS)!;
    return rows < FEW_LISTED_ALERTS;
  };
  if (filter.tag.length > 0 && few('event_tags', 'tag', filter.tag)) rare.add('tag');
  if (filter.proc.length > 0 && few('event_processes', 'name', filter.proc)) rare.add('proc');
  return rare;
}

/**
 * `options` with what the store says of `filter`, where not already set: whether every alert has
 * its facet tokens (facetsReady), and which of its tags and process names are rare (rareLists).
 */
export const withStoreState = <T extends { facets?: boolean; lookUp?: RareLists }>(
  db: Db,
  filter: EventFilter,
  options: T,
): T => ({
  ...options,
  facets: options.facets ?? facetsReady(db),
  lookUp: options.lookUp ?? rareLists(db, filter),
});

// Past this many, a condition on the repository is left out rather than bind them all.
const MAX_REPOSITORIES = 200;

/**
 * The repositories an image filter's values can name: each value, and each part of it before a
 * `:` (`repo:tag`, where a registry's port may hold a colon too). A condition on the indexed
 * repository that the filter implies; null when there are too many.
 */
function imageRepositories(values: readonly string[]): string[] | null {
  const repositories = new Set<string>();
  for (const value of values) {
    repositories.add(value);
    for (let i = value.indexOf(':'); i >= 0; i = value.indexOf(':', i + 1)) repositories.add(value.slice(0, i));
    if (repositories.size > MAX_REPOSITORIES) return null;
  }
  return [...repositories];
}

/** The SQL condition for a filter, with named parameters. */
export function filterToSql(
  filter: EventFilter,
  at: RangeOrNow = Date.now(),
  options: FilterSqlOptions = {},
): SqlWhere {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  const { fromNs, toNs } = rangeOf(filter, at);
  if (fromNs !== undefined) {
    clauses.push('e.time_ns >= @fromNs');
    params.fromNs = fromNs;
  }
  if (toNs !== undefined) {
    clauses.push('e.time_ns < @toNs');
    params.toNs = toNs;
  }
  clauses.push(...filterConditions(filter, params, options));
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * The conditions of a filter other than its time bounds, over the alias `e`; their values are added
 * to `params`. Also valid over the hourly counts, which name their columns like `events` does
 * (lib/db/rollup-sql.ts), as long as the filter has no tag, proc, chain or q.
 */
export function filterConditions(
  filter: EventFilter,
  params: Record<string, unknown>,
  {
    walkTimeIndex = false,
    searchJoined = false,
    chainIndex = true,
    lookUp = NO_LOOKUPS,
    facets = false,
  }: FilterSqlOptions = {},
): string[] {
  const clauses: string[] = [];
  const bindList = (name: string, list: readonly unknown[]) =>
    list
      .map((value, i) => {
        params[`${name}${i}`] = value;
        return `@${name}${i}`;
      })
      .join(', ');

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
    const repositories = key === 'image' && named.length === list.length ? imageRepositories(named) : null;
    if (repositories !== null) clauses.push(`e.image_repository IN (${bindList('imageRepository', repositories)})`);
  }
  // Correlated lookups by primary key, `LIMIT 1` so SQLite neither joins nor builds a Bloom filter
  // of the tag's every row (docs/decisions/0002): a page tests only the alerts it walks. A tag or
  // name of few alerts is read the other way: its alerts' ids first, each looked up.
  if (filter.tag.length > 0) {
    clauses.push(
      lookUp.has('tag')
        ? `e.id IN (SELECT t.event_id FROM event_tags t WHERE t.tag IN (${bindList('tag', filter.tag)}))`
        : `EXISTS (SELECT 1 FROM event_tags t WHERE t.event_id = e.id AND t.tag IN (${bindList('tag', filter.tag)}) LIMIT 1)`,
    );
  }
  if (filter.proc.length > 0) {
    clauses.push(
      lookUp.has('proc')
        ? `e.id IN (SELECT p.event_id FROM event_processes p WHERE p.name IN (${bindList('proc', filter.proc)}))`
        : `EXISTS (SELECT 1 FROM event_processes p WHERE p.event_id = e.id AND p.name IN (${bindList('proc', filter.proc)}) LIMIT 1)`,
    );
  }
  if (filter.chain.length > 0) {
    // A chain and the chains under it (`chain` + char(31) + …) sort together, between the chain and
    // the chain followed by a space: one range of events_chain_time. `+` keeps a page on the time index.
    const column = chainIndex ? 'e.process_chain' : '+e.process_chain';
    const ranges = filter.chain.map((chain, i) => {
      params[`chain${i}`] = chain;
      params[`chainBelow${i}`] = `${chain}\u001f`;
      params[`chainEnd${i}`] = `${chain} `;
      // Between the two: the chain itself, or a chain under it (the next character is char(31)).
      return `${column} >= @chain${i} AND ${column} < @chainEnd${i} AND (+e.process_chain = @chain${i} OR +e.process_chain >= @chainBelow${i})`;
    });
    clauses.push(ranges.length === 1 ? ranges[0]! : `(${ranges.map((range) => `(${range})`).join(' OR ')})`);
  }
  if (filter.group.length > 0) clauses.push(groupCondition(filter.group, params));
  if (filter.status.length > 0) clauses.push(statusCondition(filter.status, params));
  const q = searchText(filter);
  if (q !== undefined) {
    // The word index (migration 0005) finds the phrase's alerts, which counts look up by id. A page
    // walking the time index tests each alert against them instead (`+` forbids the lookup), and
    // stops at the page rather than looking up and sorting every match.
    if (!searchJoined)
      clauses.push(`${walkTimeIndex ? '+' : ''}e.id IN (SELECT rowid FROM event_search WHERE event_search MATCH @q)`);
    params.q = searchQuery(filter, facets);
  }
  if (filter.internal === 'exclude') clauses.push('e.internal = 0');
  if (filter.internal === 'only') clauses.push('e.internal = 1');
  return clauses;
}

export interface MatchedAlerts {
  /** The FROM clause: `events e`, with the matches of free text joined before it when there is some. */
  from: string;
  /** The filter's conditions other than its time bounds, over `e` (and `s`, the matches). */
  conditions: string[];
}

/**
 * Every alert `filter` selects, for reads of all of them. Free text's matches come first in id order
 * (`CROSS JOIN` keeps it; an `IN (… MATCH)` would copy them into a temporary index first), and with
 * `narrow` are looked up in migration 0007's table unless a condition needs the row (docs/decisions/0019).
 */
export function matchedAlerts(
  filter: EventFilter,
  params: Record<string, unknown>,
  {
    narrow = false,
    facets = false,
    lookUp = NO_LOOKUPS,
  }: { narrow?: boolean; facets?: boolean; lookUp?: RareLists } = {},
): MatchedAlerts {
  if (searchText(filter) === undefined)
    return { from: 'events e', conditions: filterConditions(filter, params, { lookUp }) };
  // The facet tokens answer their filters exactly: no condition on the alert's row is left for them.
  const answered = facets && facetQuery(filter) !== null;
  const tested = answered ? withoutFacets(filter) : filter;
  const conditions = filterConditions(tested, params, { searchJoined: true, lookUp });
  if (answered) params.q = searchQuery(filter, true);
  const table = narrow && !hasColumnFilter(tested) && !hasRowFilter(tested) ? 'event_times' : 'events';
  return {
    from: `event_search s CROSS JOIN ${table} e ON e.id = s.rowid`,
    conditions: ['s.event_search MATCH @q', ...conditions],
  };
}

/**
 * The `container` filter as disjoint conditions, by id and by a name that is not the id, each read in
 * time order by its own index: SQLite cannot read `id OR name` in time order, so a query for a
 * container's newest alerts runs once per condition. Null when the filter has no container.
 */
export function containerArms(filter: EventFilter, params: Record<string, unknown>): string[] | null {
  if (filter.container.length === 0) return null;
  const named = filter.container.filter((value) => value !== NONE_VALUE);
  const none = named.length < filter.container.length;
  const list = named
    .map((value, i) => {
      params[`containerArm${i}`] = value;
      return `@containerArm${i}`;
    })
    .join(', ');
  const byId = [
    ...(named.length > 0 ? [`e.container_id IN (${list})`] : []),
    ...(none ? ['e.container_id IS NULL'] : []),
  ];
  const arms = [byId.length === 1 ? byId[0]! : `(${byId.join(' OR ')})`];
  if (named.length > 0) {
    // Alerts already selected by id stay out; a null id is one of them only when `(none)` is selected.
    const notById = none
      ? `e.container_id NOT IN (${list})`
      : `(e.container_id IS NULL OR e.container_id NOT IN (${list}))`;
    arms.push(`e.container_name IN (${list}) AND e.container_name IS NOT e.container_id AND ${notById}`);
  }
  return arms;
}

// Per value, the index a page walks in time order, and its column.
const ARM_COLUMNS = [
  ['image', 'e.image_repository'],
  ['user', 'e.user_name'],
  ['pod', 'e.k8s_pod'],
] as const;

/**
 * A page's filter as disjoint arms, each of which one index reads newest first, and what is left of
 * the filter to test besides: SQLite reads several values of one index as one set to sort, every
 * alert of them for a page of a few. Null when one walk serves (one value, or none with an index).
 */
export function pageArms(
  filter: EventFilter,
  params: Record<string, unknown>,
  lead: keyof EventFilter | null = null,
): { arms: string[]; rest: EventFilter } | null {
  // A page led by another value's index tests the container on the alerts it walks.
  const container = lead === null ? containerArms(filter, params) : null;
  if (container !== null) return { arms: container, rest: { ...filter, container: [] } };
  for (const [key, column] of ARM_COLUMNS) {
    if (lead !== null && lead !== key) continue;
    if (filter[key].length === 0 || filter[key].includes(NONE_VALUE)) continue;
    const values = key === 'image' ? imageRepositories(filter.image) : filter[key];
    if (values === null || values.length < 2) return null;
    // The filter's own condition stays: an image's arm holds its repository's other tags too.
    const arms = values.map((value, i) => {
      params[`arm${i}`] = value;
      return `${column} = @arm${i}`;
    });
    return { arms, rest: filter };
  }
  return null;
}

/**
 * `q` as one FTS5 phrase, split into words as the alerts' text was; a trailing `*` makes the last word
 * a prefix. Quoted so FTS5 syntax (`OR`, `NEAR`, `:`, `^`, a `*` elsewhere) stays literal; a quote is
 * doubled. Bound as a parameter, never put into SQL.
 */
export function ftsQuery(q: string): string {
  const words = q.replace(/\*+$/, '');
  return `"${words.replaceAll('"', '""')}"${words.length < q.length ? '*' : ''}`;
}

/**
 * The last word of a search ending in `*`, as the word index splits and stores it (lower-cased), or
 * undefined when the search has no prefix. "etc/sha*" → "sha".
 */
export function searchPrefix(filter: EventFilter): string | undefined {
  const q = searchText(filter);
  if (q === undefined || !q.endsWith('*')) return undefined;
  return q.match(/[\p{L}\p{N}\p{Co}]+/gu)?.at(-1);
}

/** The free-text search as matched against the alerts' lower-cased text, or undefined when there is none. */
export function searchText(filter: EventFilter): string | undefined {
  const q = filter.q === undefined ? undefined : withoutPrivateUse(filter.q.toLowerCase()).trim();
  return q ? q : undefined;
}

/**
 * The word index query of a filter with free text: its phrase, and with `facets` the facet tokens
 * of its faceted filters too (lib/db/facets.ts), which narrow the matches to the alerts they select.
 */
export function searchQuery(filter: EventFilter, facets: boolean): string {
  const phrase = ftsQuery(searchText(filter)!);
  const narrowed = facets ? facetQuery(filter) : null;
  return narrowed ? `${phrase} AND ${narrowed}` : phrase;
}

/** Whether a filter selects by any of the per-alert columns (rule, host, container …). */
export const hasColumnFilter = (filter: EventFilter) =>
  Object.keys(COLUMN_FILTERS).some((key) => filter[key as keyof typeof COLUMN_FILTERS].length > 0);

/** Whether a filter selects by what only each alert's row can tell: its chain or its triage group. */
export const hasRowFilter = (filter: EventFilter) =>
  filter.chain.length > 0 || filter.group.length > 0 || filter.status.length > 0;

/** Alerts of any of the groups (keys as /api/groups spells them), through their atoms (migration 0017). */
function groupCondition(keys: readonly string[], params: Record<string, unknown>): string {
  const alternatives = keys.map((text, i) => {
    const { grouping, hex } = parseGroupKey(text)!;
    params[`group${i}`] = Buffer.from(hex, 'hex');
    return `a.${keyColumn(grouping)} = @group${i}`;
  });
  return `e.group_id IN (SELECT a.id FROM group_atoms a WHERE ${alternatives.join(' OR ')})`;
}

/**
 * Alerts whose group under the default grouping has one of the statuses. Open groups have no row
 * or were set open, or were resolved and have fired since (reopened).
 */
function statusCondition(statuses: readonly string[], params: Record<string, unknown>): string {
  const column = keyColumn(groupingNamed(DEFAULT_GROUPING)!);
  const effective = `CASE WHEN t.status = 'resolved' AND EXISTS (SELECT 1 FROM group_atoms x WHERE x.${column} = t.key AND x.last_ns > t.set_ns) THEN 'open' ELSE t.status END`;
  const wanted = statuses.map((status, i) => {
    params[`status${i}`] = status;
    return `@status${i}`;
  });
  const open = statuses.includes('open');
  const triaged = `SELECT t.key FROM group_triage t WHERE t.grouping = '${groupingNamed(DEFAULT_GROUPING)!.code}' AND ${effective} ${open ? 'NOT ' : ''}IN (${wanted.join(', ')})`;
  // Alerts not grouped yet (migration 0017's backfill) are open.
  return open
    ? `coalesce(e.group_id, 0) NOT IN (SELECT a.id FROM group_atoms a WHERE a.${column} IN (${triaged}))`
    : `e.group_id IN (SELECT a.id FROM group_atoms a WHERE a.${column} IN (${triaged}))`;
}

/** `where` (a `WHERE …` clause or empty) with one more condition. */
export function whereWith(where: string, extra: string | undefined): string {
  if (!extra) return where;
  return where ? `${where} AND ${extra}` : `WHERE ${extra}`;
}
