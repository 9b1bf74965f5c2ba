// Login attempts per client address and per user name. An attempt is counted when it starts, not
// when its slow hash is done, so a burst of concurrent guesses gets no more checks than a slow
// sequence. Failures age out with the window; a success removes nothing from its address's count.
import { isIP } from 'node:net';

export const WINDOW_MS = 15 * 60_000;
/** Failed (or still running) logins from one address within the window. */
export const MAX_ADDRESS_FAILURES = 5;
/** Failed (or still running) logins at one user name, from all addresses together, within the window. */
export const MAX_USER_FAILURES = 20;
const MAX_TRACKED = 10_000;

interface Tally {
  start: number;
  failed: number;
  pending: number;
  /** Failures by address key (per-name tallies only), so that a success removes only its own address's. */
  byAddress?: Map<string, number>;
}

type Outcome = 'failed' | 'succeeded' | 'released';

/** Counts per key in fixed windows; `cap` bounds the keys (the oldest are forgotten), null: no bound. */
class WindowTallies {
  private readonly tallies = new Map<string, Tally>();

  constructor(
    private readonly max: number,
    private readonly cap: number | null,
    private readonly byAddress = false,
  ) {}

  private current(key: string, nowMs: number): Tally | undefined {
    const tally = this.tallies.get(key);
    if (tally && nowMs - tally.start >= WINDOW_MS) {
      if (tally.pending === 0) {
        this.tallies.delete(key);
        return undefined;
      }
      tally.start = nowMs;
      tally.failed = 0;
      tally.byAddress?.clear();
    }
    return tally;
  }

  /** Milliseconds until `key` may try again (0: now). */
  waitMs(key: string, nowMs: number): number {
    const tally = this.current(key, nowMs);
    if (!tally || tally.failed + tally.pending < this.max) return 0;
    // Held back only by attempts still being checked: those end within a second or so.
    return tally.failed >= this.max ? tally.start + WINDOW_MS - nowMs : 1_000;
  }

  reserve(key: string, nowMs: number): void {
    const tally = this.current(key, nowMs);
    if (tally) {
      tally.pending += 1;
      return;
    }
    this.tallies.set(key, { start: nowMs, failed: 0, pending: 1 });
    if (this.cap !== null && this.tallies.size > this.cap) this.tallies.delete(this.tallies.keys().next().value!);
  }

  /** Ends a reserved attempt made from `from` (an address key, or null when unknown). */
  settle(key: string, outcome: Outcome, from: string | null, nowMs: number): void {
    const tally = this.current(key, nowMs);
    if (!tally) return; // forgotten meanwhile (cap)
    tally.pending = Math.max(0, tally.pending - 1);
    if (outcome === 'failed') {
      tally.failed += 1;
      if (this.byAddress && from !== null) {
        tally.byAddress ??= new Map();
        tally.byAddress.set(from, (tally.byAddress.get(from) ?? 0) + 1);
      }
    } else if (outcome === 'succeeded' && from !== null && tally.byAddress?.has(from)) {
      tally.failed -= tally.byAddress.get(from)!;
      tally.byAddress.delete(from);
    }
    if (tally.failed === 0 && tally.pending === 0) this.tallies.delete(key);
  }
}

/**
 * The key of an address: IPv6 clients are counted by their /64, which one client usually holds
 * whole; IPv4 by the address.
 */
export function addressKey(address: string): string {
  const bare = address.split('%')[0]!.toLowerCase(); // a zone index says nothing about the sender
  if (isIP(bare) !== 6) return address;
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['v4', 'v4'] : [g])) : []);
  const [head = '', tail] = bare.split('::');
  const front = groups(head);
  const back = groups(tail ?? '');
  const all =
    tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${all
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export interface LoginAttempt {
  /** The client's address (viewer.ts clientAddress); null when unknown: then only the name counts. */
  address: string | null;
  user: string;
  /** A name in PERCH_UI_USERS: those are never forgotten to make room. */
  known: boolean;
}

export type LoginRefusal = { waitMs: number; by: 'address' | 'user' };

/** One reserved attempt: report its outcome exactly once. */
export interface LoginTicket {
  failed(nowMs?: number): void;
  succeeded(nowMs?: number): void;
  /** Not checked after all (the checks were too busy): counts as nothing. */
  released(nowMs?: number): void;
}

export class LoginLimiter {
  private readonly addresses = new WindowTallies(MAX_ADDRESS_FAILURES, MAX_TRACKED);
  private readonly knownUsers = new WindowTallies(MAX_USER_FAILURES, null, true);
  private readonly otherNames = new WindowTallies(MAX_USER_FAILURES, MAX_TRACKED, true);

  /** Reserves an attempt, or says how long this address or name must wait. */
  begin(attempt: LoginAttempt, nowMs = Date.now()): LoginTicket | LoginRefusal {
    const address = attempt.address === null ? null : addressKey(attempt.address);
    const users = attempt.known ? this.knownUsers : this.otherNames;
    const addressWait = address === null ? 0 : this.addresses.waitMs(address, nowMs);
    if (addressWait > 0) return { waitMs: addressWait, by: 'address' };
    const userWait = users.waitMs(attempt.user, nowMs);
    if (userWait > 0) return { waitMs: userWait, by: 'user' };
    if (address !== null) this.addresses.reserve(address, nowMs);
    users.reserve(attempt.user, nowMs);
    let open = true;
    const end = (outcome: Outcome, now = Date.now()) => {
      if (!open) return;
      open = false;
      // The address's own count keeps a success's earlier failures: only their age removes them.
      if (address !== null)
        this.addresses.settle(address, outcome === 'succeeded' ? 'released' : outcome, address, now);
      users.settle(attempt.user, outcome, address, now);
    };
    return {
      failed: (now) => end('failed', now),
      succeeded: (now) => end('succeeded', now),
      released: (now) => end('released', now),
    };
  }
}

export function isRefusal(result: LoginTicket | LoginRefusal): result is LoginRefusal {
  return 'waitMs' in result;
}

/**
 * Runs at most `concurrency` password checks at once, and lets at most `maxWaiting` wait: scrypt
 * runs on libuv's small thread pool, which file access and other logins need too.
 */
export class CheckQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency = 2,
    readonly maxWaiting = 32,
  ) {}

  /** The check's result, or null at once when too many are already waiting. */
  async run<T>(check: () => Promise<T>): Promise<T | null> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) return null;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await check();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight on
      else this.running -= 1;
    }
  }
}

const holder = globalThis as typeof globalThis & {
  __perchLoginLimiter?: LoginLimiter;
  __perchLoginChecks?: CheckQueue;
};

export function loginLimiter(): LoginLimiter {
  holder.__perchLoginLimiter ??= new LoginLimiter();
  return holder.__perchLoginLimiter;
}

export function loginChecks(): CheckQueue {
  holder.__perchLoginChecks ??= new CheckQueue();
  return holder.__perchLoginChecks;
}
