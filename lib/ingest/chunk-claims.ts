// The chunks of one body, shared by two threads: the worker claims them from the front, the thread
// writing them from the back while it would otherwise wait. One word holds both ends, so that each
// claim is one compare-and-swap and no chunk is prepared twice.

/** Chunks one claims word can count. */
export const MAX_CLAIMED_CHUNKS = 0xffff;

const SPLIT = 0x10000;

/** A claims word for `count` chunks, none claimed: the front at 0, the back at `count`. */
export function newClaims(count: number): Uint32Array {
  if (count > MAX_CLAIMED_CHUNKS) throw new RangeError(`at most ${MAX_CLAIMED_CHUNKS} chunks`);
  const claims = new Uint32Array(new SharedArrayBuffer(4));
  claims[0] = count * SPLIT;
  return claims;
}

/** The first unclaimed chunk, now the caller's; null when none is left. */
export function claimFront(claims: Uint32Array): number | null {
  for (;;) {
    const word = Atomics.load(claims, 0);
    const [front, back] = [word % SPLIT, Math.floor(word / SPLIT)];
    if (front >= back) return null;
    if (Atomics.compareExchange(claims, 0, word, word + 1) === word) return front;
  }
}

/** The last unclaimed chunk, now the caller's; null when none is left. */
export function claimBack(claims: Uint32Array): number | null {
  for (;;) {
    const word = Atomics.load(claims, 0);
    const [front, back] = [word % SPLIT, Math.floor(word / SPLIT)];
    if (front >= back) return null;
    if (Atomics.compareExchange(claims, 0, word, (back - 1) * SPLIT + front) === word) return back - 1;
  }
}
