/**
 * mulberry32: a small seeded pseudo-random source, so a fuzz finding reproduces from its seed
 * alone (the request fuzzers of the HTTP/1.1 server, `task fuzz`, the forward client's response
 * fuzz tests).
 *
 * @module
 */

/**
 * Floats in [0, 1) from `seed`, the same sequence for the same seed.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random() === seededRandom(42)(); // true
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
