// Failed logins per client address: after MAX_FAILURES within WINDOW_MS that address must wait,
// which turns password guessing into years of work. Bounded: the oldest addresses are forgotten.
const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
const MAX_TRACKED = 10_000;

interface Failures {
  count: number;
  firstAt: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, Failures>();

  /** Milliseconds until `client` may try again (0: now). */
  waitMs(client: string, nowMs = Date.now()): number {
    const entry = this.failures.get(client);
    if (!entry || nowMs - entry.firstAt >= WINDOW_MS) return 0;
    return entry.count >= MAX_FAILURES ? entry.firstAt + WINDOW_MS - nowMs : 0;
  }

  recordFailure(client: string, nowMs = Date.now()): void {
    const entry = this.failures.get(client);
    if (entry && nowMs - entry.firstAt < WINDOW_MS) {
      entry.count += 1;
      return;
    }
    this.failures.delete(client);
    this.failures.set(client, { count: 1, firstAt: nowMs });
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  recordSuccess(client: string): void {
    this.failures.delete(client);
  }
}

const holder = globalThis as typeof globalThis & { __perchLoginLimiter?: LoginLimiter };

export function loginLimiter(): LoginLimiter {
  holder.__perchLoginLimiter ??= new LoginLimiter();
  return holder.__perchLoginLimiter;
}
