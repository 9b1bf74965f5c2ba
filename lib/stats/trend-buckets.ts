// The buckets of the rules list's trends, with edges on whole multiples of the width or of half days
// since the epoch (UTC), so the hourly and half-day counts answer whole buckets and only the range's
// own edges are read alert by alert; `trendCoverage` tells the sparkline how much the end ones cover.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const HALF_DAY = 12 * HOUR;

/** Widths below half a day, each a divisor of half a day so that its edges are also whole hours (or minutes, or seconds). */
const WIDTHS_BELOW_HALF_DAY_MS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  20 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  3 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  20 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  4 * HOUR,
  6 * HOUR,
] as const;

/** 24 whole buckets, plus one for a range that does not end on an edge (24h → 25 hourly buckets). */
export const TREND_MAX_BUCKETS = 25;

export interface TrendBuckets {
  /** Start of the first bucket (ms since the epoch); at or before `from`. */
  start: number;
  widthMs: number;
  /** Number of buckets; every rule's trend has this many counts. */
  buckets: number;
  /** The range the counts cover: [from, to). */
  from: number;
  to: number;
}

function layout(fromMs: number, toMs: number, widthMs: number): TrendBuckets {
  // Edges are multiples of the grid counted back from the end, so the last bucket covers as much
  // of its width as the grid allows rather than a sliver.
  const grid = Math.min(widthMs, HALF_DAY);
  const end = Math.ceil(toMs / grid) * grid;
  const buckets = Math.max(1, Math.ceil((end - fromMs) / widthMs));
  return { start: end - buckets * widthMs, widthMs, buckets, from: fromMs, to: toMs };
}

/** The narrowest layout of at most `maxBuckets` buckets over [fromMs, toMs). */
export function trendBuckets(fromMs: number, toMs: number, maxBuckets = TREND_MAX_BUCKETS): TrendBuckets {
  for (const width of WIDTHS_BELOW_HALF_DAY_MS) {
    const candidate = layout(fromMs, toMs, width);
    if (candidate.buckets <= maxBuckets) return candidate;
  }
  // From half a day up, any multiple of half a day.
  for (let halfDays = 1; ; halfDays++) {
    const candidate = layout(fromMs, toMs, halfDays * HALF_DAY);
    if (candidate.buckets <= maxBuckets) return candidate;
  }
}

/** The fraction (0–1) of each bucket that lies inside the range: below 1 only at the ends. */
export function trendCoverage(trend: TrendBuckets): number[] {
  return Array.from({ length: trend.buckets }, (_, i) => {
    const start = trend.start + i * trend.widthMs;
    const inside = Math.min(trend.to, start + trend.widthMs) - Math.max(trend.from, start);
    return Math.max(0, inside) / trend.widthMs;
  });
}

/** A bucket width as people say it: `36 h`, `3 min`, `15 d`. */
export function formatTrendWidth(ms: number): string {
  const DAY = 24 * HOUR;
  if (ms >= 2 * DAY && ms % DAY === 0) return `${ms / DAY} d`;
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms >= MINUTE && ms % MINUTE === 0) return `${ms / MINUTE} min`;
  if (ms >= SECOND && ms % SECOND === 0) return `${ms / SECOND} s`;
  return `${ms} ms`;
}

/**
 * The hover text of each bar: its count and the part of its period inside the range, and for a
 * partial bar how much of its period that is.
 */
export function trendBarTitles(
  trend: TrendBuckets,
  counts: readonly number[],
  formatTime: (ms: number) => string,
): string[] {
  return trendCoverage(trend).map((covered, i) => {
    const start = Math.max(trend.from, trend.start + i * trend.widthMs);
    const end = Math.min(trend.to, trend.start + (i + 1) * trend.widthMs);
    const count = counts[i] ?? 0;
    const text = `${count.toLocaleString('en')} alert${count === 1 ? '' : 's'}, ${formatTime(start)} – ${formatTime(end)}`;
    return covered < 1
      ? `${text} (${Math.round(covered * 100)} % of a ${formatTrendWidth(trend.widthMs)} period)`
      : text;
  });
}
