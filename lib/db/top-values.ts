import 'server-only';
// The most frequent values of one dimension in a range, each with its worst priority.
import { priorityByRank } from '../falco/priorities';
import {
  DIMENSIONS,
  HOST_DETAIL,
  NONE_VALUE,
  noneLabel,
  type CountedName,
  type Dimension,
  type DimensionSpec,
} from '../filters/dimensions';
import type { EventFilter } from '../filters/event-filter';
import type { TopValue } from '../stats/types';
import type { Db } from './connection';
import { containerFacts } from './containers';
import { countByPriority } from './event-queries';
import { withStoreState } from './filter-sql';
import {
  dimensionRows,
  eventRows,
  processNameRows,
  processNameRowsPerName,
  tagRows,
  type AlertRows,
  type ReadOptions,
} from './rollup-sql';
import { prepared } from './statements';
import { rangeOf, type RangeOrNow, type ResolvedRange } from './time-range';

type RowsOf = (filter: EventFilter, range: ResolvedRange, options: ReadOptions) => AlertRows;

// Group keys of the dimensions without counts of their own (the counted ones have theirs), over
// the rows they are counted in. Keys come from the Dimension enum, never from request text.
const DIMENSION_SQL: Record<Exclude<Dimension, CountedName>, { rows: RowsOf; value: string; where?: string }> = {
  priority: { rows: eventRows, value: 'e.priority' },
  // Like the `proc` filter, a process counts every alert it appears in, as the process or an ancestor.
  proc: { rows: processNameRows, value: 'e.name' },
  tag: { rows: tagRows, value: 'e.tag' },
  tactic: { rows: tagRows, value: 'e.tag', where: "(e.tag GLOB 'mitre_*' OR e.tag GLOB 'TA[0-9][0-9][0-9][0-9]')" },
  technique: { rows: tagRows, value: 'e.tag', where: "e.tag GLOB 'T[0-9][0-9][0-9][0-9]*'" },
};

const isCounted = (dimension: Dimension): dimension is CountedName => !(dimension in DIMENSION_SQL);

// A value with a detail column of its own (an image's tag) is listed as the filter names it, `repo:tag`.
const countedValue = (dimension: CountedName) => {
  const detail = (DIMENSIONS[dimension] as DimensionSpec).counted?.detail;
  return detail !== undefined && detail !== HOST_DETAIL ? "e.value || coalesce(':' || e.detail, '')" : 'e.value';
};

type TopRow = { value: string; count: number; worstRank: number };

export function topValues(
  db: Db,
  filter: EventFilter,
  dimension: Dimension,
  limit: number,
  at: RangeOrNow = Date.now(),
  readOptions: ReadOptions = {},
): TopValue[] {
  const options = withStoreState(db, filter, readOptions);
  const range = rangeOf(filter, at);
  if (dimension === 'container') {
    // Host processes are one pseudo-container per host, not one "host" container across the fleet.
    const source = dimensionRows(filter, 'container', range, options);
    const rows = prepared<TopRow & { hostname: string | null }>(
      db,
      `SELECT coalesce(e.value, '${NONE_VALUE}') AS value, e.detail AS hostname, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
       FROM ${source.sql} e GROUP BY e.value, e.detail ORDER BY count DESC, value LIMIT @limit`,
    ).all({ ...source.params, limit });
    const facts = containerFacts(
      db,
      rows.map((row) => ({ containerId: row.value, hostname: row.hostname })),
    );
    return rows.map((row, i) => ({
      value: row.value,
      hostname: row.hostname,
      label:
        row.value === 'host'
          ? `host ${row.hostname ?? ''}`.trim()
          : row.value === NONE_VALUE
            ? noneLabel('container')
            : (facts[i]!.name ?? row.value),
      count: row.count,
      worstPriority: priorityByRank(row.worstRank).name,
    }));
  }
  const sql = isCounted(dimension)
    ? {
        rows: (f: EventFilter, r: ResolvedRange, o: ReadOptions) => dimensionRows(f, dimension, r, o),
        value: countedValue(dimension),
        where: undefined,
      }
    : DIMENSION_SQL[dimension];
  const source = sql.rows(filter, range, options);
  const top = () =>
    prepared<TopRow>(
      db,
      `SELECT coalesce(${sql.value}, '${NONE_VALUE}') AS value, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
       FROM ${source.sql} e ${sql.where ? `WHERE ${sql.where}` : ''} GROUP BY 1 ORDER BY count DESC, value LIMIT @limit`,
    ).all({ ...source.params, limit });
  const rows = (dimension === 'proc' ? topProcessNames(db, filter, range, limit, options) : null) ?? top();
  return rows.map((row) => ({
    value: row.value,
    label: row.value,
    count: row.count,
    worstPriority: priorityByRank(row.worstRank).name,
  }));
}

/** The range, its open end (if any) put after the newest stored alert: no count can be later. */
function boundedRange(db: Db, range: ResolvedRange): ResolvedRange {
  if (range.toNs !== undefined) return range;
  // max() reads the last entry of events' time index.
  const newest = prepared<bigint | null>(db, 'SELECT max(time_ns) FROM events').pluck().safeIntegers(true).get();
  return { ...range, toNs: (newest ?? 0n) + 1n };
}

// The share of the range's alerts the last of the top names must hold for topProcessNames to answer.
const LARGE_ROW_SHARE = 16;

/**
 * The top process names, read only for the names with a row of `least` alerts: a name without one
 * has fewer than `least` times the most rows a name can have, so cannot pass a last top name with
 * that many (decision 0035). Null when unsure: the caller sorts every row by name.
 */
export function topProcessNames(
  db: Db,
  filter: EventFilter,
  range: ResolvedRange,
  limit: number,
  options: ReadOptions,
): TopRow[] | null {
  const bounded = boundedRange(db, range);
  const rowsPerName = processNameRowsPerName(filter, bounded, options);
  if (rowsPerName === null || limit < 1) return null;
  // The range's alert count only sizes `least`: names are counted once per alert, often more than one.
  const alerts = countByPriority(db, filter, bounded, options).reduce((sum, p) => sum + p.count, 0);
  const least = Math.floor(alerts / (rowsPerName * limit * LARGE_ROW_SHARE));
  if (least < 2) return null;
  const every = processNameRows(filter, bounded, options);
  const names = prepared<string>(db, `SELECT DISTINCT e.name FROM ${every.sql} e WHERE e.alerts >= @least`)
    .pluck()
    .all({ ...every.params, least });
  if (names.length < limit) return null;
  const source = processNameRows(filter, bounded, options, names);
  const rows = prepared<TopRow>(
    db,
    `SELECT e.name AS value, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
     FROM ${source.sql} e GROUP BY 1 ORDER BY count DESC, value LIMIT @limit`,
  ).all({ ...source.params, limit });
  const last = rows[limit - 1];
  return last !== undefined && last.count >= least * rowsPerName ? rows : null;
}
