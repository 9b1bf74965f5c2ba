// Back-off between reconnection attempts: quick after a blip, at most MAX_DELAY_MS when the server
// stays down, with jitter so a room of wall screens does not reconnect in lockstep after a restart.
const FIRST_DELAY_MS = 500;
export const MAX_DELAY_MS = 10_000;

/** The wait before attempt `attempt` (0 = the first retry); `random` in [0, 1). */
export function reconnectDelayMs(attempt: number, random: number = Math.random()): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random));
}
