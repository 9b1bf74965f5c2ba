import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A job that takes `ms` and records when each run started. */
  function job(ms: number) {
    const starts: number[] = [];
    const run = () => {
      starts.push(Date.now());
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    return { starts, run };
  }

  it('runs the first request at once', async () => {
    const { starts, run } = job(10);
    const coalescer = new Coalescer(run, 2_000);
    const t0 = Date.now();
    coalescer.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toEqual([t0]);
  });

  it('turns a burst of requests into one run per gap, and one more after the last', async () => {
    const { starts, run } = job(50);
    const coalescer = new Coalescer(run, 2_000);
    const t0 = Date.now();
    // Requests far more often than the interval, over several intervals.
    for (let t = 0; t < 5_000; t += 10) {
      coalescer.request();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(5_000);
    expect(starts.map((start) => start - t0)).toEqual([0, 2_000, 4_000, 6_000]);
  });

  it('never runs two at once, however long a run takes', async () => {
    let running = 0;
    let most = 0;
    const coalescer = new Coalescer(async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      running--;
    }, 500);
    for (let t = 0; t < 10_000; t += 100) {
      coalescer.request();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(most).toBe(1);
  });

  it('runs again after a run that failed, and not after dispose', async () => {
    const starts: number[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const coalescer = new Coalescer(async () => {
      starts.push(Date.now());
      throw new Error('boom');
    }, 100);
    coalescer.request();
    await vi.advanceTimersByTimeAsync(0);
    coalescer.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(starts).toHaveLength(2);
    coalescer.request();
    coalescer.dispose();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(starts).toHaveLength(2);
    errors.mockRestore();
  });
});
