import { describe, expect, it } from 'vitest';
import { formatTrendWidth, TREND_MAX_BUCKETS, trendBarTitles, trendBuckets, trendCoverage } from './trend-buckets';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The ranges the dashboard offers, with the bucket width a user gets.
const RANGES = [
  { range: '15m', ms: 15 * MINUTE, width: MINUTE },
  { range: '1h', ms: HOUR, width: 3 * MINUTE },
  { range: '6h', ms: 6 * HOUR, width: 15 * MINUTE },
  { range: '24h', ms: DAY, width: HOUR },
  { range: '7d', ms: 7 * DAY, width: 12 * HOUR },
  { range: '30d', ms: 30 * DAY, width: 36 * HOUR },
  { range: '365d', ms: 365 * DAY, width: 15 * DAY },
] as const;

// Now on a 12-hour boundary, just after one, and mid-hour.
const NOWS = [
  Date.parse('2026-03-01T00:00:00Z'),
  Date.parse('2026-03-01T12:00:00.001Z'),
  Date.parse('2026-03-01T17:07:13.457Z'),
];

describe('trendBuckets', () => {
  it.each(RANGES)('gives $range buckets of $width ms that cover the range, at most 25 of them', ({ ms, width }) => {
    for (const now of NOWS) {
      const trend = trendBuckets(now - ms, now);
      expect(trend.widthMs, new Date(now).toISOString()).toBe(width);
      expect(trend.buckets).toBeLessThanOrEqual(TREND_MAX_BUCKETS);
      expect(trend.start).toBeLessThanOrEqual(now - ms);
      expect(trend.start + trend.buckets * width).toBeGreaterThanOrEqual(now);
      // No bucket lies wholly outside the range.
      expect(trend.start + width).toBeGreaterThan(now - ms);
      expect(trend.start + (trend.buckets - 1) * width).toBeLessThan(now);
    }
  });

  it.each(RANGES)(
    'puts the edges of $range on whole hours from an hour up, and on 12-hour boundaries from 12 hours up',
    ({ ms }) => {
      for (const now of NOWS) {
        const { start, widthMs } = trendBuckets(now - ms, now);
        const grid = Math.min(widthMs, 12 * HOUR);
        expect(start % grid).toBe(0);
        expect(widthMs % grid).toBe(0);
        if (widthMs >= HOUR) expect(start % HOUR).toBe(0);
        if (widthMs >= 12 * HOUR) expect(start % (12 * HOUR)).toBe(0);
      }
    },
  );

  it('ends the last bucket of a month on the 12-hour boundary after now, so it covers at least 24 of its 36 hours', () => {
    const now = Date.parse('2026-03-01T17:07:13.457Z');
    const trend = trendBuckets(now - 30 * DAY, now);
    expect(trend.start + trend.buckets * trend.widthMs).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(trend.buckets).toBe(21);
    expect(trendCoverage(trend).at(-1)! * 36).toBeCloseTo(36 - (6 * 60 + 52 + 46.543 / 60) / 60, 5);
  });

  it('handles an empty or reversed range with one bucket', () => {
    const now = NOWS[2]!;
    expect(trendBuckets(now, now).buckets).toBe(1);
    expect(trendBuckets(now, now - HOUR).buckets).toBe(1);
  });
});

describe('trendCoverage', () => {
  it('is 1 inside the range and the covered fraction at its ends', () => {
    const from = Date.parse('2026-03-01T10:30:00Z');
    const to = Date.parse('2026-03-01T13:15:00Z');
    const trend = trendBuckets(from, to, 4); // hourly: 10–11, 11–12, 12–13, 13–14
    expect(trend).toMatchObject({ start: Date.parse('2026-03-01T10:00:00Z'), widthMs: HOUR, buckets: 4 });
    expect(trendCoverage(trend)).toEqual([0.5, 1, 1, 0.25]);
  });

  it('is 1 everywhere when the range starts and ends on edges', () => {
    const to = Date.parse('2026-03-01T12:00:00Z');
    expect(trendCoverage(trendBuckets(to - DAY, to))).toEqual(new Array(24).fill(1));
  });
});

describe('formatTrendWidth', () => {
  it.each([
    [36 * HOUR, '36 h'],
    [HOUR, '1 h'],
    [DAY, '24 h'],
    [15 * DAY, '15 d'],
    [3 * MINUTE, '3 min'],
    [30 * SECOND, '30 s'],
    [500, '500 ms'],
  ])('says %d ms as %s', (ms, text) => {
    expect(formatTrendWidth(ms)).toBe(text);
  });
});

describe('trendBarTitles', () => {
  it('names each bar by its count and the part of its period inside the range', () => {
    const trend = trendBuckets(Date.parse('2026-03-01T10:30:00Z'), Date.parse('2026-03-01T13:15:00Z'), 4);
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    expect(trendBarTitles(trend, [3, 1, 0, 1_234], hhmm)).toEqual([
      '3 alerts, 10:30 – 11:00 (50 % of a 1 h period)',
      '1 alert, 11:00 – 12:00',
      '0 alerts, 12:00 – 13:00',
      '1,234 alerts, 13:00 – 13:15 (25 % of a 1 h period)',
    ]);
  });
});
