import { describe, expect, it } from 'vitest';
import { commentBlocks, FIGURE, wordLines } from './check-comments.mjs';

describe('check-comments', () => {
  it('joins consecutive comment lines into one block and counts the lines that hold words', () => {
    const [block] = commentBlocks('// one\n//\n// two\n// three\n// four\nconst x = 1;\n', false);
    expect(block?.start).toBe(1);
    expect(wordLines(block?.lines ?? [])).toBe(4);
  });

  it('does not count JSDoc type tags or // @ts-check', () => {
    const text =
      '// @ts-check\n/** @typedef {{ a: number }} A */\n/** @type {A} */\n/**\n * Why.\n * @param {string} b\n */\n';
    expect(commentBlocks(text, false).map((block) => wordLines(block.lines))).toEqual([1]);
  });

  it('takes a /* label */ before code as a block of its own, with any trailing comment', () => {
    const text = '// Rows:\n/* 1 */ a(), // first\n/* 2 */ b(),\n';
    expect(commentBlocks(text, false).map((block) => block.lines)).toEqual([
      ['// Rows:'],
      ['/* 1 */'],
      ['// first'],
      ['/* 2 */'],
    ]);
  });

  it('finds figures, and not addresses or durations written as settings', () => {
    expect(FIGURE.test('took 1.1 s at a million')).toBe(true);
    expect(FIGURE.test('about 4 KB per alert')).toBe(true);
    expect(FIGURE.test('a tenth, 10% less')).toBe(true);
    expect(FIGURE.test('from a given loopback address')).toBe(false);
    expect(FIGURE.test('PERCH_MAX_CLOCK_SKEW ahead')).toBe(false);
  });
});
