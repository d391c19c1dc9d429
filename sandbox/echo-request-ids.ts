/**
 * The NHS API platform answers with the caller's `X-Request-ID` and `X-Correlation-ID` (when
 * sent); the sandboxes of its APIs (PDS FHIR, VRS) do the same through this Hono middleware.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";

/** The request headers echoed on every answer. */
export const echoedRequestIdHeaders = ["X-Request-ID", "X-Correlation-ID"] as const;

/**
 * Middleware copying the request's `X-Request-ID` and `X-Correlation-ID` onto the response.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 *
 * const app = new Hono().use("*", echoRequestIds).get("/", (c) => c.text("ok"));
 * const res = await app.request("/", { headers: { "X-Request-ID": "r-1" } });
 * res.headers.get("X-Request-ID"); // "r-1"
 * ```
 */
export const echoRequestIds: MiddlewareHandler = async (c, next) => {
  await next();
  for (const name of echoedRequestIdHeaders) {
    const value = c.req.header(name);
    if (value !== undefined) c.res.headers.set(name, value);
  }
};
