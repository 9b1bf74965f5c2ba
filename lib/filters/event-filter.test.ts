import { describe, expect, it } from 'vitest';
import { EventFilter, EventPage, filterInput, filterToSearchParams, LIST_FILTERS, resolveTimeMs, timeBoundsNs } from './event-filter';

const NOW = Date.UTC(2026, 3, 6, 20, 0, 0); // 2026-04-06T20:00:00Z

describe('resolveTimeMs', () => {
  it('reads now and relative durations back from now', () => {
    expect(resolveTimeMs('now', NOW)).toBe(NOW);
    expect(resolveTimeMs('1h', NOW)).toBe(NOW - 3_600_000);
    expect(resolveTimeMs('15m', NOW)).toBe(NOW - 900_000);
    expect(resolveTimeMs(' 7d ', NOW)).toBe(NOW - 7 * 86_400_000);
  });

  it('reads absolute RFC 3339 times, dates and zone-less times as UTC', () => {
    expect(resolveTimeMs('2026-04-06T19:32:22.162939040Z', NOW)).toBe(Date.UTC(2026, 3, 6, 19, 32, 22, 162));
    expect(resolveTimeMs('2026-04-06T21:00:00+02:00', NOW)).toBe(Date.UTC(2026, 3, 6, 19));
    expect(resolveTimeMs('2026-04-06', NOW)).toBe(Date.UTC(2026, 3, 6));
    expect(resolveTimeMs('2026-04-06T10:00', NOW)).toBe(Date.UTC(2026, 3, 6, 10));
    expect(resolveTimeMs('2026-04-06 10:00:30', NOW)).toBe(Date.UTC(2026, 3, 6, 10, 0, 30));
  });

  it('returns undefined for anything else', () => {
    for (const text of ['', 'yesterday', '1 hour', '2026-13-01', '2026-02-30T00:00:00Z', '10:00', '-1h']) {
      expect(resolveTimeMs(text, NOW), text).toBeUndefined();
    }
  });
});

describe('timeBoundsNs', () => {
  it('turns from/to into nanosecond bounds at the given moment', () => {
    expect(timeBoundsNs({ from: '1h', to: 'now' }, NOW)).toEqual({
      fromNs: BigInt(NOW - 3_600_000) * 1_000_000n,
      toNs: BigInt(NOW) * 1_000_000n,
    });
    expect(timeBoundsNs({}, NOW)).toEqual({ fromNs: undefined, toNs: undefined });
  });
});

describe('EventFilter', () => {
  it('defaults to no conditions and excludes internal events', () => {
    const filter = EventFilter.parse({});
    expect(filter.internal).toBe('exclude');
    for (const key of LIST_FILTERS) expect(filter[key]).toEqual([]);
    expect(filter.from).toBeUndefined();
    expect(filter.q).toBeUndefined();
  });

  it('accepts priorities in any case and rejects unknown ones', () => {
    expect(EventFilter.safeParse({ priority: ['warning', 'CRITICAL', 'info'], minPriority: 'notice' }).success).toBe(true);
    expect(EventFilter.safeParse({ priority: ['loud'] }).success).toBe(false);
    expect(EventFilter.safeParse({ minPriority: 'loud' }).success).toBe(false);
  });

  it('validates time bounds, internal and q length', () => {
    expect(EventFilter.safeParse({ from: '7d', to: '2026-04-06T00:00:00Z' }).success).toBe(true);
    expect(EventFilter.safeParse({ from: 'last week' }).success).toBe(false);
    expect(EventFilter.safeParse({ internal: 'all' }).success).toBe(false);
    expect(EventFilter.safeParse({ q: 'x'.repeat(500) }).success).toBe(true);
    expect(EventFilter.safeParse({ q: 'x'.repeat(501) }).success).toBe(false);
  });
});

describe('EventPage', () => {
  it('coerces the limit from a query string and bounds it', () => {
    expect(EventPage.parse({})).toEqual({ limit: 50 });
    expect(EventPage.parse({ limit: '10', cursor: 'abc' })).toEqual({ limit: 10, cursor: 'abc' });
    expect(EventPage.safeParse({ limit: '0' }).success).toBe(false);
    expect(EventPage.safeParse({ limit: '1001' }).success).toBe(false);
    expect(EventPage.safeParse({ limit: '2.5' }).success).toBe(false);
  });
});

describe('filterInput', () => {
  it('collects repeated parameters without splitting on commas, trimming and dropping empties', () => {
    const params = new URLSearchParams('rule=a,b&rule=%20c%20&rule=&hostname=h1&from=1h&from=2h&q=nc+-e&internal=only&limit=5');
    const input = filterInput(params);
    expect(input.rule).toEqual(['a,b', 'c']);
    expect(input.hostname).toEqual(['h1']);
    expect(input.tag).toEqual([]);
    expect(input.from).toBe('1h');
    expect(input.q).toBe('nc -e');
    expect(input.internal).toBe('only');
    expect(input.limit).toBe('5');
    expect('to' in input).toBe(false);
  });

  it('reads a plain record (Next searchParams) the same way', () => {
    const input = filterInput({ rule: ['a', 'b'], source: 'syscall', to: 'now', q: undefined });
    expect(input.rule).toEqual(['a', 'b']);
    expect(input.source).toEqual(['syscall']);
    expect(input.to).toBe('now');
    expect('q' in input).toBe(false);
  });

  it('feeds EventFilter and round-trips through filterToSearchParams', () => {
    const filter = EventFilter.parse(filterInput(new URLSearchParams('rule=Terminal+shell+in+container&rule=x&priority=Critical&from=7d&proc=sudo&internal=include')));
    const params = filterToSearchParams(filter);
    expect(params.toString()).toBe('from=7d&priority=Critical&rule=Terminal+shell+in+container&rule=x&proc=sudo&internal=include');
    expect(EventFilter.parse(filterInput(params))).toEqual(filter);
  });

  it('leaves the default internal=exclude out of the query string', () => {
    expect(filterToSearchParams(EventFilter.parse({})).toString()).toBe('');
  });
});
