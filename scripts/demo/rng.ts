// Seeded randomness for the demo: every draw comes from a generator keyed by its parts, so the
// same seed and minute always give the same alerts. No Math.random, no clock.

export const NS_PER_MS = 1_000_000n;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Rng = () => number;

function mulberry32(state: number): Rng {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator keyed by its parts: the same parts always give the same sequence. */
export function rngFor(...parts: readonly (string | number)[]): Rng {
  const key = parts.join('|');
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return mulberry32((h ^ (h >>> 16)) >>> 0);
}

export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const chance = (rng: Rng, p: number) => rng() < p;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function weighted<T>(rng: Rng, items: readonly (readonly [number, T])[]): T {
  let total = 0;
  for (const [weight] of items) total += weight;
  let r = rng() * total;
  for (const [weight, item] of items) {
    r -= weight;
    if (r < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new Error('weighted pick from an empty list');
  return last[1];
}

export function chars(rng: Rng, length: number, alphabet: string): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet.charAt(Math.floor(rng() * alphabet.length));
  return text;
}

export const hex = (rng: Rng, length: number) => chars(rng, length, '0123456789abcdef');
// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
export const k8sSuffix = (rng: Rng, length: number) => chars(rng, length, 'bcdfghjklmnpqrstvwxz2456789');

/** A Poisson count from one uniform draw (inverse CDF), so a higher mean only adds events. */
export function poisson(u: number, rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) {
    const z = Math.sqrt(-2 * Math.log(Math.max(u, 1e-12))) * Math.cos(2 * Math.PI * rng());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  let p = Math.exp(-mean);
  let cdf = p;
  let k = 0;
  while (u > cdf && k < 1_000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}
