// The store's time units: alerts' times are nanoseconds since the epoch, and the counts are kept per
// quarter, hour and half day since the epoch (migrations 0002, 0008, 0013).
export const NS_PER_MS = 1_000_000n;
const NS_PER_SECOND = 1_000n * NS_PER_MS;
export const NS_PER_MINUTE = 60n * NS_PER_SECOND;
export const NS_PER_QUARTER = 15n * NS_PER_MINUTE;
export const NS_PER_HOUR = 4n * NS_PER_QUARTER;
export const NS_PER_HALF_DAY = 12n * NS_PER_HOUR;

export const msToNs = (ms: number): bigint => BigInt(ms) * NS_PER_MS;
/** Whole milliseconds, rounded down. */
export const nsToMs = (ns: bigint): number => Number(ns / NS_PER_MS);
