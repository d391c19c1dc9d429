/**
 * A `Headers` object's fields as a list, read in one pass. Deno's `Headers` iterator (`for…of`,
 * spread, `entries()`) rebuilds and sorts the whole field list at every step, so walking twelve
 * fields costs about ten times what `forEach` does, which builds it once (issue 15; measured in
 * bench/hot-path.bench.ts). Walk `Headers` with this, or with `forEach` where the walk filters,
 * never with `for…of`.
 *
 * @module
 */

/**
 * The `[name, value]` pairs of `headers` (lower-case names, in `Headers` iteration order: sorted,
 * repeated fields combined except `set-cookie`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(headerPairs(new Headers({ B: "2", a: "1" })), [["a", "1"], ["b", "2"]]);
 * ```
 */
export function headerPairs(headers: Headers): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  headers.forEach((value, name) => {
    pairs.push([name, value]);
  });
  return pairs;
}
