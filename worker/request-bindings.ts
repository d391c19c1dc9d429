/**
 * What a runtime entry hands the app with each request (Hono's `env`, the second argument of
 * `app.fetch`): the per-request facts the core cannot read from the `Request` itself. Deno's entry
 * passes the peer address; the Workers entry passes `cf-connecting-ip` and the request's
 * `waitUntil` as `defer`. Tests may pass nothing.
 *
 * @module
 */
/** Per-request bindings from the runtime entry. */
export interface RequestBindings {
  /** The consumer's address (for `Forwarded: for=`), when the runtime knows it. */
  readonly clientAddress?: string | undefined;
  /**
   * Runs `promise` off the request path: the response does not wait for it, the runtime keeps the
   * request alive until it settles (Workers' `ExecutionContext.waitUntil`). Absent where work is
   * awaited inline (Deno: its writes are local and fast, and a test can read them back at once).
   */
  readonly defer?: ((promise: Promise<unknown>) => void) | undefined;
}

/** Hono environment fragment every sub-app's `Env` shares. */
export interface RequestBindingsEnv {
  /** What `c.env` holds. */
  Bindings: RequestBindings;
}

/**
 * The request's bindings; `{}` when the caller passed none (`app.request(…)` in tests).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * const app = new Hono<RequestBindingsEnv>();
 * app.get("/", (c) => c.text(requestBindings(c).clientAddress ?? "unknown"));
 * ```
 */
export function requestBindings(c: { readonly env: unknown }): RequestBindings {
  // Hono leaves `env` undefined when `app.fetch` gets no second argument.
  return (c.env as RequestBindings | undefined) ?? {};
}
