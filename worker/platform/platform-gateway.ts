/**
 * The gateway services the platform uses: the shared ones of worker/gateway/ (issue 9), as small
 * interfaces `createPlatformApp`'s deps can swap.
 * - {@linkcode RateLimiter}: the records-store sliding-window limiter (per app: 10 per second,
 *   300 per minute, B2; per patient: writes per minute), its counters under the platform's own key
 *   prefix (`platform:v1:rate:`), so `/_status`, which lists the gateway's counters, never shows
 *   an NHS number — {@linkcode createPlatformRateLimiter};
 * - {@linkcode CircuitBreaker}: the records-store breaker per practice endpoint with Envoy's
 *   outlier-detection defaults (B5 R18) — {@linkcode createPlatformBreaker}.
 *
 * @module
 */
import type { Clock } from "../app-deps.ts";
import {
  createRecordsCircuitBreaker,
  ENVOY_OUTLIER_DEFAULTS,
  type SharedCircuitBreaker,
} from "../gateway/circuit-breaker.ts";
import { createRecordsRateLimiter, type SharedRateLimiter } from "../gateway/rate-limiter.ts";
import type { RecordsStore } from "../store/records-store.ts";

export type { RateLimit, RateVerdict } from "../gateway/rate-limiter.ts";

/** Counts requests of a scope (an app, a patient) against limits. */
export type RateLimiter = SharedRateLimiter;

/** Whether calls to a practice endpoint may be made (R18). */
export type CircuitBreaker = SharedCircuitBreaker;

/** The gateway services of {@linkcode createPlatformApp}'s deps. */
export interface PlatformGateway {
  readonly rateLimiter: RateLimiter;
  readonly breaker: CircuitBreaker;
}

/** Key prefix of the platform's rate-limit counters. */
export const PLATFORM_RATE_KEY_PREFIX = "platform:v1:rate:";

/**
 * The platform's rate limiter: the shared one over `records`, under the platform's key prefix.
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { systemClock } from "../app-deps.ts";
 * const limiter = createPlatformRateLimiter(createMemoryRecordsStore(), systemClock);
 * (await limiter.take("app:x", [{ limit: 10, windowSeconds: 1 }])).allowed; // true
 * ```
 */
export function createPlatformRateLimiter(records: RecordsStore, clock: Clock): RateLimiter {
  return createRecordsRateLimiter({ records, clock, keyPrefix: PLATFORM_RATE_KEY_PREFIX });
}

/**
 * The platform's circuit breaker: the shared one over `records` with Envoy's defaults; a probe is
 * given up after `probeTimeoutMs` (the provider timeout).
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { systemClock } from "../app-deps.ts";
 * const breaker = createPlatformBreaker(createMemoryRecordsStore(), systemClock, 30_000);
 * ```
 */
export function createPlatformBreaker(
  records: RecordsStore,
  clock: Clock,
  probeTimeoutMs: number,
): CircuitBreaker {
  return createRecordsCircuitBreaker({
    records,
    clock,
    settings: { ...ENVOY_OUTLIER_DEFAULTS, probeTimeoutMs },
  });
}
