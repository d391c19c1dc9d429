/**
 * A cap on calls in flight to each practice endpoint (B5 R19; Envoy's `max_requests` and
 * `max_pending_requests` circuit-breaker thresholds), per isolate: at most `maxInFlight` calls at
 * once, at most `maxQueued` more waiting for a slot (first come, first served), and anything
 * beyond refused at once — the forward answers 503 with `Retry-After` rather than piling sockets
 * onto a practice that is already slow. A waiting call gives up when its signal aborts (the
 * request's deadline), so the queue never outlives the requests in it.
 *
 * In-memory by design: the count is of this isolate's open sockets, which is what the cap
 * protects; the records-store breaker (R18) is the shared, cross-isolate view of an endpoint.
 *
 * @module
 */

/** Limits of {@linkcode createConcurrencyLimiter}. */
export interface ConcurrencyLimits {
  /** Calls in flight per key. */
  readonly maxInFlight: number;
  /** Calls waiting per key. */
  readonly maxQueued: number;
}

/** Gives a slot back (idempotent). */
export type ReleaseSlot = () => void;

/** Slots per key (a practice endpoint). */
export interface ConcurrencyLimiter {
  /**
   * A slot for `key`: at once, after waiting in the queue, or undefined when the queue is full.
   * Rejects with `signal.reason` if it aborts while waiting.
   */
  acquire(key: string, signal: AbortSignal): Promise<ReleaseSlot | undefined>;
  /** Calls in flight for `key` now. */
  inFlight(key: string): number;
}

interface Waiter {
  readonly grant: (release: ReleaseSlot) => void;
}

interface Lane {
  active: number;
  readonly queue: Waiter[];
}

/**
 * Creates a limiter.
 *
 * @example
 * ```ts
 * const limiter = createConcurrencyLimiter({ maxInFlight: 64, maxQueued: 64 });
 * const release = await limiter.acquire("https://practice.example/fhir", new AbortController().signal);
 * release?.();
 * ```
 */
export function createConcurrencyLimiter(limits: ConcurrencyLimits): ConcurrencyLimiter {
  const lanes = new Map<string, Lane>();

  const releaser = (key: string, lane: Lane): ReleaseSlot => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.queue.shift();
      // The slot passes straight to the next waiter, so `active` stays as it is.
      if (next) next.grant(releaser(key, lane));
      else if (--lane.active === 0) lanes.delete(key);
    };
  };

  return {
    inFlight: (key) => lanes.get(key)?.active ?? 0,
    acquire(key, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      let lane = lanes.get(key);
      if (lane === undefined) lanes.set(key, lane = { active: 0, queue: [] });
      if (lane.active < limits.maxInFlight) {
        lane.active++;
        return Promise.resolve(releaser(key, lane));
      }
      if (lane.queue.length >= limits.maxQueued) return Promise.resolve(undefined);
      const held = lane;
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const index = held.queue.indexOf(waiter);
          if (index >= 0) held.queue.splice(index, 1);
          reject(signal.reason);
        };
        const waiter: Waiter = {
          grant: (release) => {
            signal.removeEventListener("abort", onAbort);
            resolve(release);
          },
        };
        held.queue.push(waiter);
        signal.addEventListener("abort", onAbort, { once: true });
      });
    },
  };
}
