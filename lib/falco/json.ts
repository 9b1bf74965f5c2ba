// JSON that keeps integers beyond 2^53 exact. Falco's nanosecond fields (`evt.time`,
// `container.start_ts`, `proc.pid.ts`) are ~1.7e18 and JSON.parse would silently round them, so such
// literals become BigInt on the way in and are written back digit for digit on the way out.
import { randomBytes } from 'node:crypto';

// A per-process marker: alert text cannot forge it, so a string value never turns into a number.
const MARKER = `\u0000big${randomBytes(6).toString('hex')}:`;
const MARKER_JSON = JSON.stringify(MARKER).slice(1, -1);
const MARKED_IN_OUTPUT = new RegExp(`"${MARKER_JSON.replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g');

// Strings are matched first so digits inside them are skipped; a 16+ digit integer literal that is
// not part of a fraction or exponent is captured. A leading zero is left for JSON.parse to reject.
const LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])(-?[1-9]\d{15,})(?![\w.])/g;

const reviveMarked = (_key: string, value: unknown) =>
  typeof value === 'string' && value.startsWith(MARKER) ? BigInt(value.slice(MARKER.length)) : value;

/** JSON.parse, except that integers outside the safe range come back as BigInt. Throws SyntaxError. */
export function parseJson(text: string): unknown {
  let found = false;
  const marked = text.replace(LONG_INTEGER, (match, digits: string | undefined) => {
    if (digits === undefined || Number.isSafeInteger(Number(digits))) return match;
    found = true;
    return `"${MARKER_JSON}${digits}"`;
  });
  return found ? JSON.parse(marked, reviveMarked) : JSON.parse(text);
}

const markBigInts = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? `${MARKER}${value.toString()}` : value;

/** JSON.stringify that writes BigInt values as plain integer literals. */
export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value, markBigInts);
  return text.includes(MARKER_JSON) ? text.replace(MARKED_IN_OUTPUT, '$1') : text;
}
