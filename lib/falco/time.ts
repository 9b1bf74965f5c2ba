// Falco times are RFC 3339 in UTC with up to nine fractional digits (falcosidekick trims trailing
// zeros). Nanoseconds do not fit a JS number, so the canonical instant is a BigInt count.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})$/;

const NS_PER_MS = 1_000_000n;
/** SQLite stores the instant as a signed 64-bit integer: the last representable time is in 2262. */
const MAX_TIME_NS = 9_223_372_036_854_775_807n;

/** Nanoseconds since the epoch, or undefined when the text is not a valid RFC 3339 time. */
export function parseTimeNs(text: string): bigint | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  // Falco times are after the epoch; Date.UTC would also read years 0–99 as 1900–1999.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 February over into March; a real timestamp never needs that.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = Number(digits.slice(2));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = sign * (offsetHours * 60 + offsetMins);
  }
  const ns = BigInt(ms - offsetMinutes * 60_000) * NS_PER_MS + BigInt(frac.padEnd(9, '0'));
  return ns >= 0n && ns <= MAX_TIME_NS ? ns : undefined;
}

/** The canonical form Perch returns: UTC, always nine fractional digits. */
export function formatTimeNs(ns: bigint): string {
  const ms = ns / NS_PER_MS;
  const iso = new Date(Number(ms)).toISOString(); // 2023-05-25T13:44:05.478Z
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * NS_PER_MS;
}

export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}
