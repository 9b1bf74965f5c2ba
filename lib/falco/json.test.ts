import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from './json';

const CORPUS = fileURLToPath(new URL('../../e2e/fixtures/falco/real-events.ndjson', import.meta.url));
const corpusLines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const corpusLine = (n: number) => corpusLines[n - 1]!;

const asRecord = (value: unknown) => value as Record<string, unknown>;
const fieldsOf = (value: unknown) => asRecord(asRecord(value).output_fields);

describe('parseJson', () => {
  it('keeps integers beyond 2^53 exact as BigInt', () => {
    expect(parseJson('1685022245478445995')).toBe(1685022245478445995n);
    expect(parseJson('{"a":4283228891363909261}')).toEqual({ a: 4283228891363909261n });
    expect(parseJson('[-1685022245478445995, -9007199254740993]')).toEqual([-1685022245478445995n, -9007199254740993n]);
    // 2^53 itself is the first integer that a double cannot tell from its neighbour.
    expect(parseJson('[9007199254740992, 9007199254740993, 99999999999999999999999]')).toEqual([
      9007199254740992n,
      9007199254740993n,
      99999999999999999999999n,
    ]);
  });

  it('leaves safe integers as numbers, even with 16 digits', () => {
    expect(parseJson('[9007199254740991, -9007199254740991, 1234567890123456, 0, -1, 42]')).toEqual([
      9007199254740991, -9007199254740991, 1234567890123456, 0, -1, 42,
    ]);
    const value = parseJson('{"big":12345678901234567890,"small":1234567890123456}');
    expect(typeof asRecord(value).small).toBe('number');
    expect(typeof asRecord(value).big).toBe('bigint');
  });

  it('leaves floats, long fractions and exponents to JSON.parse', () => {
    const text =
      '[0.12345678901234567890, 1.5e300, 1e-1234567890123456, 12345678901234567890.5, 1234567890123456789e2, 1.5E+12345678901234567, -0.5, 2.5e-3, 1234567890123456789E-2]';
    expect(parseJson(text)).toEqual(JSON.parse(text));
    expect(parseJson('1.5e300')).toBe(1.5e300);
    expect(parseJson('{"x":0.12345678901234567890}')).toEqual({ x: 0.12345678901234568 });
  });

  it('keeps exponents as numbers when a big integer is also present (marked path)', () => {
    const value = parseJson('{"t":1685022245478445995,"f":1.5e300,"g":0.12345678901234567890,"e":1e-1234567890123456}');
    expect(value).toEqual({ t: 1685022245478445995n, f: 1.5e300, g: 0.12345678901234568, e: 0 });
  });

  it('never turns digits inside strings into numbers', () => {
    const text =
      '{"s":"1685022245478445995","k":"x 4283228891363909261 y","q":"say \\"12345678901234567890\\"","n":1685022245478445995}';
    expect(parseJson(text)).toEqual({
      s: '1685022245478445995',
      k: 'x 4283228891363909261 y',
      q: 'say "12345678901234567890"',
      n: 1685022245478445995n,
    });
  });

  it('leaves digits inside keys alone', () => {
    expect(parseJson('{"12345678901234567890":12345678901234567890}')).toEqual({
      '12345678901234567890': 12345678901234567890n,
    });
  });

  it('keeps a string that looks like the internal marker a string', () => {
    const forged = '\u0000big0123456789ab:1685022245478445995';
    const text = JSON.stringify({ forged, real: 'x' }).replace('"x"', '1685022245478445995');
    const value = asRecord(parseJson(text));
    expect(value.forged).toBe(forged);
    expect(value.real).toBe(1685022245478445995n);
    // And without any big integer in the document (the fast path).
    expect(parseJson(JSON.stringify({ forged }))).toEqual({ forged });
  });

  it('keeps `__proto__` an own, ordinary key', () => {
    for (const text of ['{"__proto__":{"polluted":1}}', '{"__proto__":{"polluted":1},"t":1685022245478445995}']) {
      const value = asRecord(parseJson(text));
      expect(Object.hasOwn(value, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(value.polluted).toBeUndefined();
      expect(Object.keys(value)).toContain('__proto__');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('throws SyntaxError on invalid JSON', () => {
    expect(() => parseJson('{')).toThrow(SyntaxError);
    expect(() => parseJson('{"a":1685022245478445995')).toThrow(SyntaxError);
    expect(() => parseJson('')).toThrow(SyntaxError);
  });

  // A long integer literal with a leading zero is not JSON; swapped for a quoted marker before JSON.parse
  // sees it, the invalid document would be accepted.
  it('rejects a long integer with a leading zero like JSON.parse does', () => {
    expect(() => JSON.parse('{"a":012345678901234567890}')).toThrow(SyntaxError);
    expect(() => parseJson('{"a":012345678901234567890}')).toThrow(SyntaxError);
  });

  it('reads the corpus nanosecond fields digit for digit', () => {
    expect(fieldsOf(parseJson(corpusLine(1)))['evt.time']).toBe(1685022245478445995n);
    expect(fieldsOf(parseJson(corpusLine(16)))['evt.time']).toBe(1746622234502309868n);
    expect(fieldsOf(parseJson(corpusLine(37)))['evt.time.iso8601']).toBe(1775503942162939040n);
    // Line 10 was re-serialised through a float64 upstream; whatever digits it has must survive.
    expect(fieldsOf(parseJson(corpusLine(10)))['evt.time']).toBe(1610408779823027700n);
    // Safe integers in the same object stay numbers.
    expect(fieldsOf(parseJson(corpusLine(1)))['proc.tty']).toBe(34816);
    expect(fieldsOf(parseJson(corpusLine(15)))['falco.evts_rate_sec']).toBe(1846.4);
  });
});

describe('stringifyJson', () => {
  it('writes BigInt values back as plain integer literals', () => {
    expect(stringifyJson(1685022245478445995n)).toBe('1685022245478445995');
    expect(stringifyJson({ a: 4283228891363909261n, b: [-1685022245478445995n, 1] })).toBe(
      '{"a":4283228891363909261,"b":[-1685022245478445995,1]}',
    );
  });

  it('is plain JSON.stringify when there is no BigInt', () => {
    const value = { s: 'a "quoted" \\ string', n: 1.5, arr: [null, true], nested: { __proto__x: 'y' } };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
  });

  it('does not unquote strings that merely contain digits or a marker-like prefix', () => {
    const value = { s: '1685022245478445995', m: '\u0000big0123456789ab:123', n: 1685022245478445995n };
    const text = stringifyJson(value);
    expect(text).toBe('{"s":"1685022245478445995","m":"\\u0000big0123456789ab:123","n":1685022245478445995}');
    expect(parseJson(text)).toEqual(value);
  });

  it('round-trips whole corpus lines with every big integer digit for digit', () => {
    let bigLiterals = 0;
    corpusLines.forEach((line) => {
      const value = parseJson(line);
      const text = stringifyJson(value);
      expect(parseJson(text)).toEqual(value);
      // Every 16+ digit integer value in the source line is written back unchanged.
      for (const [, digits] of line.matchAll(/:(-?\d{16,})[,}\]]/g)) {
        bigLiterals++;
        expect(text).toContain(`:${digits}`);
      }
    });
    expect(bigLiterals).toBeGreaterThan(80);
  });

  it('reproduces compact corpus lines byte for byte', () => {
    for (const n of [10, 16, 30, 37, 78, 84]) expect(stringifyJson(parseJson(corpusLine(n)))).toBe(corpusLine(n));
  });
});
