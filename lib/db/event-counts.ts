import 'server-only';
// What a batch of new alerts adds to the counts of migrations 0002, 0008, 0012 and 0013, summed in memory
// and written once in the batch's transaction: a few upserts per alike group, cheaper than per-row
// triggers. Deletes are uncounted by the migrations' triggers.
import type { StoredAlert } from '../falco/alert';
import {
  COUNTED_NAMES,
  DIMENSIONS,
  HOST_DETAIL,
  SHAPE_COLUMNS,
  type DimensionColumn,
  type DimensionSpec,
} from '../filters/dimensions';
import type { Db } from './connection';
import { NS_PER_HALF_DAY, NS_PER_HOUR, NS_PER_QUARTER } from './periods';

const QUARTERS_PER_HOUR = Number(NS_PER_HOUR / NS_PER_QUARTER);
// Quarter-hour counts are kept for the newest days only (migration 0016, docs/decisions/0037).
const QUARTERS_KEPT = 3 * 96;
const MS_PER_QUARTER = Number(NS_PER_QUARTER / 1_000_000n);
const QUARTERS_PER_HALF_DAY = Number(NS_PER_HALF_DAY / NS_PER_QUARTER);

interface EventCount {
  period: bigint;
  alert: StoredAlert;
  internal: number;
  alerts: number;
  firstNs: bigint;
  lastNs: bigint;
}

interface PriorityCount {
  quarter: bigint;
  internal: number;
  priorityRank: number;
  alerts: number;
}

interface DimensionCount {
  dimension: string;
  period: bigint;
  value: string | null;
  detail: string | null;
  internal: number;
  priorityRank: number;
  alerts: number;
}

/** Dimensions counted per hour too (migration 0013): the ones charts stack by. */
const HOURLY_DIMENSIONS = new Set<string>(
  COUNTED_NAMES.filter((name) => (DIMENSIONS[name] as DimensionSpec).counted!.hourly),
);

type DimensionKey = [string, string | null, string | null];
type DimensionCounts = Map<number, Map<string, Map<string | null, Map<string | null, DimensionCount>>>>;
type AlertField = DimensionColumn['field'];
const text = (alert: StoredAlert, field: AlertField) => alert[field] as string | null;

// Each counted dimension's key of an alert, as lib/filters/dimensions.ts declares it.
const COUNTED_KEYS = COUNTED_NAMES.map((name): ((alert: StoredAlert, hostOfHost: string | null) => DimensionKey) => {
  const spec: DimensionSpec = DIMENSIONS[name];
  const value = spec.columns![0]!.field;
  const detail = spec.counted!.detail;
  if (detail === undefined) return (alert) => [name, text(alert, value), null];
  if (detail === HOST_DETAIL) return (alert, hostOfHost) => [name, text(alert, value), hostOfHost];
  const detailField = spec.columns!.find((column) => column.column === detail)!.field;
  return (alert) => [name, text(alert, value), text(alert, detailField)];
});

/** An alert's key in each dimension of migration 0013, as its view event_dimension_keys writes them (null for x''). */
export function dimensionKeys(alert: StoredAlert, processNames: Iterable<string>): DimensionKey[] {
  const hostOfHost = alert.containerId === 'host' ? alert.hostname : null;
  return [
    ...COUNTED_KEYS.map((key) => key(alert, hostOfHost)),
    ['rule_container', alert.rule, `${alert.containerId ?? ''}\u001f${hostOfHost ?? ''}`],
    ['rule_host', alert.rule, alert.hostname],
    ...[...processNames].map((name): DimensionKey => ['proc', name, null]),
  ];
}

interface NameCount {
  hour: bigint;
  internal: number;
  priorityRank: number;
  name: string;
  alerts: number;
}

// A missing value is stored as x'' (see the migration); the dimensions bind by the alert's field names.
const eventCountUpsert = (table: string, periodColumn: string) => `
  INSERT INTO ${table} (${periodColumn}, internal, priority_rank, ${SHAPE_COLUMNS.map((c) => c.column).join(', ')}, alerts, first_ns, last_ns)
  VALUES (@period, @internal, @priorityRank, ${SHAPE_COLUMNS.map((c) => (c.nullable ? `coalesce(@${c.field}, x'')` : `@${c.field}`)).join(', ')}, @alerts, @firstNs, @lastNs)
  ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts, first_ns = min(first_ns, excluded.first_ns), last_ns = max(last_ns, excluded.last_ns)`;

const nameCountUpsert = (table: string, nameColumn: string) => `
  INSERT INTO ${table} (hour, internal, priority_rank, ${nameColumn}, alerts) VALUES (@hour, @internal, @priorityRank, @name, @alerts)
  ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts`;

export function prepareCountWriter(db: Db) {
  const upsertQuarterly = db.prepare(eventCountUpsert('event_counts_15m', 'quarter'));
  const upsertHourly = db.prepare(eventCountUpsert('event_counts_1h', 'hour'));
  const upsertHalfDaily = db.prepare(eventCountUpsert('event_counts_12h', 'half_day'));
  const upsertTag = db.prepare(nameCountUpsert('tag_counts_1h', 'tag'));
  const upsertProcess = db.prepare(nameCountUpsert('process_counts_1h', 'name'));
  const upsertDimension =
    db.prepare(`INSERT INTO dimension_counts_12h (dimension, half_day, value, detail, internal, priority_rank, alerts)
    VALUES (@dimension, @period, coalesce(@value, x''), coalesce(@detail, x''), @internal, @priorityRank, @alerts)
    ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts`);
  const upsertHourlyDimension =
    db.prepare(`INSERT INTO dimension_counts_1h (dimension, value, detail, hour, internal, priority_rank, alerts)
    VALUES (@dimension, coalesce(@value, x''), coalesce(@detail, x''), @period, @internal, @priorityRank, @alerts)
    ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts`);
  const horizon = db.prepare<[], number>('SELECT quarter FROM event_counts_15m_horizon').pluck();
  const moveHorizon = db.prepare('UPDATE event_counts_15m_horizon SET quarter = ? WHERE quarter < ?');
  const upsertPriority = db.prepare(`INSERT INTO priority_counts_15m (quarter, internal, priority_rank, alerts)
    VALUES (@quarter, @internal, @priorityRank, @alerts) ON CONFLICT DO UPDATE SET alerts = alerts + excluded.alerts`);

  const bind = ({ period, alert, internal, alerts, firstNs, lastNs }: EventCount) => {
    const params: Record<string, unknown> = {
      period,
      internal,
      alerts,
      firstNs,
      lastNs,
      priorityRank: alert.priorityRank,
    };
    for (const { field } of SHAPE_COLUMNS) params[field] = alert[field];
    return params;
  };

  /** Sums for one batch; `write` adds them to the tables (call it inside the batch's transaction). */
  return () => {
    // Keyed by the alert's dimensions, then by period: one lookup of the long key per alert.
    const byDimensions = new Map<
      string,
      { quarterly: Map<number, EventCount>; hourly: Map<number, EventCount>; halfDaily: Map<number, EventCount> }
    >();
    // Keyed by hour, internal and priority rank (together one number), then by name.
    const tags = new Map<number, Map<string, NameCount>>();
    const processes = new Map<number, Map<string, NameCount>>();
    // Keyed by quarter, internal and priority rank, one number as below.
    const priorities = new Map<number, PriorityCount>();
    // Keyed by period, internal and priority rank (one number, as below), then by each part of the
    // dimension's key: a Map keeps null and '' apart, as the tables do, and joins no strings.
    const dimensionCounts: DimensionCounts = new Map();
    const hourlyDimensions: DimensionCounts = new Map();
    const addDimension = (
      counts: DimensionCounts,
      [dimension, value, detail]: DimensionKey,
      period: number,
      internal: number,
      priorityRank: number,
    ) => {
      const group = period * 16 + internal * 8 + priorityRank;
      let dimensions = counts.get(group);
      if (!dimensions) counts.set(group, (dimensions = new Map()));
      let values = dimensions.get(dimension);
      if (!values) dimensions.set(dimension, (values = new Map()));
      let details = values.get(value);
      if (!details) values.set(value, (details = new Map()));
      const count = details.get(detail);
      if (count) count.alerts++;
      else details.set(detail, { dimension, value, detail, period: BigInt(period), internal, priorityRank, alerts: 1 });
    };
    const eachDimensionCount = function* (counts: DimensionCounts) {
      for (const dimensions of counts.values())
        for (const values of dimensions.values()) for (const details of values.values()) yield* details.values();
    };

    const addEvent = (counts: Map<number, EventCount>, period: number, alert: StoredAlert, internal: number) => {
      const count = counts.get(period);
      if (!count)
        counts.set(period, {
          period: BigInt(period),
          alert,
          internal,
          alerts: 1,
          firstNs: alert.timeNs,
          lastNs: alert.timeNs,
        });
      else {
        count.alerts++;
        if (alert.timeNs < count.firstNs) count.firstNs = alert.timeNs;
        if (alert.timeNs > count.lastNs) count.lastNs = alert.timeNs;
      }
    };
    const namesOf = (counts: Map<number, Map<string, NameCount>>, group: number) => {
      let names = counts.get(group);
      if (!names) counts.set(group, (names = new Map()));
      return names;
    };
    const addName = (
      names: Map<string, NameCount>,
      hour: number,
      internal: number,
      priorityRank: number,
      name: string,
    ) => {
      const count = names.get(name);
      if (count) count.alerts++;
      else names.set(name, { hour: BigInt(hour), internal, priorityRank, name, alerts: 1 });
    };

    return {
      add(alert: StoredAlert) {
        const internal = alert.internal ? 1 : 0;
        // Periods as numbers, each a whole number of the one before (truncated as BigInt division is).
        const quarter = Number(alert.timeNs / NS_PER_QUARTER);
        const hour = Math.trunc(quarter / QUARTERS_PER_HOUR);
        const halfDay = Math.trunc(quarter / QUARTERS_PER_HALF_DAY);
        // JSON keeps null and '' apart, as the tables do.
        const shape: unknown[] = [internal, alert.priorityRank];
        for (const { field } of SHAPE_COLUMNS) shape.push(alert[field]);
        const dimensions = JSON.stringify(shape);
        let periods = byDimensions.get(dimensions);
        if (!periods)
          byDimensions.set(dimensions, (periods = { quarterly: new Map(), hourly: new Map(), halfDaily: new Map() }));
        addEvent(periods.quarterly, quarter, alert, internal);
        const priorityKey = quarter * 16 + internal * 8 + alert.priorityRank;
        const priority = priorities.get(priorityKey);
        if (priority) priority.alerts++;
        else
          priorities.set(priorityKey, {
            quarter: BigInt(quarter),
            internal,
            priorityRank: alert.priorityRank,
            alerts: 1,
          });
        addEvent(periods.hourly, hour, alert, internal);
        addEvent(periods.halfDaily, halfDay, alert, internal);
        // Ranks are 0–7, so hour, internal and rank make one distinct number.
        const group = hour * 16 + internal * 8 + alert.priorityRank;
        const tagNames = namesOf(tags, group);
        for (const tag of new Set(alert.tags)) addName(tagNames, hour, internal, alert.priorityRank, tag);
        // Each name once per alert: `sudo → sudo` is one alert for sudo, as the `proc` filter counts.
        const names = new Set<string>();
        for (const level of alert.ancestry) if (level.name !== null) names.add(level.name);
        for (const key of dimensionKeys(alert, names)) {
          addDimension(dimensionCounts, key, halfDay, internal, alert.priorityRank);
          if (HOURLY_DIMENSIONS.has(key[0])) addDimension(hourlyDimensions, key, hour, internal, alert.priorityRank);
        }
        if (names.size === 0) return;
        const processNames = namesOf(processes, group);
        for (const name of names) addName(processNames, hour, internal, alert.priorityRank, name);
      },
      write() {
        const [kept, wanted] = [horizon.get()!, Math.floor(Date.now() / MS_PER_QUARTER) - QUARTERS_KEPT];
        if (kept < wanted) moveHorizon.run(wanted, wanted);
        const first = BigInt(Math.max(kept, wanted));
        for (const { quarterly } of byDimensions.values())
          for (const count of quarterly.values()) if (count.period >= first) upsertQuarterly.run(bind(count));
        for (const { hourly } of byDimensions.values())
          for (const count of hourly.values()) upsertHourly.run(bind(count));
        for (const { halfDaily } of byDimensions.values())
          for (const count of halfDaily.values()) upsertHalfDaily.run(bind(count));
        for (const names of tags.values()) for (const count of names.values()) upsertTag.run(count);
        for (const names of processes.values()) for (const count of names.values()) upsertProcess.run(count);
        for (const count of priorities.values()) upsertPriority.run(count);
        for (const count of eachDimensionCount(dimensionCounts)) upsertDimension.run(count);
        for (const count of eachDimensionCount(hourlyDimensions)) upsertHourlyDimension.run(count);
      },
    };
  };
}
