import { describe, expect, it } from 'vitest';
import { BUCKET_WIDTHS_MS, bucketWidthMs, fillBuckets, timelineTicks, type BucketCount } from './buckets';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The ranges the dashboard offers, with the width a user gets and the number of bars when the range
// starts on a bucket boundary (one more when it does not).
const RANGES = [
  { range: '15m', ms: 15 * MINUTE, width: 10 * SECOND, bars: 90 },
  { range: '1h', ms: HOUR, width: MINUTE, bars: 60 },
  { range: '6h', ms: 6 * HOUR, width: 5 * MINUTE, bars: 72 },
  { range: '24h', ms: DAY, width: 15 * MINUTE, bars: 96 },
  { range: '7d', ms: 7 * DAY, width: 3 * HOUR, bars: 56 },
  { range: '30d', ms: 30 * DAY, width: 12 * HOUR, bars: 60 },
] as const;

// Moments that fall on, just after, and well inside a bucket of every width.
const NOWS = [
  Date.parse('2026-03-01T00:00:00Z'),
  Date.parse('2026-03-01T12:00:00.001Z'),
  Date.parse('2026-03-01T12:07:13.457Z'),
];
const drawnBars = (ms: number, width: number, now: number) => fillBuckets([], now - ms, now, width, []).length;
/** The same count by arithmetic, for widths that would make millions of buckets. */
const barsBetween = (ms: number, width: number, now: number) =>
  Math.floor((now - 1) / width) - Math.floor((now - ms) / width) + 1;

describe('bucketWidthMs', () => {
  it.each(RANGES)('sizes $range to $width ms ($bars or $bars + 1 bars)', ({ ms, width, bars }) => {
    expect(bucketWidthMs(ms)).toBe(width);
    expect(drawnBars(ms, width, NOWS[0]!)).toBe(bars);
    expect(drawnBars(ms, width, NOWS[1]!)).toBe(bars + 1);
  });

  // The dashboard draws what fillBuckets returns; `to` is "now", which is rarely on a bucket boundary.
  it.each(RANGES)('keeps the drawn timeline of $range within 120 bars wherever now falls', ({ ms }) => {
    const width = bucketWidthMs(ms);
    for (const now of NOWS) {
      expect(drawnBars(ms, width, now), `now=${new Date(now).toISOString()}`).toBeLessThanOrEqual(120);
      expect(barsBetween(ms, width, now)).toBe(drawnBars(ms, width, now));
    }
  });

  it.each(RANGES)(
    'picks the narrowest such width for $range: every narrower one can draw more than 120 bars',
    ({ ms }) => {
      const width = bucketWidthMs(ms);
      for (const w of BUCKET_WIDTHS_MS.filter((x) => x < width)) {
        expect(Math.max(...NOWS.map((now) => barsBetween(ms, w, now))), `width ${w}`).toBeGreaterThan(120);
      }
    },
  );

  it('honours a custom maximum', () => {
    expect(bucketWidthMs(HOUR, 61)).toBe(MINUTE);
    expect(bucketWidthMs(DAY, 25)).toBe(HOUR);
    for (const max of [10, 24, 60]) {
      for (const now of NOWS) expect(drawnBars(DAY, bucketWidthMs(DAY, max), now)).toBeLessThanOrEqual(max);
    }
  });

  it('uses one second for tiny or empty ranges and the widest width beyond what fits', () => {
    expect(bucketWidthMs(0)).toBe(SECOND);
    expect(bucketWidthMs(500)).toBe(SECOND);
    expect(bucketWidthMs(119 * SECOND)).toBe(SECOND);
    expect(bucketWidthMs(120 * SECOND)).toBe(5 * SECOND);
    expect(bucketWidthMs(10 * 365 * DAY)).toBe(30 * DAY);
  });
});

describe('fillBuckets', () => {
  const width = MINUTE;
  // 12:00:15 to 12:05:15: partial first and last minutes.
  const from = Date.parse('2026-03-01T12:00:15Z');
  const to = Date.parse('2026-03-01T12:05:15Z');
  const first = Math.floor(from / width);
  const row = (offset: number, series: string, count: number): BucketCount => ({
    bucket: first + offset,
    series,
    count,
  });

  it('covers every bucket from the one holding from to the one holding to - 1, aligned to the epoch', () => {
    const buckets = fillBuckets([], from, to, width, ['Warning']);
    expect(buckets.map((b) => new Date(b.start).toISOString())).toEqual([
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T12:01:00.000Z',
      '2026-03-01T12:02:00.000Z',
      '2026-03-01T12:03:00.000Z',
      '2026-03-01T12:04:00.000Z',
      '2026-03-01T12:05:00.000Z',
    ]);
    for (const bucket of buckets) expect(bucket.start % width).toBe(0);
  });

  it('keeps the same bucket bounds when the range moves by less than a bucket', () => {
    const a = fillBuckets([], from, to, width, []).map((b) => b.start);
    const b = fillBuckets([], from + 20 * SECOND, to + 20 * SECOND, width, []).map((x) => x.start);
    expect(b).toEqual(a);
  });

  it('does not open a bucket for an exclusive end on a boundary', () => {
    const end = Date.parse('2026-03-01T12:05:00Z');
    const buckets = fillBuckets([], from, end, width, []);
    expect(buckets.at(-1)?.start).toBe(Date.parse('2026-03-01T12:04:00Z'));
    expect(buckets).toHaveLength(5);
  });

  it('fills gaps with zeros for every series and adds up totals', () => {
    const buckets = fillBuckets([row(0, 'Critical', 2), row(0, 'Warning', 3), row(3, 'Warning', 1)], from, to, width, [
      'Critical',
      'Warning',
      'Notice',
    ]);
    expect(buckets.map((b) => b.counts)).toEqual([
      { Critical: 2, Warning: 3, Notice: 0 },
      { Critical: 0, Warning: 0, Notice: 0 },
      { Critical: 0, Warning: 0, Notice: 0 },
      { Critical: 0, Warning: 1, Notice: 0 },
      { Critical: 0, Warning: 0, Notice: 0 },
      { Critical: 0, Warning: 0, Notice: 0 },
    ]);
    expect(buckets.map((b) => b.total)).toEqual([5, 0, 0, 1, 0, 0]);
    for (const bucket of buckets)
      expect(bucket.total).toBe(Object.values(bucket.counts).reduce((sum, n) => sum + n, 0));
  });

  it('ignores rows outside the range', () => {
    const buckets = fillBuckets(
      [row(-1, 'Warning', 7), row(6, 'Warning', 9), row(100, 'Warning', 1), row(5, 'Warning', 1)],
      from,
      to,
      width,
      ['Warning'],
    );
    expect(buckets.reduce((sum, b) => sum + b.total, 0)).toBe(1);
    expect(buckets.at(-1)?.counts).toEqual({ Warning: 1 });
  });

  it('adds rows of the same bucket and series together', () => {
    const buckets = fillBuckets([row(2, 'other', 1), row(2, 'other', 4)], from, to, width, ['other']);
    expect(buckets[2]?.counts.other).toBe(5);
    expect(buckets[2]?.total).toBe(5);
  });

  it('gives one bucket for an empty range', () => {
    expect(fillBuckets([], from, from, width, ['a'])).toEqual([{ start: first * width, counts: { a: 0 }, total: 0 }]);
  });

  it('gives each bucket its own counts object', () => {
    const buckets = fillBuckets([row(0, 'a', 1)], from, to, width, ['a']);
    expect(buckets[1]?.counts.a).toBe(0);
    expect(buckets[0]?.counts).not.toBe(buckets[1]?.counts);
  });
});

describe('timelineTicks', () => {
  const starts = (fromMs: number, widthMs: number, count: number) =>
    Array.from({ length: count }, (_, i) => fromMs + i * widthMs);
  const utc = () => 0;
  const at = (ms: number[]) => ms.map((t) => new Date(t).toISOString().slice(5, 16));

  it("labels a day of 15-minute buckets every 3 hours of the reader's clock", () => {
    const day = starts(Date.parse('2026-03-01T10:15:00Z'), 15 * MINUTE, 97);
    expect(at(timelineTicks(day, 15 * MINUTE, 10, utc))).toEqual([
      '03-01T12:00',
      '03-01T15:00',
      '03-01T18:00',
      '03-01T21:00',
      '03-02T00:00',
      '03-02T03:00',
      '03-02T06:00',
      '03-02T09:00',
    ]);
    // Half an hour east of UTC, the same clock times fall half an hour earlier in UTC.
    expect(at(timelineTicks(day, 15 * MINUTE, 10, () => 5.5 * HOUR))[0]).toBe('03-01T12:30');
  });

  it('keeps every range the dashboard offers within the limit, with at least two labels', () => {
    for (const { range, ms, width } of RANGES) {
      const bars = starts(Date.parse('2026-03-01T00:00:00Z') - ms, width, Math.ceil(ms / width) + 1);
      for (const zone of [0, HOUR, -5 * HOUR, 5.5 * HOUR, 5.75 * HOUR]) {
        const ticks = timelineTicks(bars, width, 10, () => zone);
        expect(ticks.length, `${range} at ${zone / HOUR} h`).toBeLessThanOrEqual(10);
        expect(ticks.length, `${range} at ${zone / HOUR} h`).toBeGreaterThanOrEqual(2);
        expect(ticks.every((t) => bars.includes(t))).toBe(true);
      }
    }
  });

  it('falls back to every n-th bucket when no round step lands on a bucket', () => {
    // Hour-wide buckets seen from a zone off by a fraction of an hour: no local round hour starts a bucket.
    const bars = starts(Date.parse('2026-03-01T00:00:00Z'), HOUR, 40);
    expect(timelineTicks(bars, HOUR, 10, () => 45 * MINUTE)).toEqual(bars.filter((_, i) => i % 4 === 0));
  });

  it('labels every bucket when there are few', () => {
    const bars = starts(0, DAY, 6);
    expect(timelineTicks(bars, DAY, 10, utc)).toEqual(bars);
  });
});
