// The one JSON scanner behind Perch's exact readers: strings, whitespace, numbers and whole values
// found by character codes, without parsing. No node: imports, so the browser can use it too.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const MINUS = 0x2d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isOpen = (c: number) => c === OPEN_BRACE || c === OPEN_BRACKET;
const isClose = (c: number) => c === CLOSE_BRACE || c === CLOSE_BRACKET;

/** Index just past the JSON string starting at `i` (a `"`), or -1 if it is not terminated. */
export function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just past the JSON string starting at `i` (a `"`), or the text's end if unterminated. */
export function skipString(text: string, i: number): number {
  const end = stringEnd(text, i);
  return end < 0 ? text.length : end;
}

/** Index of the first character at or after `i` that is not JSON whitespace. */
export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the digits starting at `i`. */
export function skipDigits(text: string, i: number): number {
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the characters a number may hold (digits, `.`, `e`, `E`, `+`, `-`) from `i`. */
export function skipNumberChars(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c) && c !== 0x2e && c !== 0x65 && c !== 0x45 && c !== 0x2b && c !== MINUS) break;
  }
  return i;
}

/** Index just past the JSON number literal at `i` (RFC 8259 grammar), or -1 if there is none. */
export function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  const c = text.charCodeAt(i);
  if (c === 0x30) i++;
  else if (isDigit(c)) i = skipDigits(text, i);
  else return -1;
  if (text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1))) i = skipDigits(text, i + 1);
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 0x2b || sign === MINUS) j++;
    if (isDigit(text.charCodeAt(j))) i = skipDigits(text, j);
  }
  return i;
}

/** Index just past the JSON value starting at `i`. The text must already be known to be valid JSON. */
export function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (isOpen(first)) {
    let depth = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i = skipString(text, i);
        continue;
      }
      if (isOpen(c)) depth++;
      else if (isClose(c)) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === COMMA || isClose(c) || isSpace(c)) break;
    i++;
  }
  return i;
}

/** How deeply arrays and objects nest in a (valid) JSON text; strings are skipped. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = skipString(text, i) - 1;
    else if (isOpen(c)) deepest = Math.max(deepest, ++depth);
    else if (isClose(c)) depth--;
  }
  return deepest;
}

/**
 * The top-level elements of the JSON array starting at `start`, counted from its brackets and
 * commas outside strings; counting stops once it passes `limit`.
 */
export function countArrayElements(text: string, start: number, limit: number): number {
  let depth = 0;
  let elements = 0;
  for (let i = start; i < text.length && elements <= limit; i++) {
    const c = text.charCodeAt(i);
    if (depth === 1 && elements === 0 && !isSpace(c) && c !== CLOSE_BRACKET) elements = 1;
    if (c === QUOTE) i = skipString(text, i) - 1;
    else if (isOpen(c)) depth++;
    else if (isClose(c)) depth--;
    else if (c === COMMA && depth === 1) elements++;
  }
  return elements;
}

/** Lines from `start` that hold more than whitespace; counting stops once it passes `limit`. */
export function countContentLines(text: string, start: number, limit: number): number {
  let lines = 0;
  let lineHasContent = false;
  for (let i = start; i < text.length && lines <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) lineHasContent = false;
    else if (!lineHasContent && !isSpace(c)) {
      lineHasContent = true;
      lines++;
    }
  }
  return lines;
}
