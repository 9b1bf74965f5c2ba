// A JSON reader for display that keeps every number as its literal text: the browser's JSON.parse
// rounds Falco's nanosecond integers (`evt.time` ~1.7e18), and the view shows what was sent, not a
// BigInt written back. Its tokens come from the shared scanner (lib/json/lexer.ts).
import { numberEnd, skipSpace, stringEnd } from '@/lib/json/lexer';

export type ExactJson =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'array'; items: ExactJson[] }
  // Entries, not an object: keys such as `__proto__` or duplicates stay exactly as sent.
  | { kind: 'object'; entries: [string, ExactJson][] };

const MAX_DEPTH = 512;

/** Parses JSON text keeping number literals exact. Throws SyntaxError on malformed input. */
export function parseExactJson(text: string): ExactJson {
  let at = 0;

  const skip = () => {
    at = skipSpace(text, at);
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${at}`);
  };
  const expect = (char: string) => {
    if (text[at] !== char) fail(`expected '${char}'`);
    at++;
  };

  const readString = (): string => {
    const start = at;
    const end = stringEnd(text, at);
    if (end < 0) return fail('unterminated string');
    at = end;
    // The slice is one JSON string literal: JSON.parse decodes its escapes exactly.
    return JSON.parse(text.slice(start, at)) as string;
  };

  const readValue = (depth: number): ExactJson => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skip();
    const char = text[at];
    if (char === '"') return { kind: 'string', value: readString() };
    if (char === '{') {
      at++;
      const entries: [string, ExactJson][] = [];
      skip();
      if (text[at] === '}') {
        at++;
        return { kind: 'object', entries };
      }
      for (;;) {
        skip();
        if (text[at] !== '"') fail('expected a key');
        const key = readString();
        skip();
        expect(':');
        entries.push([key, readValue(depth + 1)]);
        skip();
        if (text[at] === ',') at++;
        else {
          expect('}');
          return { kind: 'object', entries };
        }
      }
    }
    if (char === '[') {
      at++;
      const items: ExactJson[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(readValue(depth + 1));
        skip();
        if (text[at] === ',') at++;
        else {
          expect(']');
          return { kind: 'array', items };
        }
      }
    }
    for (const [word, value] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    const start = at;
    const end = numberEnd(text, at);
    if (end < 0) return fail('unexpected character');
    at = end;
    return { kind: 'number', text: text.slice(start, end) };
  };

  const value = readValue(0);
  skip();
  if (at !== text.length) fail('unexpected text after the value');
  return value;
}

/** The value as JSON text, numbers written exactly as they were read. `indent` 0 gives one line. */
export function formatExactJson(value: ExactJson, indent = 2, depth = 0): string {
  const pad = (level: number) => (indent > 0 ? `\n${' '.repeat(indent * level)}` : '');
  const colon = indent > 0 ? ': ' : ':';
  switch (value.kind) {
    case 'string':
      return JSON.stringify(value.value);
    case 'number':
      return value.text;
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'array':
      if (value.items.length === 0) return '[]';
      return `[${value.items.map((item) => `${pad(depth + 1)}${formatExactJson(item, indent, depth + 1)}`).join(',')}${pad(depth)}]`;
    case 'object':
      if (value.entries.length === 0) return '{}';
      return `{${value.entries
        .map(
          ([key, item]) => `${pad(depth + 1)}${JSON.stringify(key)}${colon}${formatExactJson(item, indent, depth + 1)}`,
        )
        .join(',')}${pad(depth)}}`;
  }
}

/** The member of an object value, or undefined. */
export function memberOf(value: ExactJson, key: string): ExactJson | undefined {
  return value.kind === 'object' ? value.entries.find(([name]) => name === key)?.[1] : undefined;
}
