/**
 * The gateway services the platform needs, as small interfaces so issue 9's shared gateway
 * middleware (worker/gateway/: deadlines, caps, rate limits, circuit breaker) can replace them
 * when it lands. Until then:
 * - {@linkcode RateLimiter}: fixed windows counted in the records store (per app: 10 per second,
 *   300 per minute, B2; per patient: writes per minute) — {@linkcode createRecordsRateLimiter};
 * - {@linkcode CircuitBreaker}: none yet (every call allowed) — R18 waits for the gateway.
 *
 * @module
 */
import type { Clock } from "../app-deps.ts";
import type { RecordsStore } from "../store/records-store.ts";
import { rateKey } from "./platform-keys.ts";

/** One limit: at most `limit` requests per `windowSeconds`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

/** A rate limiter's verdict. */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Counts requests of a scope (an app, a patient) against limits. */
export interface RateLimiter {
  /** Counts one request of `scope` and says whether every limit still holds. */
  take(scope: string, limits: readonly RateLimit[]): Promise<RateDecision>;
}

/** Whether calls to a provider may be made (R18; issue 9). */
export interface CircuitBreaker {
  allows(key: string): boolean;
  record(key: string, ok: boolean): void;
}

/** The breaker until issue 9's: always closed. */
export const alwaysClosedBreaker: CircuitBreaker = { allows: () => true, record: () => {} };

/** The gateway services of {@linkcode createPlatformApp}'s deps. */
export interface PlatformGateway {
  readonly rateLimiter: RateLimiter;
  readonly breaker: CircuitBreaker;
}

const maxAttempts = 8;

/**
 * A fixed-window rate limiter over the records store: one counter per scope and window, advanced
 * by compare-and-set (several isolates count together). A counter expires with its window. When
 * the store stays contended past a few attempts the request is refused (fail closed).
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { systemClock } from "../app-deps.ts";
 * const limiter = createRecordsRateLimiter(createMemoryRecordsStore(), systemClock);
 * await limiter.take("app:x", [{ limit: 10, windowSeconds: 1 }]); // { allowed: true }
 * ```
 */
export function createRecordsRateLimiter(records: RecordsStore, clock: Clock): RateLimiter {
  return {
    async take(scope, limits) {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const now = clock.now();
        const windows = limits.map((limit) => {
          const size = limit.windowSeconds * 1000;
          const start = Math.floor(now / size) * size;
          return { limit, start, end: start + size, key: rateKey(scope, start) };
        });
        const current = await records.getMany<number>(windows.map((w) => w.key));
        const full = windows.findIndex((w, i) => (current[i]?.value ?? 0) >= w.limit.limit);
        if (full >= 0) {
          const retryAfterSeconds = Math.max(1, Math.ceil((windows[full]!.end - now) / 1000));
          return { allowed: false, retryAfterSeconds };
        }
        const applied = await records.commit(
          windows.map((w, i) => ({ key: w.key, version: current[i]?.version ?? null })),
          windows.map((w, i) => ({
            type: "set" as const,
            key: w.key,
            value: (current[i]?.value ?? 0) + 1,
            expiresAt: w.end,
          })),
        );
        if (applied) return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: 1 };
    },
  };
}
