import { describe, expect, it } from 'vitest';
import {
  addressKey,
  CheckQueue,
  isRefusal,
  LoginLimiter,
  MAX_ADDRESS_FAILURES,
  MAX_USER_FAILURES,
  WINDOW_MS,
  type LoginAttempt,
  type LoginTicket,
} from './login-limiter';

const T0 = 1_000_000;
const attempt = (address: string | null, user = 'alice', known = true): LoginAttempt => ({ address, user, known });

function ticket(limiter: LoginLimiter, at: LoginAttempt, now = T0): LoginTicket {
  const result = limiter.begin(at, now);
  if (isRefusal(result)) throw new Error(`refused (${result.by}, ${result.waitMs} ms)`);
  return result;
}

function fail(limiter: LoginLimiter, at: LoginAttempt, times: number, now = T0) {
  for (let i = 0; i < times; i++) ticket(limiter, at, now).failed(now);
}

describe('LoginLimiter', () => {
  it('locks an address out after five failures for the rest of the window, others unaffected', () => {
    const limiter = new LoginLimiter();
    fail(limiter, attempt('10.0.0.1'), MAX_ADDRESS_FAILURES);
    expect(limiter.begin(attempt('10.0.0.1'), T0 + 1_000)).toEqual({ waitMs: WINDOW_MS - 1_000, by: 'address' });
    expect(isRefusal(limiter.begin(attempt('10.0.0.2'), T0 + 1_000))).toBe(false);
    expect(isRefusal(limiter.begin(attempt('10.0.0.1'), T0 + WINDOW_MS))).toBe(false);
  });

  it('counts attempts still being checked: a burst of 100 gets five checks', () => {
    const limiter = new LoginLimiter();
    const results = Array.from({ length: 100 }, () => limiter.begin(attempt('10.0.0.3'), T0));
    const admitted = results.filter((r): r is LoginTicket => !isRefusal(r));
    expect(admitted).toHaveLength(MAX_ADDRESS_FAILURES);
    // While they run, the answer is "soon"; once they failed, "at the end of the window".
    expect(limiter.begin(attempt('10.0.0.3'), T0)).toEqual({ waitMs: 1_000, by: 'address' });
    for (const t of admitted) t.failed(T0);
    expect(limiter.begin(attempt('10.0.0.3'), T0)).toEqual({ waitMs: WINDOW_MS, by: 'address' });
  });

  it('an attempt the checks had no room for counts as nothing', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 20; i++) ticket(limiter, attempt('10.0.0.4')).released(T0);
    ticket(limiter, attempt('10.0.0.4')).succeeded(T0);
  });

  it('a success does not reset its address: four wrong, one right, four times over ends in a refusal', () => {
    const limiter = new LoginLimiter();
    const refusals: string[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 4; i++) {
        const result = limiter.begin(attempt('10.0.0.8'), T0);
        if (isRefusal(result)) refusals.push(result.by);
        else result.failed(T0);
      }
      const right = limiter.begin(attempt('10.0.0.8'), T0);
      if (isRefusal(right)) refusals.push(right.by);
      else right.succeeded(T0);
    }
    expect(refusals[0]).toBe('address');
    expect(refusals.length).toBeGreaterThan(10);
  });

  it('limits guesses at one name from many addresses; another name is unaffected', () => {
    const limiter = new LoginLimiter();
    for (let a = 0; a < MAX_USER_FAILURES / 4; a++) fail(limiter, attempt(`10.1.0.${a}`, 'bob'), 4);
    expect(limiter.begin(attempt('10.1.1.1', 'bob'), T0)).toEqual({ waitMs: WINDOW_MS, by: 'user' });
    ticket(limiter, attempt('10.1.1.1', 'carol')).succeeded(T0);
  });

  it("a success removes only its own address's failures from its name's count", () => {
    const limiter = new LoginLimiter();
    fail(limiter, attempt('10.2.0.1', 'dave'), 4); // the user's own typos
    for (let a = 2; a <= 4; a++) fail(limiter, attempt(`10.2.0.${a}`, 'dave'), 4); // someone else's guesses: 12
    ticket(limiter, attempt('10.2.0.1', 'dave')).succeeded(T0); // the typos leave the name's count …
    for (let a = 5; a <= 6; a++) fail(limiter, attempt(`10.2.0.${a}`, 'dave'), 4); // 12 + 8 = 20
    expect(limiter.begin(attempt('10.2.0.7', 'dave'), T0)).toMatchObject({ by: 'user' }); // … the guesses do not
    // … and the address still holds its own four: one more failure locks it.
    fail(limiter, attempt('10.2.0.1', 'erin'), 1);
    expect(limiter.begin(attempt('10.2.0.1', 'frank'), T0)).toMatchObject({ by: 'address' });
  });

  it('a success as one user never clears failures at another', () => {
    const limiter = new LoginLimiter();
    fail(limiter, attempt('10.3.0.1', 'victim'), 4);
    ticket(limiter, attempt('10.3.0.1', 'mallory')).succeeded(T0);
    fail(limiter, attempt('10.3.0.1', 'victim'), 1);
    expect(limiter.begin(attempt('10.3.0.1', 'victim'), T0)).toMatchObject({ by: 'address' });
  });

  it('unknown names count like known ones, so refusals do not reveal which names exist', () => {
    const limiter = new LoginLimiter();
    for (let a = 0; a < MAX_USER_FAILURES; a++) fail(limiter, attempt(`10.4.0.${a}`, 'nobody', false), 1);
    expect(limiter.begin(attempt('10.4.1.1', 'nobody', false), T0)).toEqual({ waitMs: WINDOW_MS, by: 'user' });
  });

  it('with no address (next start) only the name counts: one client cannot lock out another user', () => {
    const limiter = new LoginLimiter();
    fail(limiter, attempt(null, 'grace'), MAX_ADDRESS_FAILURES + 1);
    ticket(limiter, attempt(null, 'heidi')).succeeded(T0);
    fail(limiter, attempt(null, 'grace'), MAX_USER_FAILURES - MAX_ADDRESS_FAILURES - 1);
    expect(limiter.begin(attempt(null, 'grace'), T0)).toMatchObject({ by: 'user' });
  });

  it('counts an IPv6 client by its /64', () => {
    const limiter = new LoginLimiter();
    for (let i = 1; i <= MAX_ADDRESS_FAILURES; i++)
      fail(limiter, attempt(`2001:db8:1:2::${i.toString(16)}`, `u${i}`), 1);
    expect(limiter.begin(attempt('2001:db8:1:2:ffff::1', 'u9'), T0)).toMatchObject({ by: 'address' });
    expect(isRefusal(limiter.begin(attempt('2001:db8:1:3::1', 'u9'), T0))).toBe(false);
  });
});

describe('addressKey', () => {
  it('keeps IPv4 addresses and reduces IPv6 ones to their /64, however written', () => {
    expect(addressKey('10.0.0.1')).toBe('10.0.0.1');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:0DB8:0000:0000:1:2:3:4')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('64:ff9b:1::1.2.3.4')).toBe('64:ff9b:1:0::/64');
  });
});

describe('CheckQueue', () => {
  it('runs at most `concurrency` checks at once and turns away more than `maxWaiting` waiting', async () => {
    const queue = new CheckQueue(2, 3);
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const check = () =>
      new Promise<string>((resolve) => {
        running += 1;
        most = Math.max(most, running);
        releases.push(() => {
          running -= 1;
          resolve('done');
        });
      });
    const results = Array.from({ length: 7 }, () => queue.run(check));
    // Two run, three wait, two are turned away at once.
    expect(await results[5]).toBeNull();
    expect(await results[6]).toBeNull();
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(results.slice(0, 5))).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(most).toBe(2);
  });
});
