import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpusLines } from '../testing/ingest-worker';
import { PAYLOAD_DICTIONARY_1 } from './payload-dictionary';
import { packRaw, unpackRaw } from './raw-json';

describe('stored alert JSON', () => {
  it('comes back byte for byte, smaller than plain deflate makes it', () => {
    let packed = 0;
    let plain = 0;
    // Alerts that are not in the dictionary.
    for (const line of corpusLines.slice(0, -25)) {
      const stored = packRaw(line);
      expect(unpackRaw(stored)).toBe(line);
      packed += stored.length;
      plain += deflateRawSync(line).length;
    }
    expect(packed).toBeLessThan(plain * 0.6);
  });

  it('keeps every character, odd ones and long ones included', () => {
    for (const text of ['', ' ', '{"output":"caf\u00e9 \u{1F600} \\u0000 \u2028"}', 'x'.repeat(200_000)]) {
      expect(unpackRaw(packRaw(text))).toBe(text);
    }
  });

  it('reads the rows stored before the dictionary: text, and plain raw deflate', () => {
    const line = corpusLines[0]!;
    expect(unpackRaw(line)).toBe(line);
    expect(unpackRaw(deflateRawSync(line))).toBe(line);
    expect(unpackRaw(new Uint8Array(deflateRawSync('')))).toBe('');
  });

  it('never takes a plain raw deflate row for one with a format byte', () => {
    const inputs = ['', '{}', ...corpusLines, ...Array.from({ length: 2_000 }, (_, i) => randomBytes(i % 300))];
    for (const input of inputs) {
      for (const level of [0, 1, 6, 9]) expect(deflateRawSync(input, { level })[0]! & 0b110).not.toBe(0b110);
    }
  });

  it('refuses a format it does not know instead of returning garbage', () => {
    const future = packRaw('{}');
    future[0] = 0b1110;
    expect(() => unpackRaw(future)).toThrow('stored alert in an unknown format (0xe)');
  });

  it('keeps its dictionary: the last corpus lines that fit the window, unchanged forever', () => {
    const text = PAYLOAD_DICTIONARY_1.toString('utf8');
    expect(text).toBe(corpusLines.slice(-25).join('\n'));
    expect(PAYLOAD_DICTIONARY_1.length).toBeLessThanOrEqual(32_768 - 262);
    // Rows already stored need these exact bytes: a new dictionary is a new format byte.
    expect(createHash('sha256').update(PAYLOAD_DICTIONARY_1).digest('hex')).toBe(
      '17e2f4751e3c119982815f45bccdaefeddb4f81939f50bc375d9a9e57436f3e5',
    );
  });
});
