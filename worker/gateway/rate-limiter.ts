/**
 * A rate limiter whose counters live in the `records` store (issue 9 item 6), so every Deno
 * process on one store and every Workers isolate (the store is a Durable Object there) counts
 * together, and a restart forgets nothing.
 *
 * **Algorithm: sliding window counter** (the approximation Cloudflare's and Envoy's global rate
 * limiters use). Counts are kept per fixed window (`{prefix}{scope}:{windowSeconds}:{start}`);
 * a request is measured against `previous × (time left of the previous window's overlap) +
 * current`, which approximates "requests in the last `windowSeconds`". Unlike plain fixed windows,
 * a burst straddling a window boundary cannot get twice the limit through; unlike a log of
 * timestamps, it costs one record per scope and window.
 *
 * **Atomicity and cost.** A counter is advanced by compare-and-set. Requests of one scope that
 * arrive together in one isolate are admitted as a batch: one read and one commit for the lot,
 * so a burst does not turn into a storm of conflicting commits. A conflict (another isolate won)
 * re-reads and retries; a store that stays contended past {@linkcode MAX_COMMIT_ATTEMPTS} refuses
 * the batch (fail closed: a limiter that cannot count must not let everything through).
 *
 * Refused requests are not counted, so a throttled consumer recovers as its window slides.
 *
 * @module
 */
import type { Clock } from "../app-deps.ts";
import type { RecordsStore, StoredRecord } from "../store/records-store.ts";

/** At most `limit` requests in any `windowSeconds`. */
export interface RateLimit {
  /** Requests allowed in one window. */
  readonly limit: number;
  /** The window's length in seconds. */
  readonly windowSeconds: number;
}

/** A limiter's verdict on one request, with what the `X-Rate-Limit-*` headers report. */
export interface RateVerdict {
  /** Whether the request was counted and may go on. */
  readonly allowed: boolean;
  /** The limit of the window that constrains most. */
  readonly limit: number;
  /** Requests still allowed in that window now. */
  readonly remaining: number;
  /** Seconds until that window's counter rolls over. */
  readonly resetSeconds: number;
  /** When refused: seconds until a request would be allowed (at least 1). */
  readonly retryAfterSeconds: number;
}

/** Counts requests of a scope (a consumer ASID, a consumer and provider pair, an app). */
export interface SharedRateLimiter {
  /** Counts one request of `scope` if every limit allows it. */
  take(scope: string, limits: readonly RateLimit[]): Promise<RateVerdict>;
}

/** Commits tried for one batch before it is refused. */
export const MAX_COMMIT_ATTEMPTS = 8;

/** The default key prefix of the counters. */
export const RATE_KEY_PREFIX = "gateway:v1:rate:";

/** A counter as stored. */
export interface RateCounter {
  readonly count: number;
  readonly limit: number;
  readonly windowSeconds: number;
}

interface Pending {
  readonly resolve: (verdict: RateVerdict) => void;
  readonly reject: (error: unknown) => void;
}

interface Batch {
  readonly limits: readonly RateLimit[];
  queue: Pending[];
  running: boolean;
}

/** Options of {@linkcode createRecordsRateLimiter}. */
export interface RecordsRateLimiterOptions {
  readonly records: RecordsStore;
  /** Decides the windows (and expiry, which the store judges by its own clock: keep them one). */
  readonly clock: Clock;
  /** Key prefix (default {@linkcode RATE_KEY_PREFIX}). */
  readonly keyPrefix?: string;
}

/**
 * Creates the limiter.
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * import { systemClock } from "../app-deps.ts";
 * const limiter = createRecordsRateLimiter({ records: createMemoryRecordsStore(), clock: systemClock });
 * (await limiter.take("consumer:200000000359", [{ limit: 10, windowSeconds: 1 }])).allowed; // true
 * ```
 */
export function createRecordsRateLimiter(options: RecordsRateLimiterOptions): SharedRateLimiter {
  const { records, clock } = options;
  const prefix = options.keyPrefix ?? RATE_KEY_PREFIX;
  const batches = new Map<string, Batch>();

  async function decide(scope: string, batch: Batch, size: number): Promise<RateVerdict[]> {
    for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
      const now = clock.now();
      const windows = batch.limits.map((limit) => {
        const length = limit.windowSeconds * 1000;
        const start = Math.floor(now / length) * length;
        const key = (at: number) => `${prefix}${scope}:${limit.windowSeconds}:${at}`;
        return { limit, length, start, key: key(start), previousKey: key(start - length) };
      });
      const read = await records.getMany<RateCounter>(
        windows.flatMap((w) => [w.key, w.previousKey]),
      );
      const measured = windows.map((w, i) => {
        const current = read[2 * i] as StoredRecord<RateCounter> | undefined;
        const previous = read[2 * i + 1]?.value.count ?? 0;
        const overlap = (w.length - (now - w.start)) / w.length;
        const estimate = previous * overlap + (current?.value.count ?? 0);
        return { ...w, current, previous, overlap, estimate };
      });
      // How many of the batch fit under every limit.
      const admitted = Math.max(
        0,
        Math.min(size, ...measured.map((m) => Math.floor(m.limit.limit - m.estimate + 1e-9))),
      );
      if (admitted > 0) {
        const ok = await records.commit(
          measured.map((m) => ({ key: m.key, version: m.current?.version ?? null })),
          measured.map((m) => ({
            type: "set" as const,
            key: m.key,
            value: {
              count: (m.current?.value.count ?? 0) + admitted,
              limit: m.limit.limit,
              windowSeconds: m.limit.windowSeconds,
            } satisfies RateCounter,
            // Read as "previous" through the next window.
            expiresAt: m.start + 2 * m.length,
          })),
        );
        if (!ok) continue;
      }
      return Array.from({ length: size }, (_, index) => {
        const allowed = index < admitted;
        // The window with the least room left speaks for the verdict.
        const spent = allowed ? index + 1 : admitted;
        let tightest = measured[0]!;
        let remaining = Number.POSITIVE_INFINITY;
        for (const m of measured) {
          const left = Math.max(0, Math.floor(m.limit.limit - m.estimate - spent + 1e-9));
          if (left < remaining) [tightest, remaining] = [m, left];
        }
        const resetSeconds = Math.max(
          1,
          Math.ceil((tightest.start + tightest.length - now) / 1000),
        );
        return {
          allowed,
          limit: tightest.limit.limit,
          remaining,
          resetSeconds,
          retryAfterSeconds: allowed ? 0 : retryAfter(measured, admitted, now),
        };
      });
    }
    return Array.from({ length: size }, () => ({
      allowed: false,
      limit: batch.limits[0]?.limit ?? 0,
      remaining: 0,
      resetSeconds: 1,
      retryAfterSeconds: 1,
    }));
  }

  async function drain(key: string, scope: string, batch: Batch): Promise<void> {
    while (batch.queue.length > 0) {
      const waiting = batch.queue;
      batch.queue = [];
      try {
        const verdicts = await decide(scope, batch, waiting.length);
        waiting.forEach((pending, i) => pending.resolve(verdicts[i]!));
      } catch (error) {
        for (const pending of waiting) pending.reject(error);
      }
    }
    batch.running = false;
    batches.delete(key);
  }

  return {
    take(scope, limits) {
      if (limits.length === 0) {
        return Promise.resolve({
          allowed: true,
          limit: 0,
          remaining: 0,
          resetSeconds: 0,
          retryAfterSeconds: 0,
        });
      }
      const key = `${scope}\u0000${limits.map((l) => `${l.limit}/${l.windowSeconds}`).join(",")}`;
      let batch = batches.get(key);
      if (batch === undefined) batches.set(key, batch = { limits, queue: [], running: false });
      const verdict = new Promise<RateVerdict>((resolve, reject) => {
        batch!.queue.push({ resolve, reject });
      });
      if (!batch.running) {
        batch.running = true;
        // Started on the next microtask, so requests arriving in the same turn join the batch.
        queueMicrotask(() => void drain(key, scope, batch!));
      }
      return verdict;
    },
  };
}

/** Seconds until the most constrained window lets one more request through (at least 1). */
function retryAfter(
  measured: ReadonlyArray<{
    limit: RateLimit;
    length: number;
    start: number;
    previous: number;
    current: StoredRecord<RateCounter> | undefined;
  }>,
  admitted: number,
  now: number,
): number {
  let wait = 0;
  for (const m of measured) {
    const current = (m.current?.value.count ?? 0) + admitted;
    const room = m.limit.limit - 1;
    let ms: number;
    if (current > room) {
      // Wait for this window to become "previous" and its weight to fall far enough.
      ms = m.start + m.length - now + m.length * (1 - room / current);
    } else if (m.previous > 0) {
      const elapsedNeeded = m.length * (1 - (room - current) / m.previous);
      ms = m.start + elapsedNeeded - now;
    } else {
      ms = 0;
    }
    wait = Math.max(wait, ms);
  }
  return Math.max(1, Math.ceil(wait / 1000));
}
