import 'server-only';
// Where an aggregate reads its alerts from: whole periods from the counts (migrations 0002, 0008,
// 0012, 0013), partial quarters at the range's edges from `events`. Aggregates are written once over these
// rows (an alert, or a period's count of alike alerts), so both sources answer alike by construction.
import { PRIORITIES } from '../falco/priorities';
import {
  COUNTED_NAMES,
  DIMENSIONS,
  HOST_DETAIL,
  NONE_VALUE,
  SHAPE_COLUMNS,
  type CountedName,
  type DimensionSpec,
} from '../filters/dimensions';
import type { EventFilter } from '../filters/event-filter';
import {
  filterConditions,
  hasColumnFilter,
  hasRowFilter,
  matchedAlerts,
  searchText,
  type RareLists,
} from './filter-sql';
import { GROUPINGS, type Grouping } from '../triage/groupings';
import { groupKey, keyColumn } from './group-atoms';
import { NS_PER_HALF_DAY, NS_PER_HOUR, NS_PER_QUARTER } from './periods';
import { rangeOf, type RangeOrNow } from './time-range';

export interface AlertRows {
  /** A parenthesised query to follow FROM, aliased `e` by the caller. */
  sql: string;
  params: Record<string, unknown>;
}

export interface AlertRowsOptions {
  /** Leave out alerts before this time too (the filter's own bounds always apply). */
  fromNs?: bigint;
  /** Bucket boundaries of the aggregate, other than the range's ends: no counted period may straddle one. */
  boundariesNs?: readonly bigint[];
  /** Epoch-aligned buckets of this width (timelines): only periods that divide it are counted ones. */
  bucketWidthNs?: bigint;
  /** Read everything from `events`; tests compare both sources with it. */
  rawOnly?: boolean;
  /** Every alert has its facet tokens (facetsReady): free text's matches are narrowed by them. */
  facets?: boolean;
  /** The filter's tags or process names of few alerts (rareLists): their alerts are looked up by id. */
  lookUp?: RareLists;
  /** Name each period of counts read, so that a key after the period in a table's key is sought. */
  listPeriods?: boolean;
}

/** What a caller of the aggregates may choose (whether the counts may be used), and what the store allows. */
export type ReadOptions = Pick<AlertRowsOptions, 'rawOnly' | 'facets' | 'lookUp'>;

/** Half-open range; an undefined end is unbounded. Periods since the epoch, or nanoseconds. */
interface Range {
  from?: bigint;
  to?: bigint;
}

/** How `events` is read: `select` over `from` (matchedAlerts), with the given WHERE. */
interface RawRows {
  select: (from: string, whereSql: string) => string;
  /** Reads only id, time, health flag and priority rank (matchedAlerts). */
  narrow?: boolean;
}

/** A table of counts per period; `select` reads it, aliased `e`, with the given WHERE. */
interface CountsLevel {
  periodNs: bigint;
  periodColumn: string;
  select: (whereSql: string) => string;
  /** The first period the level holds, as SQL: earlier ones in its ranges are read from `events`. */
  firstPeriod?: string;
}

/** The counts that may answer for a filter: levels coarsest first, and what they are filtered by. */
interface Counts {
  levels: readonly CountsLevel[];
  /** The filter in the counts' terms (by default the filter itself). */
  filter?: EventFilter;
  /** A further condition on the counts, with its parameters. */
  condition?: string;
  params?: Record<string, unknown>;
}

/** Ranges of periods to read per level, and of time to read from `events`. */
interface ReadPlan {
  levels: Range[][];
  raw: Range[];
}

const ceilDiv = (ns: bigint, unit: bigint) => (ns + unit - 1n) / unit;
const compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Splits the time range into whole periods of the coarsest usable level, whole periods of the next
 * level at its ends, and so on; what is left at the edges (partial quarters) is read from `events`.
 */
function readPlan(
  filter: EventFilter,
  at: RangeOrNow,
  options: AlertRowsOptions,
  levels: readonly CountsLevel[],
): ReadPlan {
  const bounds = rangeOf(filter, at);
  const from =
    options.fromNs !== undefined && (bounds.fromNs === undefined || options.fromNs > bounds.fromNs)
      ? options.fromNs
      : bounds.fromNs;
  const to = bounds.toNs;
  const plan: ReadPlan = { levels: levels.map(() => []), raw: [] };
  if (from !== undefined && to !== undefined && from >= to) {
    plan.raw.push({ from, to });
    return plan;
  }
  // Buckets are epoch-aligned: a period that divides their width never straddles two of them.
  const usable = levels.map(
    (level) =>
      !options.rawOnly && (options.bucketWidthNs === undefined || options.bucketWidthNs % level.periodNs === 0n),
  );

  const split = (start: bigint | undefined, end: bigint | undefined, level: number): void => {
    if (level === levels.length) {
      appendRange(plan.raw, { from: start, to: end });
      return;
    }
    const periodNs = levels[level]!.periodNs;
    const first = start === undefined ? undefined : ceilDiv(start, periodNs);
    const last = end === undefined ? undefined : end / periodNs;
    if (!usable[level] || (first !== undefined && last !== undefined && first >= last)) {
      split(start, end, level + 1);
      return;
    }
    if (start !== undefined && first! * periodNs > start) split(start, first! * periodNs, level + 1);
    appendRange(plan.levels[level]!, { from: first, to: last });
    if (end !== undefined && last! * periodNs < end) split(last! * periodNs, end, level + 1);
  };

  // Boundaries cut the range into pieces, each split on its own; touching ranges merge again.
  const inside = (ns: bigint) => (from === undefined || ns > from) && (to === undefined || ns < to);
  const cuts = [...new Set(options.boundariesNs ?? [])].filter(inside).sort(compare);
  const edges = [from, ...cuts, to];
  for (let i = 0; i + 1 < edges.length; i++) split(edges[i], edges[i + 1], 0);
  return plan;
}

/** Adds a range, merged into the last one when they touch (pieces come in time order). */
function appendRange(ranges: Range[], range: Range) {
  const last = ranges.at(-1);
  if (last && last.to !== undefined && last.to === range.from) last.to = range.to;
  else ranges.push({ ...range });
}

/** `column` within any of the ranges, binding each end as `@<name>From<i>` / `@<name>To<i>`. */
function rangesSql(
  column: string,
  name: string,
  ranges: readonly Range[],
  params: Record<string, unknown>,
  list = false,
): string {
  if (list && ranges.every((range) => range.from !== undefined && range.to !== undefined)) {
    const periods: string[] = [];
    for (const range of ranges)
      for (let period = range.from!; period < range.to!; period++) periods.push(String(period));
    params[`${name}List`] = `[${periods.join(',')}]`;
    return `${column} IN (SELECT value FROM json_each(@${name}List))`;
  }
  const alternatives = ranges.map((range, i) => {
    const bounds: string[] = [];
    if (range.from !== undefined) {
      bounds.push(`${column} >= @${name}From${i}`);
      params[`${name}From${i}`] = range.from;
    }
    if (range.to !== undefined) {
      bounds.push(`${column} < @${name}To${i}`);
      params[`${name}To${i}`] = range.to;
    }
    return bounds.length > 0 ? bounds.join(' AND ') : 'true';
  });
  return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`;
}

/** The rows of every source in the plan as one query; the caller's aggregate regroups them. */
function alertRows(
  filter: EventFilter,
  at: RangeOrNow,
  options: AlertRowsOptions,
  raw: RawRows,
  counts: Counts | undefined,
): AlertRows {
  const levels = counts?.levels ?? [];
  const params: Record<string, unknown> = {};
  const alerts = matchedAlerts(filter, params, {
    narrow: raw.narrow,
    facets: options.facets,
    lookUp: options.lookUp,
  });
  const plan = readPlan(filter, at, options, levels);
  const whereSql = (range: string, conditions: readonly string[]) => `WHERE ${[range, ...conditions].join(' AND ')}`;
  const arms: string[] = [];
  if (plan.raw.length > 0)
    arms.push(raw.select(alerts.from, whereSql(rangesSql('e.time_ns', 'raw', plan.raw, params), alerts.conditions)));
  if (counts && plan.levels.some((ranges) => ranges.length > 0)) {
    // The counts name their columns as `events` does, so the filter's own SQL applies to them.
    const countConditions = [
      ...filterConditions(counts.filter ?? filter, params),
      ...(counts.condition ? [counts.condition] : []),
    ];
    Object.assign(params, counts.params);
    levels.forEach((level, i) => {
      const ranges = plan.levels[i]!;
      if (ranges.length === 0) return;
      const period = rangesSql(`e.${level.periodColumn}`, level.periodColumn, ranges, params, options.listPeriods);
      if (level.firstPeriod === undefined) {
        arms.push(level.select(whereSql(period, countConditions)));
        return;
      }
      arms.push(
        level.select(whereSql(`${period} AND e.${level.periodColumn} >= ${level.firstPeriod}`, countConditions)),
      );
      const times = ranges.map((range) => ({
        from: range.from === undefined ? undefined : range.from * level.periodNs,
        to: range.to === undefined ? undefined : range.to * level.periodNs,
      }));
      const before = `${rangesSql('e.time_ns', `${level.periodColumn}Raw`, times, params)} AND e.time_ns < ${level.firstPeriod} * ${level.periodNs}`;
      arms.push(raw.select(alerts.from, whereSql(before, alerts.conditions)));
    });
  }
  return { sql: `(${arms.join(' UNION ALL ')})`, params };
}

const PRIORITY_NAME = `CASE e.priority_rank ${PRIORITIES.map((p) => `WHEN ${p.rank} THEN '${p.name}'`).join(' ')} END`;
const DIMENSION_COLUMN_SQL = ['internal', 'priority_rank', ...SHAPE_COLUMNS.map((c) => c.column)]
  .map((c) => `e.${c}`)
  .join(', ');

/** A table of event counts as a subquery whose columns read as `events` names and holds them (NULL for no value). */
export const storedCounts = (table: string, periodColumn: string) =>
  `(SELECT ${periodColumn}, internal, priority_rank, ${SHAPE_COLUMNS.map((c) => (c.nullable ? `nullif(${c.column}, x'') AS ${c.column}` : c.column)).join(', ')}, alerts, first_ns, last_ns FROM ${table})`;

/** The levels of event counts, reading `columns` (given the start of each row's period). */
function eventCounts(columns: (timeNs: string) => string): CountsLevel[] {
  const level = (table: string, periodColumn: string, periodNs: bigint, firstPeriod?: string): CountsLevel => ({
    periodNs,
    periodColumn,
    select: (whereSql) =>
      `SELECT ${columns(`e.${periodColumn} * ${periodNs}`)} FROM ${storedCounts(table, periodColumn)} e ${whereSql}`,
    firstPeriod,
  });
  return [
    level('event_counts_12h', 'half_day', NS_PER_HALF_DAY),
    level('event_counts_1h', 'hour', NS_PER_HOUR),
    level('event_counts_15m', 'quarter', NS_PER_QUARTER, '(SELECT quarter FROM event_counts_15m_horizon)'),
  ];
}

const hourlyCounts = (select: (whereSql: string) => string): CountsLevel => ({
  periodNs: NS_PER_HOUR,
  periodColumn: 'hour',
  select,
});

const EVENT_COUNTS = eventCounts(
  (timeNs) =>
    `${timeNs} AS time_ns, ${DIMENSION_COLUMN_SQL}, ${PRIORITY_NAME} AS priority, e.alerts, e.first_ns, e.last_ns`,
);
const EVENT_PRIORITY_COUNTS = eventCounts((timeNs) => `${timeNs} AS time_ns, e.priority_rank, e.alerts`);
const TAG_COUNTS = hourlyCounts(
  (whereSql) => `SELECT e.tag, e.priority_rank, e.alerts FROM tag_counts_1h e ${whereSql}`,
);
// Only the names of a JSON array, when processNameRows is given some. `events` is still read in
// time order (`+p.name`): a common name's rows by name would span all time.
const LISTED_NAMES = 'SELECT value FROM json_each(@listedNames)';
const namesIn = (column: string, listed: boolean) => (listed ? ` AND ${column} IN (${LISTED_NAMES})` : '');
const processLevels = (listed: boolean): CountsLevel[] => [
  {
    periodNs: NS_PER_HALF_DAY,
    periodColumn: 'half_day',
    select: (whereSql) =>
      `SELECT e.value AS name, e.priority_rank, e.alerts FROM dimension_counts_12h e ${whereSql} AND e.dimension = 'proc'${namesIn('e.value', listed)}`,
  },
  hourlyCounts(
    (whereSql) =>
      `SELECT e.name, e.priority_rank, e.alerts FROM process_counts_1h e ${whereSql}${namesIn('e.name', listed)}`,
  ),
];
// A filter of time, health and priority alone reads the counts by priority (migration 0012).
const PRIORITY_COUNTS: CountsLevel = {
  periodNs: NS_PER_QUARTER,
  periodColumn: 'quarter',
  select: (whereSql) =>
    `SELECT e.quarter * ${NS_PER_QUARTER} AS time_ns, e.priority_rank, e.alerts FROM priority_counts_15m e ${whereSql}`,
};
const TAG_PRIORITY_COUNTS = hourlyCounts(
  (whereSql) => `SELECT e.hour * ${NS_PER_HOUR} AS time_ns, e.priority_rank, e.alerts FROM tag_counts_1h e ${whereSql}`,
);
const PROCESS_PRIORITY_COUNTS = hourlyCounts(
  (whereSql) =>
    `SELECT e.hour * ${NS_PER_HOUR} AS time_ns, e.priority_rank, e.alerts FROM process_counts_1h e ${whereSql}`,
);

// Tags, processes, chains and text are per alert: only `events` can be matched against them.
const perAlertOnly = (filter: EventFilter) =>
  filter.tag.length === 0 && filter.proc.length === 0 && !hasRowFilter(filter) && searchText(filter) === undefined;
// The tag and process counts hold only hour, priority and internal besides the tag or name.
const timeAndPriorityOnly = (filter: EventFilter) => perAlertOnly(filter) && !hasColumnFilter(filter);

/** Whether the counts per dimension (dimensionRows) answer this filter, which then has no other filter than time, health and priority. */
export const dimensionCountsServe = (filter: EventFilter, options: ReadOptions = {}): boolean =>
  !options.rawOnly && timeAndPriorityOnly(filter);

const COVERING_INDEXED = ['user', 'image', 'pod'] as const;

/** Whether the filter selects by exactly one of the dimensions whose index holds time and priority, and by no other. */
function coveredByIndex(filter: EventFilter): boolean {
  const used = COVERING_INDEXED.filter((key) => filter[key].length > 0);
  return used.length === 1 && !filter[used[0]!].includes(NONE_VALUE) && !hasColumnFilter({ ...filter, [used[0]!]: [] });
}

/**
 * Alerts matching the filter as rows of time, dimensions, alerts, first_ns and last_ns: aggregate with
 * sum(alerts), min(first_ns), max(last_ns). A counted row's time_ns is the start of its period, so
 * pass the aggregate's time buckets in the options.
 */
export function eventRows(filter: EventFilter, at: RangeOrNow, options: AlertRowsOptions = {}): AlertRows {
  return alertRows(
    filter,
    at,
    options,
    {
      select: (from, whereSql) =>
        `SELECT e.time_ns, ${DIMENSION_COLUMN_SQL}, e.priority, 1 AS alerts, e.time_ns AS first_ns, e.time_ns AS last_ns FROM ${from} ${whereSql}`,
    },
    perAlertOnly(filter) ? { levels: EVENT_COUNTS } : undefined,
  );
}

/**
 * Alerts as rows of (time_ns, priority_rank, alerts) only, so free text's matches are read from the
 * narrow time table (migration 0007), never their rows. One tag or one process name is answered from
 * the tag or process counts too, which count an alert once per tag and per name.
 */
export function priorityRows(filter: EventFilter, at: RangeOrNow, options: AlertRowsOptions = {}): AlertRows {
  const raw: RawRows = {
    select: (from, whereSql) => `SELECT e.time_ns, e.priority_rank, 1 AS alerts FROM ${from} ${whereSql}`,
    narrow: true,
  };
  return alertRows(filter, at, options, raw, priorityCounts(filter));
}

/** The counts priorityRows may read for a filter, if any. */
function priorityCounts(filter: EventFilter): Counts | undefined {
  const [tag, ...moreTags] = filter.tag;
  const [name, ...moreNames] = filter.proc;
  const rest = { ...filter, tag: [], proc: [] };
  if (timeAndPriorityOnly(rest) && tag !== undefined && moreTags.length === 0 && name === undefined) {
    return {
      levels: [TAG_PRIORITY_COUNTS],
      filter: rest,
      condition: 'e.tag = @countedTag',
      params: { countedTag: tag },
    };
  }
  if (timeAndPriorityOnly(rest) && name !== undefined && moreNames.length === 0 && tag === undefined) {
    return {
      levels: [PROCESS_PRIORITY_COUNTS],
      filter: rest,
      condition: 'e.name = @countedName',
      params: { countedName: name },
    };
  }
  if (timeAndPriorityOnly(filter)) return { levels: [PRIORITY_COUNTS] };
  // Only a user, image or pod: its own index holds time and priority, and only its alerts.
  if (perAlertOnly(filter) && coveredByIndex(filter)) return undefined;
  return perAlertOnly(filter) ? { levels: EVENT_PRIORITY_COUNTS } : undefined;
}

/** Whether counts by priority (countByPriority) read the counts for this filter rather than every matching alert. */
export const priorityCountsServe = (filter: EventFilter): boolean => priorityCounts(filter) !== undefined;

/** Each alert's tags as rows of (tag, priority_rank, alerts): aggregate with sum(alerts). */
export function tagRows(filter: EventFilter, at: RangeOrNow, options: AlertRowsOptions = {}): AlertRows {
  return alertRows(
    filter,
    at,
    options,
    {
      select: (from, whereSql) =>
        `SELECT t.tag, e.priority_rank, 1 AS alerts FROM ${from} JOIN event_tags t ON t.event_id = e.id ${whereSql}`,
      narrow: true,
    },
    timeAndPriorityOnly(filter) ? { levels: [TAG_COUNTS] } : undefined,
  );
}

/**
 * The process names of each alert's ancestry, once per alert (`sudo → sudo` is one), as rows of
 * (name, priority_rank, alerts): aggregate with sum(alerts).
 */
export function processNameRows(
  filter: EventFilter,
  at: RangeOrNow,
  options: AlertRowsOptions = {},
  names?: readonly string[],
): AlertRows {
  const listed = names !== undefined;
  const rows = alertRows(
    filter,
    at,
    { ...options, listPeriods: listed },
    {
      select: (
        from,
        whereSql,
      ) => `SELECT p.name, e.priority_rank, count(DISTINCT e.id) AS alerts FROM ${from} JOIN event_processes p ON p.event_id = e.id
      ${whereSql} AND p.name IS NOT NULL${namesIn('+p.name', listed)} GROUP BY p.name, e.priority_rank`,
      narrow: true,
    },
    timeAndPriorityOnly(filter) ? { levels: processLevels(listed) } : undefined,
  );
  return listed ? { sql: rows.sql, params: { ...rows.params, listedNames: JSON.stringify(names) } } : rows;
}

/**
 * The most rows one name can have among processNameRows' rows when they come from the counts: one
 * per health flag and rank in each period, and per rank from `events`. Null when they do not, or
 * the range is unbounded.
 */
export function processNameRowsPerName(filter: EventFilter, at: RangeOrNow, options: AlertRowsOptions = {}) {
  if (!timeAndPriorityOnly(filter) || options.rawOnly) return null;
  const ranks = PRIORITIES.length;
  const plan = readPlan(filter, at, options, processLevels(false));
  let periods = 0n;
  for (const ranges of plan.levels)
    for (const { from, to } of ranges) {
      if (from === undefined || to === undefined) return null;
      periods += to - from;
    }
  return Number(periods) * 2 * ranks + (plan.raw.length > 0 ? ranks : 0);
}

/** How a dimension of migration 0013 keys an alert, over `events`' column names. */
interface CountedDimension {
  value: string;
  detail: string;
  /** Whether it is counted per hour too (dimension_counts_1h). */
  hourly?: boolean;
}

export const HOST_OF_HOST_PROCESSES = "CASE WHEN e.container_id = 'host' THEN e.hostname END";

const countedKey = (name: CountedName): CountedDimension => {
  const spec: DimensionSpec = DIMENSIONS[name];
  const detail = spec.counted!.detail;
  return {
    value: `e.${spec.columns![0]!.column}`,
    detail: detail === undefined ? 'NULL' : detail === HOST_DETAIL ? HOST_OF_HOST_PROCESSES : `e.${detail}`,
    hourly: spec.counted!.hourly,
  };
};

/** The counted dimensions (lib/filters/dimensions.ts), and the pairs the rules table counts by. */
export const COUNTED_DIMENSIONS = {
  ...(Object.fromEntries(COUNTED_NAMES.map((name) => [name, countedKey(name)])) as Record<
    CountedName,
    CountedDimension
  >),
  rule_container: {
    value: 'e.rule',
    detail:
      "coalesce(e.container_id, '') || char(31) || CASE WHEN e.container_id = 'host' THEN coalesce(e.hostname, '') ELSE '' END",
  },
  rule_host: { value: 'e.rule', detail: 'e.hostname' },
} satisfies Record<string, CountedDimension>;

export type CountedDimensionName = keyof typeof COUNTED_DIMENSIONS;

export interface DimensionRowsOptions extends AlertRowsOptions {
  /** Only these values (null for none), e.g. a chart's series. */
  values?: readonly (string | null)[];
  /**
   * The caller sums alerts per value and detail, and reads no time and no rank but the lowest: the
   * hourly counts, kept in value order, are then summed as they are read instead of sorted first.
   */
  perValue?: boolean;
}

/**
 * Alerts matching the filter as rows of (time_ns, value, detail, priority_rank, alerts) in one
 * dimension's terms (COUNTED_DIMENSIONS): aggregate with sum(alerts). A filter of time, health and
 * priority alone reads the dimension's own counts; others the counts per shape, or `events`.
 */
export function dimensionRows(
  filter: EventFilter,
  name: CountedDimensionName,
  at: RangeOrNow,
  options: DimensionRowsOptions = {},
): AlertRows {
  const dimension: CountedDimension = COUNTED_DIMENSIONS[name];
  const params: Record<string, unknown> = {};
  const valueList = options.values
    ?.map((value, i) => {
      params[`dimensionValue${i}`] = value ?? Buffer.alloc(0);
      return `@dimensionValue${i}`;
    })
    .join(', ');
  // Stored counts hold x'' for no value; `events` and the shape counts read as NULL (storedCounts).
  const storedValue = (column: string) => (valueList === undefined ? [] : [`${column} IN (${valueList})`]);
  const keyColumns = (timeNs: string) =>
    `${timeNs} AS time_ns, ${dimension.value} AS value, ${dimension.detail} AS detail, e.priority_rank, e.alerts`;
  const shapes = eventCounts(keyColumns).map(
    (level): CountsLevel => ({
      ...level,
      select: (whereSql) =>
        `${level.select(whereSql)} ${storedValue(`coalesce(${dimension.value}, x'')`)
          .map((c) => `AND ${c}`)
          .join(' ')}`,
    }),
  );
  const own = (table: string, periodColumn: string, periodNs: bigint, perValue = false): CountsLevel => ({
    periodNs,
    periodColumn,
    select: (whereSql) => {
      const key = "nullif(e.value, x'') AS value, nullif(e.detail, x'') AS detail";
      const from = `FROM ${table} e ${whereSql} AND ${['e.dimension = @dimensionName', ...storedValue('e.value')].join(' AND ')}`;
      return perValue
        ? `SELECT NULL AS time_ns, ${key}, min(e.priority_rank) AS priority_rank, sum(e.alerts) AS alerts ${from} GROUP BY e.value, e.detail`
        : `SELECT e.${periodColumn} * ${periodNs} AS time_ns, ${key}, e.priority_rank, e.alerts ${from}`;
    },
  });
  params.dimensionName = name;
  const counts: Counts | undefined = !perAlertOnly(filter)
    ? undefined
    : !timeAndPriorityOnly(filter)
      ? { levels: shapes }
      : options.perValue && dimension.hourly
        ? { levels: [own('dimension_counts_1h', 'hour', NS_PER_HOUR, true), shapes[2]!] }
        : {
            levels: [
              own('dimension_counts_12h', 'half_day', NS_PER_HALF_DAY),
              dimension.hourly ? own('dimension_counts_1h', 'hour', NS_PER_HOUR) : shapes[1]!,
              shapes[2]!,
            ],
          };
  const rows = alertRows(
    filter,
    at,
    options,
    {
      select: (
        from,
        whereSql,
      ) => `SELECT e.time_ns, ${dimension.value} AS value, ${dimension.detail} AS detail, e.priority_rank, 1 AS alerts
      FROM ${from} ${whereSql} ${storedValue(`coalesce(${dimension.value}, x'')`)
        .map((c) => `AND ${c}`)
        .join(' ')}`,
    },
    counts,
  );
  return { sql: rows.sql, params: { ...rows.params, ...params } };
}

export interface GroupRowsOptions extends AlertRowsOptions {
  /** Only these groups (keys in hex), bound as a JSON array: a page's groups. */
  keys?: readonly string[];
}

// Deletes take alerts off the counts but leave their first_ns and places: the half day of the
// oldest alert left, the one retention is part way through, is read from `events`.
const FIRST_WHOLE_HALF_DAY = `(SELECT min(time_ns) / ${NS_PER_HALF_DAY} + 1 FROM events)`;

const KEYS_LISTED = 'SELECT unhex(value) FROM json_each(@groupKeys)';
const keysIn = (column: string, keys: readonly string[] | undefined) =>
  keys === undefined ? '' : ` AND ${column} IN (${KEYS_LISTED})`;
const groupParams = (rows: AlertRows, grouping: Grouping, keys: readonly string[] | undefined): AlertRows => ({
  sql: rows.sql,
  params: {
    ...rows.params,
    grouping: grouping.code,
    ...(keys === undefined ? {} : { groupKeys: JSON.stringify(keys) }),
  },
});
const halfDayCounts = (select: (whereSql: string) => string): CountsLevel => ({
  periodNs: NS_PER_HALF_DAY,
  periodColumn: 'half_day',
  select,
  firstPeriod: FIRST_WHOLE_HALF_DAY,
});
// `events` has no index on group_id: its alerts are read first, by time, and their atoms looked up.
const withAtoms = (from: string) => `${from} CROSS JOIN group_atoms a ON a.id = e.group_id`;

/**
 * How the groups' counts answer a filter: as it is (time, health and priority alone), or, for
 * rules besides, with their groups picked by their atoms' rule keys. Null: read `events`.
 */
function groupCounts(
  filter: EventFilter,
): { filter: EventFilter; atoms?: string; params: Record<string, unknown> } | null {
  if (timeAndPriorityOnly(filter)) return { filter, params: {} };
  const rest = { ...filter, rule: [] };
  if (filter.rule.length === 0 || !timeAndPriorityOnly(rest)) return null;
  const params: Record<string, unknown> = {};
  const byRule = GROUPINGS[0];
  const list = filter.rule.map((rule, i) => {
    params[`ruleKey${i}`] = groupKey(byRule, { rule });
    return `@ruleKey${i}`;
  });
  return { filter: rest, atoms: `a.${keyColumn(byRule)} IN (${list.join(', ')})`, params };
}
const keysOfAtoms = (grouping: Grouping, atoms: string) =>
  `e.key IN (SELECT a.${keyColumn(grouping)} FROM group_atoms a WHERE ${atoms})`;
const countsOf = (
  grouping: Grouping,
  counts: ReturnType<typeof groupCounts>,
  level: CountsLevel,
  condition = (atoms: string) => keysOfAtoms(grouping, atoms),
): Counts | undefined =>
  counts === null
    ? undefined
    : {
        levels: [level],
        filter: counts.filter,
        ...(counts.atoms === undefined ? {} : { condition: condition(counts.atoms), params: counts.params }),
      };

/**
 * Alerts matching the filter as rows of (key, time_ns, priority_rank, alerts) per group under a
 * grouping: aggregate with sum(alerts). A filter of time, health and priority alone reads the half
 * days' counts (migration 0017), the range's edges `events`.
 */
export function groupRows(
  filter: EventFilter,
  at: RangeOrNow,
  grouping: Grouping,
  options: GroupRowsOptions = {},
): AlertRows {
  const column = `a.${keyColumn(grouping)}`;
  const level = halfDayCounts(
    (whereSql) =>
      `SELECT e.key, e.half_day * ${NS_PER_HALF_DAY} AS time_ns, e.priority_rank, e.alerts FROM group_counts_12h e ${whereSql} AND e.grouping = @grouping${keysIn('e.key', options.keys)}`,
  );
  const rows = alertRows(
    filter,
    at,
    { ...options, listPeriods: options.listPeriods ?? options.keys !== undefined },
    {
      select: (from, whereSql) =>
        `SELECT ${column} AS key, e.time_ns, e.priority_rank, 1 AS alerts FROM ${withAtoms(from)} ${whereSql}${keysIn(column, options.keys)}`,
    },
    countsOf(grouping, groupCounts(filter), level),
  );
  return groupParams(rows, grouping, options.keys);
}

/**
 * Each group's alerts matching the filter under a grouping, as a query of (key, worst, count,
 * first_ns, last_ns). The counts are summed in their key's order, without a sort; the range's edges
 * are summed apart and added to them by key, and the groups found only there appended.
 */
export function groupSums(
  filter: EventFilter,
  at: RangeOrNow,
  grouping: Grouping,
  options: ReadOptions = {},
): AlertRows {
  const column = `a.${keyColumn(grouping)}`;
  const params: Record<string, unknown> = { grouping: grouping.code };
  const alerts = matchedAlerts(filter, params, { facets: options.facets, lookUp: options.lookUp });
  const level = halfDayCounts(() => '');
  const counts = groupCounts(filter);
  const plan = readPlan(filter, at, options, counts ? [level] : []);
  const rawRanges = plan.raw.length > 0 ? [rangesSql('e.time_ns', 'raw', plan.raw, params)] : [];
  const halfDays = plan.levels[0] ?? [];
  let counted: string | undefined;
  if (halfDays.length > 0) {
    counted = [
      'e.grouping = @grouping',
      rangesSql('e.half_day', 'half_day', halfDays, params),
      `e.half_day >= ${FIRST_WHOLE_HALF_DAY}`,
      ...filterConditions(counts!.filter, params),
      ...(counts!.atoms === undefined ? [] : [keysOfAtoms(grouping, counts!.atoms)]),
    ].join(' AND ');
    Object.assign(params, counts!.params);
    const times = halfDays.map((range) => ({
      from: range.from === undefined ? undefined : range.from * NS_PER_HALF_DAY,
      to: range.to === undefined ? undefined : range.to * NS_PER_HALF_DAY,
    }));
    rawRanges.push(
      `${rangesSql('e.time_ns', 'half_dayRaw', times, params)} AND e.time_ns < ${FIRST_WHOLE_HALF_DAY} * ${NS_PER_HALF_DAY}`,
    );
  }
  const raw = rawRanges
    .map(
      (range) =>
        `SELECT ${column} AS key, e.priority_rank, e.time_ns FROM ${withAtoms(alerts.from)} WHERE ${[range, ...alerts.conditions].join(' AND ')}`,
    )
    .join(' UNION ALL ');
  const edges = `SELECT r.key, min(r.priority_rank) AS worst, count(*) AS count, min(r.time_ns) AS first_ns, max(r.time_ns) AS last_ns
    FROM (${raw}) r GROUP BY r.key`;
  if (counted === undefined) return { sql: `(${edges})`, params };
  const sums = `SELECT e.key, min(e.priority_rank) AS worst, sum(e.alerts) AS count, min(e.first_ns) AS first_ns, max(e.last_ns) AS last_ns
    FROM group_counts_12h e WHERE ${counted} GROUP BY e.key`;
  return {
    sql: `(WITH edges AS MATERIALIZED (${edges}), sums AS (${sums})
      SELECT s.key, min(s.worst, coalesce(d.worst, s.worst)) AS worst, s.count + coalesce(d.count, 0) AS count,
        min(s.first_ns, coalesce(d.first_ns, s.first_ns)) AS first_ns, max(s.last_ns, coalesce(d.last_ns, s.last_ns)) AS last_ns
      FROM sums s LEFT JOIN edges d ON d.key = s.key
      UNION ALL
      SELECT d.* FROM edges d WHERE NOT EXISTS (SELECT 1 FROM group_counts_12h e WHERE e.key = d.key AND ${counted}))`,
    params,
  };
}

// The places hold no health flag: an atom's alerts share their rule, so all have the same.
const placeCounts = (counts: ReturnType<typeof groupCounts>, level: CountsLevel): Counts | undefined =>
  counts === null
    ? undefined
    : {
        levels: [level],
        filter: { ...counts.filter, internal: 'include' },
        ...(counts.atoms === undefined ? {} : { condition: counts.atoms, params: counts.params }),
      };

/**
 * The containers and hosts of the given groups' matching alerts, as rows of (key, container_id,
 * hostname), NULL for none; the same place may come more than once.
 */
export function groupPlaceRows(
  filter: EventFilter,
  at: RangeOrNow,
  grouping: Grouping,
  keys: readonly string[],
): AlertRows {
  const column = `a.${keyColumn(grouping)}`;
  const level = halfDayCounts(
    (whereSql) =>
      `SELECT ${column} AS key, nullif(e.container_id, x'') AS container_id, nullif(e.hostname, x'') AS hostname
       FROM group_atoms a CROSS JOIN group_places_12h e ON e.group_id = a.id ${whereSql}${keysIn(column, keys)}`,
  );
  const rows = alertRows(
    filter,
    at,
    { listPeriods: true },
    {
      select: (from, whereSql) =>
        `SELECT ${column} AS key, e.container_id, e.hostname FROM ${withAtoms(from)} ${whereSql}${keysIn(column, keys)}`,
    },
    placeCounts(groupCounts(filter), level),
  );
  return groupParams(rows, grouping, keys);
}
