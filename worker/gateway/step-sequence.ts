/**
 * Several middleware steps run as one: what Hono's `compose` does for a route's steps, without an
 * `async` dispatch per step. Hono runs each step inside an `async` function of its own, so while a
 * request is forwarded every step before the forward is a suspended async frame and a promise
 * (about 270 bytes each, and a microtask to resume), though most steps only check the request and
 * pass it on. A sequence calls each step with a `next` that calls the step after it, and the last
 * one's `next` is the route's: a step's answer, its error and its wait are what they would be in
 * Hono's chain (issue 15).
 *
 * The one difference: Hono turns an error into the error handler's answer at the step that threw,
 * so a step *around* it sees `next()` resolve; within a sequence the error passes through the
 * steps before it to the sequence's own dispatch, which answers it the same way. So a step that
 * acts after `await next()` (an audit line, a deadline) belongs outside a sequence.
 *
 * @module
 */
import type { Env, MiddlewareHandler } from "hono";

/**
 * One step that runs `steps` in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * const seen: string[] = [];
 * const app = new Hono().use(stepSequence(
 *   (_, next) => (seen.push("a"), next()),
 *   async (c, next) => c.req.header("x-stop") ? c.text("stopped", 403) : await next(),
 * )).get("/", (c) => c.text("ok"));
 * assert.equal((await app.request("/")).status, 200);
 * assert.equal((await app.request("/", { headers: { "x-stop": "1" } })).status, 403);
 * assert.deepEqual(seen, ["a", "a"]);
 * ```
 */
export function stepSequence<E extends Env>(
  ...steps: MiddlewareHandler<E>[]
): MiddlewareHandler<E> {
  return function sequence(c, next) {
    const run = (index: number): ReturnType<MiddlewareHandler<E>> =>
      index === steps.length ? next() : steps[index]!(c, () => run(index + 1) as Promise<void>);
    return run(0);
  };
}
