// Time buckets for timelines: a width sized to the range (about 60–120 bars), aligned to the
// epoch so a bucket keeps its bounds across refreshes, and gaps filled with zeros.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const BUCKET_WIDTHS_MS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
] as const;

/**
 * The narrowest width that splits the range into at most `maxBuckets` buckets. Buckets are aligned
 * to the epoch, so an unaligned range can touch one bucket more than range / width.
 */
export function bucketWidthMs(rangeMs: number, maxBuckets = 120): number {
  return BUCKET_WIDTHS_MS.find((width) => Math.ceil(rangeMs / width) + 1 <= maxBuckets) ?? BUCKET_WIDTHS_MS.at(-1)!;
}

// Round steps for a time axis's labels; a step is used only where it is a whole number of buckets.
const TICK_STEPS_MS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/** The reader's zone's offset from UTC at `ms`, in ms (east positive). */
const localZoneOffsetMs = (ms: number) => -new Date(ms).getTimezoneOffset() * MINUTE;

/**
 * The bucket starts a timeline labels: at most `maxTicks`, on round times of the reader's zone so the
 * labels read like a clock, or every n-th bucket when no round step fits (a zone half an hour off).
 */
export function timelineTicks(
  starts: readonly number[],
  widthMs: number,
  maxTicks = 10,
  zoneOffsetMs = localZoneOffsetMs,
): number[] {
  if (starts.length <= maxTicks) return [...starts];
  for (const step of TICK_STEPS_MS) {
    if (step < widthMs || step % widthMs !== 0) continue;
    const ticks = starts.filter((ms) => (ms + zoneOffsetMs(ms)) % step === 0);
    if (ticks.length <= maxTicks) {
      if (ticks.length >= 2) return ticks;
      break;
    }
  }
  const every = Math.ceil(starts.length / maxTicks);
  return starts.filter((_, i) => i % every === 0);
}

export interface BucketCount {
  /** Bucket index: floor(time / width). */
  bucket: number;
  series: string;
  count: number;
}

export interface TimelineBucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  counts: Record<string, number>;
  total: number;
}

/**
 * Every bucket from the one holding `fromMs` to the one holding `toMs - 1`, each with a count per
 * series (zero when absent). Rows outside the range are ignored.
 */
export function fillBuckets(
  rows: readonly BucketCount[],
  fromMs: number,
  toMs: number,
  widthMs: number,
  series: readonly string[],
): TimelineBucket[] {
  const first = Math.floor(fromMs / widthMs);
  const last = Math.max(first, Math.floor((toMs - 1) / widthMs));
  const buckets: TimelineBucket[] = [];
  for (let bucket = first; bucket <= last; bucket++) {
    buckets.push({ start: bucket * widthMs, counts: Object.fromEntries(series.map((name) => [name, 0])), total: 0 });
  }
  for (const row of rows) {
    const target = buckets[row.bucket - first];
    if (!target) continue;
    target.counts[row.series] = (target.counts[row.series] ?? 0) + row.count;
    target.total += row.count;
  }
  return buckets;
}
