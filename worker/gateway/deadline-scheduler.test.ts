import assert from "node:assert/strict";
import { createTimerWheel } from "./deadline-scheduler.ts";
import { DeadlineExceeded, startDeadline } from "./request-deadline.ts";

/** Resolves once `condition` holds, checking every few ms (bounded). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(condition(), "condition never held");
}

Deno.test("createTimerWheel(): a deadline fires only once its time has come, by the wheel's clock", async () => {
  let now = 1_000;
  const wheel = createTimerWheel({ tickMs: 5, now: () => now });
  const fired: string[] = [];
  wheel.schedule(100, () => fired.push("a"));
  wheel.schedule(300, () => fired.push("b"));
  assert.equal(wheel.size, 2);
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(fired, [], "no time has passed on the wheel's clock");
  now += 100;
  await until(() => fired.length === 1);
  assert.deepEqual(fired, ["a"]);
  now += 200;
  await until(() => fired.length === 2);
  assert.deepEqual(fired, ["a", "b"]);
  assert.equal(
    wheel.size,
    0,
    "an empty wheel stops its interval (the test would leak it otherwise)",
  );
});

Deno.test("createTimerWheel(): cancelled deadlines never fire; the same callback twice is two deadlines", async () => {
  let now = 0;
  const wheel = createTimerWheel({ tickMs: 5, now: () => now });
  let calls = 0;
  const callback = () => calls++;
  const cancelFirst = wheel.schedule(50, callback);
  wheel.schedule(50, callback);
  const cancelOther = wheel.schedule(50, () => calls += 100);
  cancelFirst();
  cancelFirst();
  cancelOther();
  assert.equal(wheel.size, 1);
  now = 50;
  await until(() => wheel.size === 0);
  assert.equal(calls, 1);
});

Deno.test("createTimerWheel(): a callback that throws does not stop the others", async () => {
  let now = 0;
  const errors: unknown[] = [];
  const wheel = createTimerWheel({ tickMs: 5, now: () => now, onError: (e) => errors.push(e) });
  let ran = false;
  wheel.schedule(10, () => {
    throw new Error("boom");
  });
  wheel.schedule(10, () => ran = true);
  now = 10;
  await until(() => ran);
  assert.equal(errors.length, 1);
});

Deno.test("startDeadline(): aborts its signal with DeadlineExceeded when it passes; cancel stops it", async () => {
  let now = 0;
  const wheel = createTimerWheel({ tickMs: 5, now: () => now });
  const passing = startDeadline(wheel, 20);
  const cancelled = startDeadline(wheel, 20);
  cancelled.cancel();
  now = 20;
  await until(() => passing.signal.aborted);
  assert.ok(passing.expired);
  assert.ok(passing.signal.reason instanceof DeadlineExceeded);
  assert.equal((passing.signal.reason as DeadlineExceeded).ms, 20);
  assert.ok(!cancelled.signal.aborted);
  assert.ok(!cancelled.expired);
  assert.equal(wheel.size, 0);
});

Deno.test("createTimerWheel(): the interval outlives the cancel that empties the wheel and stops at the next tick", async () => {
  const wheel = createTimerWheel({ tickMs: 5 });
  assert.equal(wheel.ticking, false);
  for (let request = 0; request < 100; request++) {
    const cancel = wheel.schedule(30_000, () => {});
    cancel();
    assert.equal(wheel.ticking, true, "one interval for requests one after another");
  }
  assert.equal(wheel.size, 0);
  await until(() => !wheel.ticking);
  // Nothing pending stays stopped; the next deadline starts it again and still fires.
  let fired = false;
  wheel.schedule(1, () => fired = true);
  assert.equal(wheel.ticking, true);
  await until(() => fired && !wheel.ticking);
});

Deno.test("createTimerWheel(): a callback cancelling a deadline of its own tick neither skips it nor miscounts", async () => {
  let now = 0;
  const wheel = createTimerWheel({ tickMs: 5, now: () => now });
  const fired: string[] = [];
  let cancelB: () => void = () => {};
  const cancelA = wheel.schedule(10, () => {
    fired.push("a");
    cancelB();
  });
  cancelB = wheel.schedule(10, () => fired.push("b"));
  now = 10;
  await until(() => wheel.size === 0 && !wheel.ticking);
  cancelA(); // after firing: nothing to cancel
  assert.deepEqual(fired, ["a", "b"]);
  assert.equal(wheel.size, 0);
});
