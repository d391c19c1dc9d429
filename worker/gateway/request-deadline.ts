/**
 * One deadline per request, covering everything up to the last byte of the response body (issue
 * 9 item 4). A provider that sends its headers and then stalls, or a consumer that stops reading,
 * would otherwise hold the exchange for as long as the TCP connection lives. The deadline starts
 * when the request arrives; its `signal` aborts the upstream call, and a response body watched by
 * {@linkcode watchResponseBody} is ended (errored, so the consumer sees a cut connection rather
 * than a short body passed off as whole) when it fires. Whoever streams a body hands its end to
 * the middleware (`gatewayBodyEnd`), which keeps the deadline until then and cancels it after.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import type { DeadlineScheduler } from "./deadline-scheduler.ts";
import type { BodyEnd } from "./watched-body.ts";

/** The reason a deadline's signal carries. */
export class DeadlineExceeded extends Error {
  /** The deadline, in milliseconds. */
  readonly ms: number;
  constructor(ms: number) {
    super(`The request did not complete within ${ms} ms`);
    this.name = "DeadlineExceeded";
    this.ms = ms;
  }
}

/** A running deadline. */
export interface Deadline {
  /** Its length, in milliseconds. */
  readonly ms: number;
  /** Aborts, with a {@linkcode DeadlineExceeded}, when the deadline passes. */
  readonly signal: AbortSignal;
  /** Whether it has passed. */
  readonly expired: boolean;
  /** Stops it (idempotent). */
  cancel(): void;
}

/**
 * Starts a deadline of `ms` on `scheduler`.
 *
 * @example
 * ```ts
 * import { perRequestTimers } from "./deadline-scheduler.ts";
 * const deadline = startDeadline(perRequestTimers, 30_000);
 * deadline.cancel();
 * ```
 */
export function startDeadline(scheduler: DeadlineScheduler, ms: number): Deadline {
  return new RunningDeadline(scheduler, ms);
}

/**
 * A class, not an object literal with a getter: V8 allocates a literal with accessors in the old
 * generation, so what it points to (the signal, the timer's callback) outlived every young
 * collection until a full one (issue 15; measured with --trace-gc-nvp).
 */
class RunningDeadline implements Deadline {
  readonly ms: number;
  readonly #controller = new AbortController();
  readonly #cancelTimer: () => void;
  #expired = false;
  #cancelled = false;

  constructor(scheduler: DeadlineScheduler, ms: number) {
    this.ms = ms;
    this.#cancelTimer = scheduler.schedule(ms, () => {
      if (this.#cancelled) return;
      this.#expired = true;
      this.#controller.abort(new DeadlineExceeded(ms));
    });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get expired(): boolean {
    return this.#expired;
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#cancelTimer();
  }
}

/** Context variables of the gateway's middleware, for every sub-app `Env` that uses them. */
export interface GatewayVariables {
  /** The request's deadline (set by {@linkcode requestDeadline}). */
  gatewayDeadline: Deadline;
  /** When the response body streamed under the deadline ends (set by whoever streams it). */
  gatewayBodyEnd: Promise<BodyEnd>;
}

/** A Hono environment with the gateway's variables. */
export interface GatewayEnv {
  Variables: GatewayVariables;
}

/** Options of {@linkcode requestDeadline}. */
export interface RequestDeadlineOptions {
  /** Where the deadline waits. */
  readonly scheduler: DeadlineScheduler;
  /** Its length, in milliseconds. */
  readonly ms: number;
}

/**
 * Middleware: starts the request's deadline (`gatewayDeadline`) and stops it when the response
 * is complete: at once, or when the body set as `gatewayBodyEnd` ends.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { perRequestTimers } from "./deadline-scheduler.ts";
 * new Hono<GatewayEnv>().use(requestDeadline({ scheduler: perRequestTimers, ms: 120_000 }));
 * ```
 */
export function requestDeadline<E extends GatewayEnv = GatewayEnv>(
  options: RequestDeadlineOptions,
): MiddlewareHandler<E> {
  return async function withDeadline(context, next) {
    // Every `E` has the gateway's variables; Hono's generic `set` cannot see that through `E`.
    const c = context as unknown as Context<GatewayEnv>;
    const deadline = startDeadline(options.scheduler, options.ms);
    c.set("gatewayDeadline", deadline);
    try {
      await next();
    } finally {
      // Hono types `get` as always defined; it is undefined unless a body was handed over.
      const bodyEnd = c.get("gatewayBodyEnd") as Promise<BodyEnd> | undefined;
      if (bodyEnd === undefined) deadline.cancel();
      else bodyEnd.then(() => deadline.cancel());
    }
  };
}
