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

/**
 * Appends every field of `fields` (any `HeadersInit` form) to `target`, walking a `Headers` with
 * `forEach`. For a `Request` or `Response` built without fields and given them afterwards: Deno
 * 2.9's constructors convert `HeadersInit` through iterators, and a `Response` given a body and
 * fields builds a native response that outlives young-generation collections (issue 15).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const response = new Response("ok");
 * appendHeaders(response.headers, [["x-a", "1"]]);
 * appendHeaders(response.headers, { "x-b": "2" });
 * assert.equal(response.headers.get("x-b"), "2");
 * ```
 */
export function appendHeaders(target: Headers, fields: HeadersInit): void {
  if (fields instanceof Headers) fields.forEach((value, name) => target.append(name, value));
  else if (Array.isArray(fields)) {
    for (const [name, value] of fields) {
      target.append(name!, value!);
    }
  } else for (const [name, value] of Object.entries(fields)) target.append(name, value);
}
