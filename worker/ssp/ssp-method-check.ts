/**
 * The SSP's method check (reference gpconnect-ssp.md §1.3 check 6): a verb outside the allowed set
 * is 405 (`405: Method Not Allowed`, severity fatal) with an `Allow` header. It runs before the
 * headers are read, so a request that could never be forwarded costs nothing more. Methods are
 * compared exactly (RFC 9110 §9.1: method names are case-sensitive), so `get` is a 405, not a
 * `GET` that `fetch` would half-normalise (issue 9).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { GpcEdgeError } from "../errors.ts";
import type { SspEnv } from "./ssp-state.ts";

/**
 * Middleware: rejects methods outside `allowedMethods` with 405.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { SspEnv } from "./ssp-state.ts";
 * new Hono<SspEnv>().use("*", sspMethodCheck(["GET", "POST", "PUT"]));
 * ```
 */
export function sspMethodCheck(allowedMethods: readonly string[]): MiddlewareHandler<SspEnv> {
  const allowed = new Set(allowedMethods.map((method) => method.toUpperCase()));
  return function sspAllowedMethod(c, next) {
    if (!allowed.has(c.req.method)) {
      throw GpcEdgeError.ssp("METHOD_NOT_ALLOWED", {}, {
        headers: { Allow: [...allowed].join(", ") },
      });
    }
    return next();
  };
}
