/**
 * Rate-limit middleware over a {@linkcode SharedRateLimiter}: each request is counted against the
 * scopes the audience names (for the SSP the consumer ASID, then the consumer and provider pair),
 * in order. The first scope that refuses ends the request with the audience's 429 carrying
 * `Retry-After` and the SSP's `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and
 * `X-Rate-Limit-Reset` (reference B1); an allowed request gets the same three headers on its
 * response, from the scope with the least room left.
 *
 * | Header | Value |
 * |---|---|
 * | `X-Rate-Limit-Limit` | the limit of the scope reported, requests per its window |
 * | `X-Rate-Limit-Remaining` | requests that scope still allows now |
 * | `X-Rate-Limit-Reset` | seconds until that scope's counter rolls over |
 * | `Retry-After` (429 only) | seconds until a request would be allowed again |
 *
 * @module
 */
import type { Context, Env, MiddlewareHandler, Next } from "hono";
import type { RateLimit, RateVerdict, SharedRateLimiter } from "./rate-limiter.ts";

/** One scope a request is counted in. */
export interface RateScope {
  /** e.g. `ssp:consumer:200000000359`. */
  readonly scope: string;
  /** Its limits; none means unlimited. */
  readonly limits: readonly RateLimit[];
}

/** The `X-Rate-Limit-*` headers of a verdict. */
export function rateLimitHeaders(verdict: RateVerdict): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Rate-Limit-Limit": String(verdict.limit),
    "X-Rate-Limit-Remaining": String(verdict.remaining),
    "X-Rate-Limit-Reset": String(verdict.resetSeconds),
  };
  if (!verdict.allowed) headers["Retry-After"] = String(verdict.retryAfterSeconds);
  return headers;
}

/** Options of {@linkcode rateLimit}. */
export interface RateLimitOptions<E extends Env> {
  readonly limiter: SharedRateLimiter;
  /** The scopes of this request, in the order they are counted. */
  readonly scopes: (c: Context<E>) => readonly RateScope[];
  /** The 429 in the audience's shape; `headers` are {@linkcode rateLimitHeaders}. */
  readonly refuse: (verdict: RateVerdict, headers: Record<string, string>, scope: string) => Error;
}

/**
 * Middleware: counts the request in each scope; refuses it at the first that is full.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { systemClock } from "../app-deps.ts";
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { createRecordsRateLimiter } from "./rate-limiter.ts";
 * const limiter = createRecordsRateLimiter({ records: createMemoryRecordsStore(), clock: systemClock });
 * new Hono().use(rateLimit({
 *   limiter,
 *   scopes: (c) => [{ scope: `consumer:${c.req.header("Ssp-From")}`, limits: [{ limit: 10, windowSeconds: 1 }] }],
 *   refuse: (_verdict, headers) => Object.assign(new Error("429"), { headers }),
 * }));
 * ```
 */
export function rateLimit<E extends Env>(options: RateLimitOptions<E>): MiddlewareHandler<E> {
  const counted = async (c: Context<E>, next: Next, scopes: readonly RateScope[]) => {
    let reported: RateVerdict | undefined;
    for (const { scope, limits } of scopes) {
      if (limits.length === 0) continue;
      const verdict = await options.limiter.take(scope, limits);
      if (!verdict.allowed) throw options.refuse(verdict, rateLimitHeaders(verdict), scope);
      if (reported === undefined || verdict.remaining < reported.remaining) reported = verdict;
    }
    await next();
    if (reported !== undefined) {
      try {
        for (const [name, value] of Object.entries(rateLimitHeaders(reported))) {
          c.res.headers.set(name, value);
        }
      } catch {
        // A response with immutable headers (none of gpc-edge's own) goes out without them.
      }
    }
  };
  return function withinRateLimits(c, next) {
    const scopes = options.scopes(c);
    // No limit on any scope (limits switched off, or none for these ASIDs): nothing to count or
    // report, so no async step (its promise and frame) per request.
    if (scopes.every((scope) => scope.limits.length === 0)) return next();
    return counted(c, next, scopes);
  };
}
