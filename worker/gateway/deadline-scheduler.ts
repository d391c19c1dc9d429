/**
 * Where deadlines wait. Every request through the SSP has at least two (the provider's response
 * headers, the whole exchange), so a `setTimeout` + `clearTimeout` pair each costs timer-heap
 * work per request on the hot path (issue 15 measured it). {@linkcode createTimerWheel} instead
 * keeps every deadline in a bucket per tick of one shared interval timer, which stops at the first
 * tick that finds nothing pending: scheduling and cancelling are a `Set` insert and delete, and a
 * deadline fires between `ms` and `ms + tickMs` after it was set, which is precise enough for
 * deadlines counted in seconds.
 *
 * Workers cannot share one: a timer belongs to the request that created it, and work on behalf of
 * another request from its callback is refused. {@linkcode perRequestTimers} is the plain timer
 * per deadline for that runtime (and the default where nothing else is chosen).
 *
 * Both use real time, not the injected clock: a deadline guards against a real socket hanging,
 * which a fake clock never advances.
 *
 * @module
 */

/** Schedules callbacks after a delay. */
export interface DeadlineScheduler {
  /** Calls `onExpire` after about `ms` milliseconds; the function returned cancels it. */
  schedule(ms: number, onExpire: () => void): () => void;
}

/** One timer per deadline: what Workers need (see the module). */
export const perRequestTimers: DeadlineScheduler = {
  schedule(ms, onExpire) {
    const timer = setTimeout(onExpire, ms);
    return () => clearTimeout(timer);
  },
};

/** Options of {@linkcode createTimerWheel}. */
export interface TimerWheelOptions {
  /** Resolution, in milliseconds (default 100). */
  readonly tickMs?: number;
  /** Monotonic milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** Reports a callback that threw (default: ignored; a deadline callback must not throw). */
  readonly onError?: (error: unknown) => void;
}

/** A timer wheel, with how many deadlines it holds. */
export interface TimerWheel extends DeadlineScheduler {
  /** Deadlines pending. */
  readonly size: number;
  /** Whether its interval timer runs (from a schedule until a tick finds nothing pending). */
  readonly ticking: boolean;
}

/**
 * A hashed timer wheel over one interval timer.
 *
 * @example
 * ```ts
 * const wheel = createTimerWheel({ tickMs: 50 });
 * const cancel = wheel.schedule(1_000, () => console.log("late"));
 * cancel();
 * wheel.size; // 0
 * ```
 */
export function createTimerWheel(options: TimerWheelOptions = {}): TimerWheel {
  const tickMs = options.tickMs ?? 100;
  const now = options.now ?? (() => performance.now());
  /** Tick number → callbacks due at the end of it. */
  const buckets = new Map<number, Set<() => void>>();
  let size = 0;
  let interval: ReturnType<typeof setInterval> | undefined;

  const tick = () => {
    const current = Math.floor(now() / tickMs);
    // Buckets are few (one per distinct due tick), so a pass over them is cheap; a late timer
    // (a busy event loop) fires everything that is now due.
    for (const [due, callbacks] of buckets) {
      if (due > current) {
        // Emptied by cancels: left in place between ticks (a request arriving in the same tick
        // reuses it) and removed here.
        if (callbacks.size === 0) buckets.delete(due);
        continue;
      }
      buckets.delete(due);
      // Taken out first, so a cancel from now on (from a callback too) finds nothing to cancel.
      const firing = [...callbacks];
      callbacks.clear();
      size -= firing.length;
      for (const callback of firing) {
        try {
          callback();
        } catch (error) {
          options.onError?.(error);
        }
      }
    }
    // The interval stops at a tick that finds nothing pending, not at the cancel that empties the
    // wheel: at low concurrency that cancel comes once a request, and restarting the interval for
    // the next one cost more than the wheel saves.
    if (size === 0 && interval !== undefined) {
      clearInterval(interval);
      interval = undefined;
    }
  };

  return {
    get size() {
      return size;
    },
    get ticking() {
      return interval !== undefined;
    },
    schedule(ms, onExpire) {
      const due = Math.ceil((now() + Math.max(0, ms)) / tickMs);
      let bucket = buckets.get(due);
      if (bucket === undefined) buckets.set(due, bucket = new Set());
      // A wrapper per entry, so the same function scheduled twice is two deadlines.
      const entry = () => onExpire();
      const held = bucket;
      held.add(entry);
      size++;
      interval ??= setInterval(tick, tickMs);
      return () => {
        if (held.delete(entry)) size--;
      };
    },
  };
}
