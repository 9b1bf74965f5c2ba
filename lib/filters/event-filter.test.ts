import { describe, expect, it } from 'vitest';
import {
  EventFilter,
  EventPage,
  filterInput,
  filterToSearchParams,
  isValidSearchText,
  LIST_FILTERS,
  MAX_FILTER_VALUES,
  MAX_Q_WORDS,
  MAX_VALUE_LENGTH,
  maxFilterValues,
  resolveTimeMs,
  timeBoundsNs,
  UNSEARCHABLE,
} from './event-filter';

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

const TIME =
  'expected an ISO time before 2200 (2026-11-29T10:00:00Z), a relative time such as 15m, 1h, 7d, now, or all';
const PRIORITY = 'expected a Falco priority: Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug';
const issuesOf = (parsed: ReturnType<typeof EventFilter.safeParse> | ReturnType<typeof EventPage.safeParse>) =>
  parsed.success ? [] : parsed.issues;

describe('EventFilter', () => {
  it('defaults to no conditions and excludes internal events', () => {
    const filter = EventFilter.parse({});
    expect(filter.internal).toBe('exclude');
    for (const key of LIST_FILTERS) expect(filter[key]).toEqual([]);
    expect(filter.from).toBeUndefined();
    expect(filter.q).toBeUndefined();
  });

  it("keeps the fields it knows, in the model's order, and leaves unset ones out", () => {
    const filter = EventFilter.parse({
      internal: 'only',
      q: 'nc',
      rule: ['r'],
      minPriority: 'Error',
      to: 'now',
      from: '1h',
      cursor: 'c',
      limit: '5',
      foo: 'x',
    });
    expect(Object.keys(filter)).toEqual([
      'from',
      'to',
      'priority',
      'minPriority',
      ...LIST_FILTERS.slice(1),
      'q',
      'internal',
    ]);
    expect(filter).toMatchObject({
      from: '1h',
      to: 'now',
      minPriority: 'Error',
      rule: ['r'],
      q: 'nc',
      internal: 'only',
    });
    expect(Object.keys(EventFilter.parse({ from: undefined, q: undefined }))).not.toContain('from');
  });

  it('accepts priorities in any case and rejects unknown ones', () => {
    expect(EventFilter.safeParse({ priority: ['warning', 'CRITICAL', 'info'], minPriority: 'notice' }).success).toBe(
      true,
    );
    expect(EventFilter.safeParse({ priority: ['loud'] }).success).toBe(false);
    expect(EventFilter.safeParse({ minPriority: 'loud' }).success).toBe(false);
  });

  it('validates time bounds, internal and q length', () => {
    expect(EventFilter.safeParse({ from: '7d', to: '2026-04-06T00:00:00Z' }).success).toBe(true);
    expect(EventFilter.safeParse({ from: 'all', to: 'now' }).success).toBe(true);
    expect(EventFilter.safeParse({ from: 'last week' }).success).toBe(false);
    expect(EventFilter.safeParse({ to: '9999-12-31' }).success).toBe(false);
    expect(EventFilter.safeParse({ internal: 'all' }).success).toBe(false);
    expect(EventFilter.safeParse({ q: 'x'.repeat(500) }).success).toBe(true);
    expect(EventFilter.safeParse({ q: 'x'.repeat(501) }).success).toBe(false);
    expect(EventFilter.safeParse({ q: '  ' }).success).toBe(true);
  });

  // The API answers these issues as they are (GET /api/events?… → 400 invalid_query): the codes
  // and messages follow zod's, as the API's published answers (docs/decisions/0006).
  it('reports every issue with its path, code and message, in field order', () => {
    expect(
      issuesOf(
        EventFilter.safeParse({
          q: '%',
          internal: 'maybe',
          from: 'garbage',
          to: '2023-02-30T00:00:00Z',
          priority: ['Warning', 'Sev1', 'loud'],
          minPriority: 'Urgent',
        }),
      ),
    ).toEqual([
      { path: ['from'], code: 'custom', message: TIME },
      { path: ['to'], code: 'custom', message: TIME },
      { path: ['priority', 1], code: 'custom', message: PRIORITY },
      { path: ['priority', 2], code: 'custom', message: PRIORITY },
      { path: ['minPriority'], code: 'custom', message: PRIORITY },
      { path: ['q'], code: 'custom', message: UNSEARCHABLE },
      {
        path: ['internal'],
        code: 'invalid_value',
        message: 'Invalid option: expected one of "exclude"|"include"|"only"',
      },
    ]);
    expect(issuesOf(EventFilter.safeParse({ q: 'a'.repeat(501) }))).toEqual([
      { path: ['q'], code: 'too_big', message: 'Too big: expected string to have <=500 characters' },
    ]);
    expect(issuesOf(EventFilter.safeParse({ q: '_'.repeat(501) })).map((issue) => issue.code)).toEqual([
      'too_big',
      'custom',
    ]);
  });

  it('reports input of the wrong type as zod did', () => {
    expect(issuesOf(EventFilter.safeParse({ from: 5, rule: 'x', hostname: ['h', 7], internal: null }))).toEqual([
      { path: ['from'], code: 'invalid_type', message: 'Invalid input: expected string, received number' },
      { path: ['rule'], code: 'invalid_type', message: 'Invalid input: expected array, received string' },
      { path: ['hostname', 1], code: 'invalid_type', message: 'Invalid input: expected string, received number' },
      {
        path: ['internal'],
        code: 'invalid_value',
        message: 'Invalid option: expected one of "exclude"|"include"|"only"',
      },
    ]);
  });

  it('parse throws the issues', () => {
    expect(() => EventFilter.parse({ from: 'garbage', priority: ['x'] })).toThrow(
      `from: ${TIME}; priority.0: ${PRIORITY}`,
    );
  });
});

describe('isValidSearchText', () => {
  it('accepts what q accepts', () => {
    for (const text of ['nc -e', 'é', '  ', 'x'.repeat(500)]) expect(isValidSearchText(text), text).toBe(true);
    for (const text of ['%', '_*', ' . ', 'x'.repeat(501)]) expect(isValidSearchText(text), text).toBe(false);
  });
});

describe('EventPage', () => {
  it('coerces the limit from a query string and bounds it', () => {
    expect(EventPage.parse({})).toEqual({ limit: 50 });
    expect(EventPage.parse({ limit: '10', cursor: 'abc' })).toEqual({ limit: 10, cursor: 'abc' });
    expect(EventPage.parse({ limit: '1000' })).toEqual({ limit: 1000 });
    expect(EventPage.parse({ limit: '1e2' })).toEqual({ limit: 100 });
    expect(EventPage.safeParse({ limit: '0' }).success).toBe(false);
    expect(EventPage.safeParse({ limit: '1001' }).success).toBe(false);
    expect(EventPage.safeParse({ limit: '2.5' }).success).toBe(false);
  });

  it('reports the issues zod reported', () => {
    const issues = (limit: string) => issuesOf(EventPage.safeParse({ limit }));
    const limitIssue = (code: string, message: string) => ({ path: ['limit'], code, message });
    expect(issues('0')).toEqual([limitIssue('too_small', 'Too small: expected number to be >=1')]);
    expect(issues('-1')).toEqual([limitIssue('too_small', 'Too small: expected number to be >=1')]);
    expect(issues('5000')).toEqual([limitIssue('too_big', 'Too big: expected number to be <=1000')]);
    expect(issues('abc')).toEqual([limitIssue('invalid_type', 'Invalid input: expected number, received NaN')]);
    expect(issues('1e400')).toEqual([limitIssue('invalid_type', 'Invalid input: expected number, received Infinity')]);
    expect(issues('-1e400')).toEqual([
      limitIssue('invalid_type', 'Invalid input: expected number, received -Infinity'),
    ]);
    expect(issues('2.5')).toEqual([limitIssue('invalid_type', 'Invalid input: expected int, received number')]);
    expect(issues('-1.5')).toEqual([limitIssue('invalid_type', 'Invalid input: expected int, received number')]);
    expect(issues('9007199254740993')).toEqual([
      limitIssue('too_big', 'Too big: expected int to be <=9007199254740991'),
      limitIssue('too_big', 'Too big: expected number to be <=1000'),
    ]);
    expect(issuesOf(EventPage.safeParse({ cursor: 5, limit: 'x' })).map((issue) => issue.path)).toEqual([
      ['cursor'],
      ['limit'],
    ]);
  });
});

describe('filterInput', () => {
  it('collects repeated parameters without splitting on commas, trimming and dropping empties', () => {
    const params = new URLSearchParams(
      'rule=a,b&rule=%20c%20&rule=&hostname=h1&from=1h&from=2h&q=nc+-e&internal=only&limit=5',
    );
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
    const filter = EventFilter.parse(
      filterInput(
        new URLSearchParams(
          'rule=Terminal+shell+in+container&rule=x&priority=Critical&from=7d&proc=sudo&internal=include',
        ),
      ),
    );
    const params = filterToSearchParams(filter);
    expect(params.toString()).toBe(
      'from=7d&priority=Critical&rule=Terminal+shell+in+container&rule=x&proc=sudo&internal=include',
    );
    expect(EventFilter.parse(filterInput(params))).toEqual(filter);
  });

  it('leaves the default internal=exclude out of the query string', () => {
    expect(filterToSearchParams(EventFilter.parse({})).toString()).toBe('');
  });
});

describe('caps on what one filter may ask for', () => {
  const issues = (input: Record<string, unknown>) => {
    const parsed = EventFilter.safeParse(input);
    return parsed.success ? [] : parsed.issues;
  };

  it("takes up to each list's cap of values and refuses one more, with one issue for the list", () => {
    for (const key of LIST_FILTERS) {
      const value =
        key === 'priority' ? 'Notice' : key === 'status' ? 'open' : key === 'group' ? 'ric-0a1b2c3d4e5f6789' : 'v';
      const max = maxFilterValues(key);
      expect(issues({ [key]: Array(max).fill(value) }), key).toEqual([]);
      expect(issues({ [key]: Array(max + 1).fill(value) }), key).toEqual([
        {
          path: [key],
          code: 'too_big',
          message: `Too big: expected at most ${max} values of ${key}, received ${max + 1}`,
        },
      ]);
    }
    expect(maxFilterValues('chain')).toBe(20);
    expect(maxFilterValues('rule')).toBe(MAX_FILTER_VALUES);
  });

  it('takes group keys and triage statuses only in their own spelling', () => {
    expect(issues({ group: ['ric-0a1b2c3d4e5f6789', 'rn-ffffffffffffffff'], status: ['open', 'benign'] })).toEqual([]);
    for (const bad of ['ric-0A1B2C3D4E5F6789', 'xyz-0a1b2c3d4e5f6789', 'ric-0a1b', "ric-0a1b2c3d4e5f6789'"])
      expect(issues({ group: [bad] }), bad).toMatchObject([{ path: ['group', 0], code: 'custom' }]);
    expect(issues({ status: ['closed'] })).toMatchObject([{ path: ['status', 0], message: /open, acknowledged/ }]);
  });

  it('refuses a value longer than MAX_VALUE_LENGTH', () => {
    expect(issues({ rule: ['r'.repeat(MAX_VALUE_LENGTH)] })).toEqual([]);
    expect(issues({ rule: ['ok', 'r'.repeat(MAX_VALUE_LENGTH + 1)] })).toEqual([
      {
        path: ['rule', 1],
        code: 'too_big',
        message: `Too big: expected string to have <=${MAX_VALUE_LENGTH} characters`,
      },
    ]);
  });

  it("counts free text's words as the word index splits them", () => {
    expect(issues({ q: Array(MAX_Q_WORDS).fill('shadow').join(' ') })).toEqual([]);
    expect(issues({ q: '/etc/shadow/'.repeat(MAX_Q_WORDS / 2) })).toEqual([]);
    expect(
      issues({
        q: Array(MAX_Q_WORDS + 1)
          .fill('shadow')
          .join('/'),
      }),
    ).toEqual([
      {
        path: ['q'],
        code: 'too_big',
        message: `Too big: expected at most ${MAX_Q_WORDS} words, received ${MAX_Q_WORDS + 1}`,
      },
    ]);
  });

  it('takes time bounds before 2200 only, so that bucket arithmetic past them stays in 64 bits', () => {
    expect(issues({ from: '2199-12-31T23:59:59Z' })).toEqual([]);
    expect(issues({ to: '2200-01-01T00:00:00Z' })).toEqual([{ path: ['to'], code: 'custom', message: TIME }]);
    expect(issues({ from: '2262-04-11T23:47:16.854775807Z' })).toEqual([
      { path: ['from'], code: 'custom', message: TIME },
    ]);
  });
});
