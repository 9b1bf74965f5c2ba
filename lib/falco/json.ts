// JSON that keeps integers beyond 2^53 exact. Falco's nanosecond fields (`evt.time`,
// `container.start_ts`, `proc.pid.ts`) are ~1.7e18 and JSON.parse would silently round them, so such
// literals become BigInt on the way in and are written back digit for digit on the way out.
import * as lexer from '../json/lexer';

// Bound once at load: calls through a bundler's export getters cost measurably on the ingest hot path.
const { isDigit, skipDigits, skipNumberChars, skipString } = lexer;

// A per-process marker: alert text cannot forge it, so a string value never turns into a number.
const randomHex = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => byte.toString(16).padStart(2, '0')).join('');
const MARKER = `\u0000big${randomHex()}:`;
const MARKER_JSON = JSON.stringify(MARKER).slice(1, -1);
const MARKED_IN_OUTPUT = new RegExp(`"${MARKER_JSON.replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g');
const LONG_DIGIT_RUN = /\d{16}/;

/** Index just past the JSON string starting at `i` (a `"`), or the text's end if unterminated. */
export const skipJsonString = skipString;

/**
 * The text with every integer literal outside the safe range (outside strings, not part of a
 * fraction or exponent) replaced by a quoted marker; the same text when there is none.
 */
function markUnsafeIntegers(text: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i);
      continue;
    }
    if (!isDigit(c) && c !== 0x2d) {
      i++;
      continue;
    }
    const start = i;
    if (c === 0x2d) i++;
    const digitsStart = i;
    i = skipDigits(text, i);
    const next = text.charCodeAt(i);
    const fractionOrExponent = next === 0x2e || next === 0x65 || next === 0x45;
    // A leading zero is not JSON: leave it for JSON.parse to reject.
    if (i - digitsStart >= 16 && text.charCodeAt(digitsStart) !== 0x30 && !fractionOrExponent) {
      const literal = text.slice(start, i);
      if (!Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(copied, start)}"${MARKER_JSON}${literal}"`;
        copied = i;
      }
    }
    // Skip the rest of a number (fraction, exponent) so its digits are not read as a new literal.
    i = skipNumberChars(text, i);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Replaces marker strings by BigInt, walking the value without recursion (nesting can be deep). */
function restoreBigInts(root: unknown): unknown {
  const holder = { root };
  const stack: Record<string, unknown>[] = [holder];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (typeof value === 'string') {
        if (value.startsWith(MARKER)) node[key] = BigInt(value.slice(MARKER.length));
      } else if (typeof value === 'object' && value !== null) {
        stack.push(value as Record<string, unknown>);
      }
    }
  }
  return holder.root;
}

/** JSON.parse, except that integers outside the safe range come back as BigInt. Throws SyntaxError. */
export function parseJson(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  const marked = markUnsafeIntegers(text);
  return marked === text ? JSON.parse(text) : restoreBigInts(JSON.parse(marked));
}

const markBigInts = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? `${MARKER}${value.toString()}` : value;

/** JSON.stringify that writes BigInt values as plain integer literals. */
export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value, markBigInts);
  return text.includes(MARKER_JSON) ? text.replace(MARKED_IN_OUTPUT, '$1') : text;
}
