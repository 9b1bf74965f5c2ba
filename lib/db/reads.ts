import 'server-only';
// Every read behind the read API, by name, so that it can run on a reader thread
// (lib/db/read-pool.ts) as well as on the main one. Each takes the connection first, then what can
// cross between threads (a structured clone), and returns what the route answers.
import { NotFound } from '../errors';
import type { EventFilter, EventPage } from '../filters/event-filter';
import type { Dimension } from '../filters/dimensions';
import type { Db } from './connection';
import { exportPage, type ExportFormat } from './export';
import { getEventOrThrow, listEvents, priorityTotals, rawEventsPage } from './event-queries';
import type { TimelineStack } from '../stats/types';
import { containerRows } from './containers';
import { processTree } from './process-tree';
import { rangeSummary } from './range-summary';
import { relatedEvents } from './related';
import type { GroupQuery } from '../triage/groupings';
import { listGroups } from './groups';
import { ruleRows } from './rules';
import { timeline } from './timeline';
import { topValues } from './top-values';

export const READS = {
  events: (db: Db, filter: EventFilter, page: EventPage, nowMs: number) => listEvents(db, filter, page, nowMs),
  rawEvents: (db: Db, filter: EventFilter, page: EventPage, nowMs: number) => rawEventsPage(db, filter, page, nowMs),
  event: (db: Db, id: number) => getEventOrThrow(db, id),
  related: (db: Db, id: number) => {
    const related = relatedEvents(db, id);
    if (!related) throw new NotFound(`There is no alert with id ${id}.`);
    return related;
  },
  summary: (db: Db, filter: EventFilter) => rangeSummary(db, filter),
  priorities: (db: Db, filter: EventFilter) => priorityTotals(db, filter),
  top: (db: Db, filter: EventFilter, dimension: Dimension, limit: number) => ({
    dimension,
    values: topValues(db, filter, dimension, limit),
  }),
  timeline: (db: Db, filter: EventFilter, stack: TimelineStack, series: number) => timeline(db, filter, stack, series),
  rules: (db: Db, filter: EventFilter) => ruleRows(db, filter),
  groups: (db: Db, filter: EventFilter, query: GroupQuery, nowMs: number) => listGroups(db, filter, query, nowMs),
  containers: (db: Db, filter: EventFilter, limit: number) => ({ containers: containerRows(db, filter, limit) }),
  exportPage: (
    db: Db,
    filter: EventFilter,
    format: ExportFormat,
    cursor: string | undefined,
    started: boolean,
    nowMs: number,
  ) => exportPage(db, filter, format, cursor, started, nowMs),
  processTree: (db: Db, filter: EventFilter, chains: number, alerts: number) =>
    processTree(db, filter, chains, Date.now(), alerts),
} as const;

type Reads = typeof READS;
export type ReadName = keyof Reads;
type Rest<F> = F extends (db: Db, ...args: infer A) => unknown ? A : never;
export type ReadArgs<K extends ReadName> = Rest<Reads[K]>;
export type ReadResult<K extends ReadName> = ReturnType<Reads[K]>;
