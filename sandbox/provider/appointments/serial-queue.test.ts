import assert from "node:assert/strict";
import { serialQueue } from "./serial-queue.ts";

Deno.test("serial-queue: tasks never interleave and keep call order", async () => {
  const serially = serialQueue();
  const log: string[] = [];
  const task = (name: string) => async () => {
    log.push(`${name} start`);
    await new Promise((resolve) => setTimeout(resolve, 1));
    log.push(`${name} end`);
    return name;
  };
  const results = await Promise.all([
    serially(task("a")),
    serially(task("b")),
    serially(task("c")),
  ]);
  assert.deepEqual(results, ["a", "b", "c"]);
  assert.deepEqual(log, ["a start", "a end", "b start", "b end", "c start", "c end"]);
});

Deno.test("serial-queue: a failing task rejects its caller only", async () => {
  const serially = serialQueue();
  const failed = serially(() => Promise.reject(new Error("boom")));
  const next = serially(() => Promise.resolve(42));
  await assert.rejects(failed, /boom/);
  assert.equal(await next, 42);
});
