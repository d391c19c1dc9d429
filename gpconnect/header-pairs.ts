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

/**
 * Where a received message's field index is kept: on its `Headers`, under a symbol of this module.
 * (A `WeakMap` would add an entry a request that only a collection removes, and make every
 * young-generation collection process a growing ephemeron table.)
 */
const RECEIVED_INDEX = Symbol("gpc-edge received fields");

/** Where a parser's own field lines wait to become that index (see {@linkcode receivedFrom}). */
const RECEIVED_LINES = Symbol("gpc-edge received field lines");

type IndexedHeaders = Headers & {
  [RECEIVED_INDEX]?: ReadonlyMap<string, string>;
  [RECEIVED_LINES]?: ReadonlyArray<readonly [string, string]> | undefined;
};

/**
 * The fields of a received message by lower-case name, read in one `forEach` pass on first use
 * and kept with its `Headers`: what `headers.get(name)` answers (repeated fields combined),
 * without a name normalisation and scan of the field list per read. The SSP route reads sixteen
 * (some twice, some through Hono's `c.req.header`); with this index the route ran 4–5% faster
 * in-process, measured side by side (issue 15). Only for fields nobody changes once read, as
 * gpc-edge never changes a received request's: a later change would not show here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const headers = new Headers([["Accept", "a"], ["X-A", "1"], ["x-a", "2"]]);
 * assert.equal(receivedFields(headers).get("x-a"), "1, 2");
 * assert.equal(receivedFields(headers), receivedFields(headers)); // read once
 * ```
 */
export function receivedFields(headers: Headers): ReadonlyMap<string, string> {
  const indexed = headers as IndexedHeaders;
  let index = indexed[RECEIVED_INDEX];
  if (index === undefined) {
    const fields = new Map<string, string>();
    // Repeated fields (from a parser's lines any name; from `forEach` only `set-cookie`) are
    // joined as `get` joins them.
    const add = (value: string, name: string) => {
      const earlier = fields.get(name);
      fields.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
    };
    const lines = indexed[RECEIVED_LINES];
    if (lines !== undefined) {
      // The lines the fields were made from, in the order received: `get`'s answers without
      // `forEach`, which sorts and combines a copy of the whole list first.
      for (let i = 0; i < lines.length; i++) add(lines[i]![1], lines[i]![0].toLowerCase());
      indexed[RECEIVED_LINES] = undefined;
    } else {
      headers.forEach(add);
    }
    indexed[RECEIVED_INDEX] = index = fields;
  }
  return index;
}

/**
 * Notes that `headers` was made from exactly `lines` (names as sent, values trimmed as
 * `Headers` keeps them) and will not change: {@linkcode receivedFields} then reads them from the
 * lines, in the order received, instead of walking `headers` (issue 15: Deno's `forEach` sorts
 * and combines a copy of the list first, ~2 KB a request). For a server that fills a request's
 * `Headers` from its own parser's lines (the HTTP/1.1 server's `Http1Request`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const lines: Array<[string, string]> = [["X-B", "2"], ["Accept", "a"], ["x-b", "3"]];
 * const headers = new Headers(lines);
 * receivedFrom(headers, lines);
 * assert.deepEqual([...receivedFields(headers)], [["x-b", "2, 3"], ["accept", "a"]]);
 * ```
 */
export function receivedFrom(
  headers: Headers,
  lines: ReadonlyArray<readonly [string, string]>,
): void {
  const indexed = headers as IndexedHeaders;
  if (indexed[RECEIVED_INDEX] === undefined) indexed[RECEIVED_LINES] = lines;
}
