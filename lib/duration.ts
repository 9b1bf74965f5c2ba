// Durations as people type them in URLs and settings: a whole number and a unit of UNIT_MS (`7d`).
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d{1,6})(s|m|h|d|w)$/;

/** Milliseconds for a duration such as `30d`, or undefined when the text is not one. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Bytes for a whole number with an optional unit: b, kb, mb, gb or k, m, g, in any case. */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d{1,12})\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0] as 'b' | 'k' | 'm' | 'g';
  return Number(match[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit];
}
