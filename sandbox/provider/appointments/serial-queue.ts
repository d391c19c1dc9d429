/**
 * An in-process mutex as a promise chain: tasks run one after another in call order, so a
 * read-check-write on the store (is the slot free? then book it) cannot interleave with another.
 * Only one process may write the provider's store; two sandboxes sharing a store in one process
 * must share the queue too.
 *
 * @module
 */

/** Runs `task` after every task queued before it; a failing task does not block later ones. */
export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A new, empty queue.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const serially = serialQueue();
 * const steps: string[] = [];
 * const task = (name: string) => async () => {
 *   steps.push(`${name} reads`);
 *   await Promise.resolve();
 *   steps.push(`${name} writes`);
 * };
 * await Promise.all([serially(task("a")), serially(task("b"))]);
 * assert.deepEqual(steps, ["a reads", "a writes", "b reads", "b writes"]); // never interleaved
 * ```
 */
export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.then(() => undefined, () => undefined);
    return run;
  };
}
