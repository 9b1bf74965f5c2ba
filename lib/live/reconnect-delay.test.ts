import { describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, reconnectDelayMs } from './reconnect-delay';

describe('reconnectDelayMs', () => {
  it('doubles from half a second and stops growing at the maximum', () => {
    expect([0, 1, 2, 3].map((attempt) => reconnectDelayMs(attempt, 0.5))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(reconnectDelayMs(50, 0.5)).toBe(MAX_DELAY_MS);
  });

  it('spreads clients by ±20% so a room of screens does not reconnect at the same instant', () => {
    expect(reconnectDelayMs(1, 0)).toBe(800);
    expect(reconnectDelayMs(1, 0.999999)).toBe(1_200);
  });
});
