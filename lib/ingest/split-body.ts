// Splits a request body or file into alert entries, keeping each entry's exact text. A body is one
// JSON object, a JSON array of objects, or NDJSON (one object per line).
import { parseJson } from '../falco/json';
import * as lexer from '../json/lexer';

export { nestingDepth } from '../json/lexer';

// Bound once at load: calls through a bundler's export getters cost measurably on the ingest hot path.
const { countArrayElements, countContentLines, skipSpace, skipString, skipValue } = lexer;

export type EntryPosition = { index: number } | { line: number } | Record<string, never>;

export interface BodyEntry {
  position: EntryPosition;
  raw: string;
  /** The parsed value, or undefined when `syntaxError` is set. */
  value?: unknown;
  syntaxError?: string;
}

export interface SplitBody {
  entries: BodyEntry[];
  /** Lines skipped because they are not JSON objects (kubectl logs interleave Falco's own log lines). */
  skippedLines: number;
}

/** The exact text of each element of a (valid) top-level JSON array. */
export function arrayElementTexts(text: string): string[] {
  const elements: string[] = [];
  let i = skipSpace(text, text.indexOf('[') + 1);
  while (i < text.length && text[i] !== ']') {
    const end = skipValue(text, i);
    elements.push(text.slice(i, end));
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return elements;
}

/** The exact text of one member's value in a (valid) top-level JSON object, if present. */
export function objectMemberText(text: string, key: string): string | undefined {
  let i = skipSpace(text, text.indexOf('{') + 1);
  while (i < text.length && text[i] === '"') {
    const keyEnd = skipString(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // past ':'
    const valueEnd = skipValue(text, i);
    if (name === key) return text.slice(i, valueEnd);
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return undefined;
}

/** One entry from its exact text: the parsed value, or the syntax error. */
export function parseEntry(raw: string, position: EntryPosition): BodyEntry {
  try {
    return { position, raw, value: parseJson(raw) };
  } catch (error) {
    return { position, raw, syntaxError: error instanceof Error ? error.message : 'invalid JSON' };
  }
}

/**
 * Entries of a body. `skipNonJsonLines` is for files: lines that do not start with `{` are counted
 * and skipped instead of being reported as invalid.
 */
export function splitBody(text: string, { skipNonJsonLines = false } = {}): SplitBody {
  const start = skipSpace(text, 0);
  if (start === text.length) return { entries: [], skippedLines: 0 };

  if (text[start] === '[') {
    const whole = parseEntry(text, {});
    if (whole.syntaxError !== undefined) return { entries: [whole], skippedLines: 0 };
    if (!Array.isArray(whole.value)) return { entries: [whole], skippedLines: 0 };
    const values = whole.value as unknown[];
    const texts = arrayElementTexts(text);
    return {
      entries: values.map((value, index) => ({ position: { index }, raw: texts[index] ?? '', value })),
      skippedLines: 0,
    };
  }

  const ndjson = ndjsonLines(text, { skipNonJsonLines });
  if (ndjson === null) return { entries: [parseEntry(text.trim(), {})], skippedLines: 0 };
  return {
    entries: ndjson.lines.map(([line, lineText]) => parseEntry(lineText, { line })),
    skippedLines: ndjson.skippedLines,
  };
}

/** Lines of an NDJSON text with their line numbers (from 1), each trimmed and not yet parsed. */
export type NumberedLines = readonly (readonly [line: number, text: string])[];

/** The lines of a request body that is NDJSON; null when it is one alert or a JSON array. */
export function batchLines(text: string): NumberedLines | null {
  return text.trimStart().startsWith('[') ? null : (ndjsonLines(text)?.lines ?? null);
}

/**
 * The lines of a body that is NDJSON, or null when it is one (possibly pretty-printed) object.
 * Nothing past the first line is parsed, so the lines can be parsed on another thread
 * (lib/ingest/write-while-preparing.ts). A body starting with `[` is not for this function.
 */
function ndjsonLines(
  text: string,
  { skipNonJsonLines = false } = {},
): { lines: NumberedLines; skippedLines: number } | null {
  const lines = text.split('\n');
  const nonEmpty = lines.filter((line) => line.trim() !== '');
  // One object (possibly pretty-printed over several lines) unless the first line is itself an alert.
  const firstLine = nonEmpty[0]?.trim() ?? '';
  // NDJSON unless the whole text is one (pretty-printed) object. A first line that parses decides at
  // once; otherwise, a cut-off first line (a tailed log) must not turn the body into one bad entry.
  const wholeIsJson = () => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };
  const looksLikeNdjson =
    nonEmpty.length > 1 &&
    (parseEntry(firstLine, {}).syntaxError === undefined ||
      (skipNonJsonLines && !firstLine.startsWith('{')) ||
      !wholeIsJson());
  if (!looksLikeNdjson) return null;

  const numbered: [number, string][] = [];
  let skippedLines = 0;
  lines.forEach((lineText, index) => {
    const line = lineText.trim();
    if (line === '') return;
    if (skipNonJsonLines && !line.startsWith('{')) {
      skippedLines++;
      return;
    }
    numbered.push([index + 1, line]);
  });
  return { lines: numbered, skippedLines };
}

/**
 * True when splitBody would make more than `limit` entries of this text. It only scans characters
 * (a large body of `{}` elements takes long and much memory to split), so ingest can refuse such a
 * body before any of that work.
 */
export function hasMoreEntriesThan(text: string, limit: number): boolean {
  const start = skipSpace(text, 0);
  if (text[start] === '[') {
    return countArrayElements(text, start, limit) > limit;
  }
  if (countContentLines(text, start, limit) <= limit) return false;
  // Many lines may still be one pretty-printed object; NDJSON fails to parse within its first line.
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}
