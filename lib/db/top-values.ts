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
import { withStoreState } from './filter-sql';
import { dimensionRows, eventRows, processNameRows, tagRows, type AlertRows, type ReadOptions } from './rollup-sql';
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
  const rows = prepared<TopRow>(
    db,
    `SELECT coalesce(${sql.value}, '${NONE_VALUE}') AS value, sum(e.alerts) AS count, min(e.priority_rank) AS worstRank
     FROM ${source.sql} e ${sql.where ? `WHERE ${sql.where}` : ''} GROUP BY 1 ORDER BY count DESC, value LIMIT @limit`,
  ).all({ ...source.params, limit });
  return rows.map((row) => ({
    value: row.value,
    label: row.value,
    count: row.count,
    worstPriority: priorityByRank(row.worstRank).name,
  }));
}
