// A request's time range, resolved once from the filter and handed to every read below it.
import { timeBoundsNs, type EventFilter } from '../filters/event-filter';
import { nsToMs } from './periods';

/** Bounds in nanoseconds (undefined: unbounded), and the clock they were resolved at. */
export interface ResolvedRange {
  fromNs: bigint | undefined;
  toNs: bigint | undefined;
  nowMs: number;
}

export const resolveRange = (filter: Pick<EventFilter, 'from' | 'to'>, nowMs = Date.now()): ResolvedRange => ({
  ...timeBoundsNs(filter, nowMs),
  nowMs,
});

/** A resolved range, or the clock to resolve the filter's own range at. */
export type RangeOrNow = ResolvedRange | number;

export const rangeOf = (filter: Pick<EventFilter, 'from' | 'to'>, at: RangeOrNow): ResolvedRange =>
  typeof at === 'number' ? resolveRange(filter, at) : at;

/** The range in milliseconds, as the responses give it: "all time" from null, an open end at now. */
export const rangeMs = ({ fromNs, toNs, nowMs }: ResolvedRange): { from: number | null; to: number } => ({
  from: fromNs === undefined ? null : nsToMs(fromNs),
  to: toNs === undefined ? nowMs : nsToMs(toNs),
});
