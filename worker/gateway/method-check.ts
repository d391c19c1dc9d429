/**
 * The verbs gpc-edge knows at all (issue 9 item 8). Method names are case-sensitive (RFC 9110
 * §9.1): `get` is not `GET`, and `fetch` would normalise some lower-case names but not others,
 * so a lower-case or unknown verb must be refused as what it is, 405, before any route or
 * upstream sees it. Known verbs go on to the routes, where each sub-app answers for its own (the
 * SSP forwards `GET`, `POST`, `PUT` and answers the others 405 with its `Allow`).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** The RFC 9110 §9.3 methods and `PATCH` (RFC 5789), exactly as registered. */
export const KNOWN_METHODS: readonly string[] = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "CONNECT",
  "OPTIONS",
  "TRACE",
  "PATCH",
];

/** The methods some sub-app serves (for the `Allow` of a refused unknown method). */
export const SERVED_METHODS: readonly string[] = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "OPTIONS",
  "PATCH",
];

/** Options of {@linkcode methodCheck}. */
export interface MethodCheckOptions {
  /** Methods let through, exactly as spelled (case-sensitive). */
  readonly methods: readonly string[];
  /** The error to throw, in the audience's shape. */
  readonly refuse: (method: string) => Error;
}

/**
 * Middleware: refuses a method not in `methods`, compared exactly.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().use(methodCheck({
 *   methods: KNOWN_METHODS,
 *   refuse: (method) => new Error(`${method} is not served`),
 * }));
 * ```
 */
export function methodCheck(options: MethodCheckOptions): MiddlewareHandler {
  const allowed = new Set(options.methods);
  return function servedMethod(c, next) {
    const method = c.req.method;
    if (!allowed.has(method)) throw options.refuse(method);
    return next();
  };
}
