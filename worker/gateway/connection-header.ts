/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) and the rule that keeps a consumer from using them to strip
 * what gpc-edge checked (issue 9 item 2). A forwarder removes the fixed hop-by-hop headers and
 * every header the `Connection` header names. Without a guard, `Connection: keep-alive, Ssp-To,
 * Authorization` would pass every SSP check and then reach the provider without the very headers
 * that were checked, while the audit line said "forwarded". So a `Connection` header that names a
 * protected header is refused before anything else looks at the request; any other name it lists
 * is treated as hop-by-hop, as RFC 9110 says.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { receivedFields } from "../../gpconnect/header-pairs.ts";

/**
 * Fields to read: a `Headers`, or a received message's {@linkcode receivedFields} (the same
 * `get` and `forEach`, `undefined` for an absent field where `Headers` answers `null`).
 */
export type FieldSource =
  | Pick<Headers, "get" | "forEach">
  | ReadonlyMap<string, string>;

/** RFC 9110 §7.6.1 hop-by-hop headers, plus `proxy-connection` and `keep-alive` of HTTP/1.0. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * The lower-case header names a `Connection` field value lists (its connection options), empty
 * elements skipped; `undefined` without the header.
 *
 * @example
 * ```ts
 * connectionOptions(new Headers({ Connection: "keep-alive, Ssp-To ,," })); // Set {"keep-alive", "ssp-to"}
 * ```
 */
export function connectionOptions(headers: FieldSource): Set<string> | undefined {
  const value = headers.get("connection");
  if (value === null || value === undefined) return undefined;
  const names = new Set<string>();
  for (const token of value.split(",")) {
    const name = token.trim().toLowerCase();
    if (name !== "") names.add(name);
  }
  return names;
}

/** Options of {@linkcode connectionHeaderCheck}. */
export interface ConnectionHeaderCheckOptions {
  /** Whether a lower-case header name may not be made hop-by-hop. */
  readonly isProtected: (name: string) => boolean;
  /** The error to throw for the first protected name found (in the audience's shape). */
  readonly refuse: (name: string) => Error;
}

/**
 * Middleware: refuses a request whose `Connection` header names a protected header.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().use(connectionHeaderCheck({
 *   isProtected: (name) => name === "authorization" || name.startsWith("ssp-"),
 *   refuse: (name) => new Error(`Connection may not name ${name}`),
 * }));
 * ```
 */
export function connectionHeaderCheck(
  options: ConnectionHeaderCheckOptions,
): MiddlewareHandler {
  return function protectedHeadersStay(c, next) {
    const named = connectionOptions(receivedFields(c.req.raw.headers));
    if (named !== undefined) {
      for (const name of named) {
        if (options.isProtected(name)) throw options.refuse(name);
      }
    }
    return next();
  };
}

/**
 * The entries of `headers` (lower-case names, in iteration order) that are end-to-end: neither
 * hop-by-hop, nor named by `Connection`, nor refused by `drop`. A plain list rather than a
 * `Headers` copy: `fetch` and `Response` validate a header list once when they take it, and a
 * copy would be validated twice on the hot path (bench/hot-path.bench.ts).
 *
 * @example
 * ```ts
 * endToEndEntries(new Headers({ Connection: "x-a", "X-A": "1", "X-B": "2" })); // [["x-b", "2"]]
 * ```
 */
export function endToEndEntries(
  headers: FieldSource,
  drop?: (name: string) => boolean,
): Array<[string, string]> {
  const named = connectionOptions(headers);
  const entries: Array<[string, string]> = [];
  // One walk, and the pairs of that walk kept as they are (no second array per field).
  headers.forEach((value, name) => {
    if (HOP_BY_HOP_HEADERS.has(name) || named?.has(name) || drop?.(name)) return;
    entries.push([name, value]);
  });
  return entries;
}
