/**
 * A patient-facing request's time budget (B5 R14, R15, R17). One overall deadline (default 55 s,
 * below Cloudflare's 100–120 s proxy read and any Envoy-style route budget in front) starts when
 * the chain starts and covers every step: the token lookup, PDS and SDS, the practice's token
 * exchange, the forward and its retries. Each upstream call has its own deadline too (PDS/SDS
 * 10 s in the directory, token calls 20 s, the practice 30 s), cut short by what is left of the
 * overall one, and both abort the call's `fetch` through one signal.
 *
 * Deadlines wait on the gateway's scheduler (worker/gateway/deadline-scheduler.ts): the Deno
 * entry's shared timer wheel, one timer per deadline on Workers. Remaining time is measured on
 * the monotonic clock (`performance.now`), like the scheduler, never on the injected clock.
 *
 * @module
 */
import type { DeadlineScheduler } from "../../gateway/deadline-scheduler.ts";
import { type Deadline, startDeadline } from "../../gateway/request-deadline.ts";
import { PlatformError } from "../platform-error.ts";

/** One upstream call's deadline: its own timeout or the request's, whichever comes first. */
export interface CallDeadline {
  /** Aborts the call when either deadline passes. */
  readonly signal: AbortSignal;
  /** The call's effective timeout, ms (its own, shortened to what the request has left). */
  readonly ms: number;
  /** Whether the signal has fired. */
  readonly timedOut: boolean;
  /** The 504 to answer now that it has fired; `what` names the upstream ("The practice"). */
  timeoutError(what: string): PlatformError;
  /** Stops the call's own deadline (idempotent). */
  cancel(): void;
}

/** A request's overall deadline. */
export interface RequestBudget {
  /** Its length, ms. */
  readonly ms: number;
  /** Aborts when the request's deadline passes. */
  readonly signal: AbortSignal;
  /** Whether it has passed. */
  readonly expired: boolean;
  /** Milliseconds left (0 once passed). */
  remainingMs(): number;
  /** A deadline for one upstream call of at most `timeoutMs`. */
  call(timeoutMs: number): CallDeadline;
  /** `work`'s result, or a 504 when the request's deadline passes first (for work that cannot be aborted). */
  race<T>(work: Promise<T>): Promise<T>;
  /** Throws the request's 504 if its deadline has passed. */
  check(): void;
  /** The request's 504. */
  expiredError(): PlatformError;
  /** Stops it (idempotent). */
  cancel(): void;
}

/**
 * Starts a request's budget of `ms` on `scheduler`.
 *
 * @example
 * ```ts
 * import { perRequestTimers } from "../../gateway/deadline-scheduler.ts";
 * const budget = startRequestBudget(perRequestTimers, 55_000);
 * const call = budget.call(30_000);
 * // await fetch(url, { signal: call.signal });
 * call.cancel();
 * budget.cancel();
 * ```
 */
export function startRequestBudget(
  scheduler: DeadlineScheduler,
  ms: number,
  now: () => number = () => performance.now(),
): RequestBudget {
  return new RunningBudget(scheduler, ms, now);
}

// Classes, not object literals with getters: V8 allocates a literal with accessors in the old
// generation, so what it points to outlived every young collection (issue 15).

class RunningBudget implements RequestBudget {
  readonly ms: number;
  readonly #scheduler: DeadlineScheduler;
  readonly #deadline: Deadline;
  readonly #started: number;
  readonly #now: () => number;

  constructor(scheduler: DeadlineScheduler, ms: number, now: () => number) {
    this.ms = ms;
    this.#scheduler = scheduler;
    this.#now = now;
    this.#started = now();
    this.#deadline = startDeadline(scheduler, ms);
  }

  get signal(): AbortSignal {
    return this.#deadline.signal;
  }

  get expired(): boolean {
    return this.#deadline.expired;
  }

  readonly remainingMs = (): number =>
    this.#deadline.expired ? 0 : Math.max(0, this.ms - (this.#now() - this.#started));

  call(timeoutMs: number): CallDeadline {
    return new RunningCall(this, this.#scheduler, Math.min(timeoutMs, this.remainingMs()));
  }

  race<T>(work: Promise<T>): Promise<T> {
    const deadline = this.#deadline;
    if (deadline.expired) return Promise.reject(this.expiredError());
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(this.expiredError());
      deadline.signal.addEventListener("abort", onAbort, { once: true });
      work.then(resolve, reject).finally(() =>
        deadline.signal.removeEventListener("abort", onAbort)
      );
    });
  }

  check(): void {
    if (this.#deadline.expired) throw this.expiredError();
  }

  readonly expiredError = (): PlatformError =>
    new PlatformError("GATEWAY_TIMEOUT", {
      diagnostics: `The request did not complete within its ${this.ms} ms deadline`,
    });

  readonly cancel = (): void => this.#deadline.cancel();
}

class RunningCall implements CallDeadline {
  readonly signal: AbortSignal;
  readonly ms: number;
  readonly #budget: RunningBudget;
  readonly #own: Deadline;

  constructor(budget: RunningBudget, scheduler: DeadlineScheduler, ms: number) {
    this.ms = ms;
    this.#budget = budget;
    this.#own = startDeadline(scheduler, ms);
    this.signal = AbortSignal.any([this.#own.signal, budget.signal]);
  }

  get timedOut(): boolean {
    return this.signal.aborted;
  }

  timeoutError(what: string): PlatformError {
    if (this.#budget.expired) return this.#budget.expiredError();
    return new PlatformError("GATEWAY_TIMEOUT", {
      diagnostics: `${what} did not answer within ${this.ms} ms`,
    });
  }

  readonly cancel = (): void => this.#own.cancel();
}
