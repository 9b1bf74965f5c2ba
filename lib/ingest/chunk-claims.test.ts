import { describe, expect, it } from 'vitest';
import { claimBack, claimFront, MAX_CLAIMED_CHUNKS, newClaims } from './chunk-claims';

describe('chunk claims', () => {
  it('hand each chunk to one side only, the front in order and the back from the end', () => {
    const claims = newClaims(5);
    expect([claimFront(claims), claimBack(claims), claimFront(claims), claimBack(claims), claimFront(claims)]).toEqual([
      0, 4, 1, 3, 2,
    ]);
    expect(claimFront(claims)).toBeNull();
    expect(claimBack(claims)).toBeNull();
  });

  it('hold as many chunks as one word counts, and refuse more', () => {
    const claims = newClaims(MAX_CLAIMED_CHUNKS);
    expect(claimBack(claims)).toBe(MAX_CLAIMED_CHUNKS - 1);
    expect(claimFront(claims)).toBe(0);
    expect(() => newClaims(MAX_CLAIMED_CHUNKS + 1)).toThrow(RangeError);
    expect(claimFront(newClaims(0))).toBeNull();
  });
});
