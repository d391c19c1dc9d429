import assert from "node:assert/strict";
import { runPool } from "./pool.ts";

Deno.test("runPool keeps at most `limit` in flight and returns results in item order", async () => {
  let inFlight = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  const items = Array.from({ length: 20 }, (_, i) => i);
  const done = runPool(items, 3, async (item) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise<void>((resolve) => gates.push(resolve));
    inFlight--;
    return item * 10;
  });
  // Release waiting work newest first, so completion order differs from item order.
  while (gates.length > 0 || inFlight > 0) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    gates.pop()?.();
  }
  assert.deepEqual(await done, items.map((i) => i * 10));
  assert.equal(peak, 3);
});

Deno.test("runPool handles no items and a limit above the item count", async () => {
  assert.deepEqual(await runPool([], 8, () => Promise.resolve(1)), []);
  assert.deepEqual(await runPool(["a", "bb"], 8, (text) => Promise.resolve(text.length)), [1, 2]);
});
