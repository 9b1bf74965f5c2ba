import { describe, expect, it } from 'vitest';
import {
  countArrayElements,
  countContentLines,
  nestingDepth,
  numberEnd,
  skipNumberChars,
  skipSpace,
  skipString,
  skipValue,
  stringEnd,
} from './lexer';

describe('strings', () => {
  it('ends after the closing quote, counting the backslashes before a quote', () => {
    expect(stringEnd('"ab" x', 0)).toBe(4);
    expect(stringEnd('"a\\"b" x', 0)).toBe(6);
    expect(stringEnd('"a\\\\" x', 0)).toBe(5);
    expect(stringEnd('x "é😀" y', 2)).toBe(7);
  });

  it('tells an unterminated string apart from one that closes at the end', () => {
    expect(stringEnd('"abc\\"', 0)).toBe(-1);
    expect(skipString('"abc\\"', 0)).toBe(6);
    expect(stringEnd('"abc"', 0)).toBe(5);
  });
});

describe('numbers', () => {
  it('reads the RFC 8259 literal and no more', () => {
    const end = (text: string) => numberEnd(text, 0);
    expect(end('1685022245478445995,')).toBe(19);
    expect(end('-0.5e+10]')).toBe(8);
    expect(end('01')).toBe(1);
    expect(end('1.}')).toBe(1);
    expect(end('2e}')).toBe(1);
    expect(end('-x')).toBe(-1);
    expect(end('.5')).toBe(-1);
  });

  it('skips every character a number may hold, for scanners that leave validation to JSON.parse', () => {
    expect(skipNumberChars('12.5e-3,', 0)).toBe(7);
  });
});

describe('values', () => {
  it('skips whitespace, and whole values with brackets inside strings', () => {
    const text = ' \t\n{"a":["]",{"b":"}"}],"c":1} , 2';
    const start = skipSpace(text, 0);
    expect(start).toBe(3);
    expect(text.slice(start, skipValue(text, start))).toBe('{"a":["]",{"b":"}"}],"c":1}');
    expect(skipValue('true,1', 0)).toBe(4);
  });

  it('measures nesting and counts top-level array elements outside strings', () => {
    expect(nestingDepth('{"a":[[1]],"b":"[[[[["}')).toBe(3);
    expect(countArrayElements('[{"a":","},[1,2],3]', 0, 100)).toBe(3);
    expect(countArrayElements('[ ]', 0, 100)).toBe(0);
    expect(countArrayElements('[1,2,3,4,5]', 0, 2)).toBe(3);
    expect(countContentLines('{}\n \t\n{}\r\n{}', 0, 100)).toBe(3);
    expect(countContentLines('a\nb\nc\nd', 0, 1)).toBe(2);
  });
});
