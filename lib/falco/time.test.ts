import { describe, expect, it } from 'vitest';
import { formatTimeNs, msToNs, nsToMs, parseTimeNs } from './time';

// 2023-05-25T13:44:05Z, the instant of corpus line 1, in nanoseconds.
const BASE = 1685022245n * 1_000_000_000n;

describe('parseTimeNs', () => {
  it('reads Falco times with nine fractional digits exactly', () => {
    expect(parseTimeNs('2023-05-25T13:44:05.478445995Z')).toBe(1685022245478445995n);
    expect(parseTimeNs('2025-05-07T12:50:34.502309868Z')).toBe(1746622234502309868n);
  });

  it('accepts 0 to 9 fractional digits (falcosidekick trims trailing zeros)', () => {
    const expected = [
      0n,
      400_000_000n,
      470_000_000n,
      478_000_000n,
      478_400_000n,
      478_440_000n,
      478_445_000n,
      478_445_900n,
      478_445_990n,
      478_445_995n,
    ];
    const fraction = '478445995';
    for (let digits = 0; digits <= 9; digits++) {
      const text = digits === 0 ? '2023-05-25T13:44:05Z' : `2023-05-25T13:44:05.${fraction.slice(0, digits)}Z`;
      expect(parseTimeNs(text), text).toBe(BASE + expected[digits]!);
    }
    // Corpus line 10: eight digits.
    expect(parseTimeNs('2021-01-11T23:46:19.82302759Z')).toBe(1610408779823027590n);
  });

  it('rejects ten fractional digits or an empty fraction', () => {
    expect(parseTimeNs('2023-05-25T13:44:05.4784459951Z')).toBeUndefined();
    expect(parseTimeNs('2023-05-25T13:44:05.Z')).toBeUndefined();
  });

  it('applies offsets in either form', () => {
    expect(parseTimeNs('2023-05-25T15:44:05.478445995+02:00')).toBe(1685022245478445995n);
    expect(parseTimeNs('2023-05-25T15:44:05.478445995+0200')).toBe(1685022245478445995n);
    expect(parseTimeNs('2023-05-25T08:14:05.478445995-05:30')).toBe(1685022245478445995n);
    expect(parseTimeNs('2023-05-25T13:44:05.478445995+00:00')).toBe(1685022245478445995n);
    // Crossing midnight backwards.
    expect(parseTimeNs('2023-05-25T00:30:00-01:00')).toBe(parseTimeNs('2023-05-25T01:30:00Z'));
  });

  it('accepts lower-case z, t and a space separator', () => {
    expect(parseTimeNs('2023-05-25t13:44:05.478445995z')).toBe(1685022245478445995n);
    expect(parseTimeNs('2023-05-25 13:44:05.478445995Z')).toBe(1685022245478445995n);
  });

  it('rejects dates that do not exist', () => {
    for (const text of [
      '2023-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2023-04-31T00:00:00Z',
      '2023-13-01T00:00:00Z',
      '2023-00-10T00:00:00Z',
      '2023-01-00T00:00:00Z',
      '2023-01-32T00:00:00Z',
      '2023-01-01T24:00:00Z',
      '2023-01-01T23:60:00Z',
      '2023-01-01T23:59:61Z',
    ]) {
      expect(parseTimeNs(text), text).toBeUndefined();
    }
    expect(parseTimeNs('2024-02-29T00:00:00Z')).toBe(1709164800n * 1_000_000_000n);
  });

  it('rejects garbage and times without a zone', () => {
    for (const text of [
      '',
      'now',
      'garbage',
      '2023-05-25',
      '2023-05-25T13:44:05',
      '2023-05-25T13:44Z',
      '13:44:05.478445995',
      '1685022245478445995',
      '2023-5-25T13:44:05Z',
      '2023-05-25T13:44:05.478445995Zjunk',
    ]) {
      expect(parseTimeNs(text), text).toBeUndefined();
    }
  });

  it('rejects times before the epoch', () => {
    expect(parseTimeNs('1969-12-31T23:59:59.999999999Z')).toBeUndefined();
    expect(parseTimeNs('1970-01-01T00:00:00Z')).toBe(0n);
  });

  // Date.UTC maps years 0-99 to 1900-1999: a year such as 0070 must be rejected as before the epoch,
  // not read as 1970.
  it('does not read years 0000-0099 as 1900-1999', () => {
    expect(parseTimeNs('0070-01-01T00:00:00Z')).toBeUndefined();
    expect(parseTimeNs('0099-06-01T00:00:00Z')).toBeUndefined();
  });
});

// Zone offsets are range-checked: hours above 23 and minutes above 59 are refused.
describe('parseTimeNs offsets', () => {
  it('rejects offsets outside -23:59..+23:59', () => {
    expect(parseTimeNs('2023-01-01T00:00:00+99:99')).toBeUndefined();
    expect(parseTimeNs('2023-01-01T00:00:00+05:75')).toBeUndefined();
  });
});

describe('formatTimeNs', () => {
  it('always writes nine fractional digits in UTC', () => {
    expect(formatTimeNs(1685022245478445995n)).toBe('2023-05-25T13:44:05.478445995Z');
    expect(formatTimeNs(0n)).toBe('1970-01-01T00:00:00.000000000Z');
    expect(formatTimeNs(BASE + 1n)).toBe('2023-05-25T13:44:05.000000001Z');
    expect(formatTimeNs(BASE + 470_000_000n)).toBe('2023-05-25T13:44:05.470000000Z');
    expect(formatTimeNs(BASE + 999_999_999n)).toBe('2023-05-25T13:44:05.999999999Z');
  });

  it('is the canonical form of any accepted input', () => {
    expect(formatTimeNs(parseTimeNs('2021-01-11T23:46:19.82302759Z')!)).toBe('2021-01-11T23:46:19.823027590Z');
    expect(formatTimeNs(parseTimeNs('2023-05-25T15:44:05.4+02:00')!)).toBe('2023-05-25T13:44:05.400000000Z');
    expect(formatTimeNs(parseTimeNs('2023-05-25T13:44:05Z')!)).toBe('2023-05-25T13:44:05.000000000Z');
  });
});

describe('msToNs / nsToMs', () => {
  it('converts, truncating sub-millisecond parts', () => {
    expect(msToNs(1685022245478)).toBe(1685022245478000000n);
    expect(msToNs(1.9)).toBe(1_000_000n);
    expect(nsToMs(1685022245478445995n)).toBe(1685022245478);
  });
});
