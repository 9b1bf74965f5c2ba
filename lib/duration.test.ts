import { describe, expect, it } from 'vitest';
import { parseByteSize, parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it('reads seconds, minutes, hours, days and weeks', () => {
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('15m')).toBe(900_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('7d')).toBe(604_800_000);
    expect(parseDurationMs('2w')).toBe(1_209_600_000);
    expect(parseDurationMs('0s')).toBe(0);
    expect(parseDurationMs(' 30d ')).toBe(2_592_000_000);
    expect(parseDurationMs('999999w')).toBe(999_999 * 604_800_000);
  });

  it('rejects anything else', () => {
    for (const text of ['', '1', 'h', '1.5h', '-1h', '1H', '1 h', '1hour', '1h30m', '1000000s', '1y', '1ms', 'now']) {
      expect(parseDurationMs(text), text).toBeUndefined();
    }
  });
});

describe('parseByteSize', () => {
  it('reads plain bytes and kb/mb/gb in any case', () => {
    expect(parseByteSize('1048576')).toBe(1_048_576);
    expect(parseByteSize('0')).toBe(0);
    expect(parseByteSize('512kb')).toBe(512 * 1024);
    expect(parseByteSize('512k')).toBe(512 * 1024);
    expect(parseByteSize('16mb')).toBe(16 * 1024 ** 2);
    expect(parseByteSize('16 MB')).toBe(16 * 1024 ** 2);
    expect(parseByteSize('1gb')).toBe(1024 ** 3);
    expect(parseByteSize('1G')).toBe(1024 ** 3);
    expect(parseByteSize('100b')).toBe(100);
    expect(parseByteSize(' 2m ')).toBe(2 * 1024 ** 2);
  });

  it('rejects anything else', () => {
    for (const text of ['', 'mb', '1.5mb', '-1', '1tb', '1 m b', 'lots', '1000000000000']) {
      expect(parseByteSize(text), text).toBeUndefined();
    }
  });
});
