/**
 * A seeded random source for the fuzzer (mulberry32): the same seed gives the same requests, so a
 * finding reproduces from its seed and case number alone, in the CLI and in the test suite.
 *
 * @module
 */
import { seededRandom } from "../../gpconnect/testing/seeded-random.ts";

/** Random choices from one seed. */
export interface FuzzRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/**
 * A random source from `seed`.
 *
 * @example
 * ```ts
 * const random = fuzzRandom(42);
 * random.int(1, 6); // the same every time for seed 42
 * ```
 */
export function fuzzRandom(seed: number): FuzzRandom {
  const next = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)]!,
    chance: (p) => next() < p,
  };
}
