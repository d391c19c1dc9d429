import assert from "node:assert/strict";
import { fakeClock } from "../testing/directory-sandboxes.ts";
import { createDenoKvRecordsStore } from "../store/deno-kv-records-store.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
import { createRecordsRateLimiter, type RateVerdict } from "./rate-limiter.ts";

const tenPerSecond = [{ limit: 10, windowSeconds: 1 }];

/** A clock at the start of a second, and a memory store judging expiry by it. */
function world(start = 1_800_000_000_000) {
  const clock = fakeClock(start);
  const records = createMemoryRecordsStore({ now: clock.now });
  return { clock, records, limiter: createRecordsRateLimiter({ records, clock }) };
}

Deno.test("rate limiter: 11 requests in one second with a limit of 10 → the 11th is refused, with its headers' values", async () => {
  const { limiter, clock } = world();
  const verdicts: RateVerdict[] = [];
  for (let i = 0; i < 11; i++) {
    verdicts.push(await limiter.take("ssp:consumer:200000000359", tenPerSecond));
    clock.advance(50);
  }
  assert.deepEqual(verdicts.map((v) => v.allowed), [...Array(10).fill(true), false]);
  assert.deepEqual(verdicts.slice(0, 10).map((v) => v.remaining), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  const refused = verdicts[10]!;
  assert.equal(refused.limit, 10);
  assert.equal(refused.remaining, 0);
  assert.equal(refused.resetSeconds, 1);
  assert.ok(refused.retryAfterSeconds >= 1);
  assert.equal(verdicts[0]!.retryAfterSeconds, 0);
});

Deno.test("rate limiter: scopes count apart; a refused request is not counted", async () => {
  const { limiter } = world();
  for (let i = 0; i < 10; i++) await limiter.take("a", tenPerSecond);
  for (let i = 0; i < 5; i++) assert.equal((await limiter.take("a", tenPerSecond)).allowed, false);
  assert.equal((await limiter.take("b", tenPerSecond)).allowed, true);
});

Deno.test("rate limiter: the window slides — a burst straddling a boundary cannot pass twice the limit", async () => {
  const { limiter, clock } = world();
  clock.advance(900); // late in a window
  for (let i = 0; i < 10; i++) assert.ok((await limiter.take("s", tenPerSecond)).allowed);
  clock.advance(200); // 100 ms into the next window: 90% of the previous still weighs in
  const next = [];
  for (let i = 0; i < 10; i++) next.push((await limiter.take("s", tenPerSecond)).allowed);
  assert.deepEqual(next, [true, false, false, false, false, false, false, false, false, false]);
  clock.advance(1000); // two windows on, the first burst is forgotten
  const later = [];
  for (let i = 0; i < 10; i++) later.push((await limiter.take("s", tenPerSecond)).allowed);
  assert.ok(later.filter((allowed) => allowed).length >= 8);
});

Deno.test("rate limiter: 50 concurrent requests from two limiters (two isolates) on one store → exactly 10 pass", async () => {
  const { records, clock } = world();
  const a = createRecordsRateLimiter({ records, clock });
  const b = createRecordsRateLimiter({ records, clock });
  const verdicts = await Promise.all(
    Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).take("pair:x:y", tenPerSecond)),
  );
  assert.equal(verdicts.filter((v) => v.allowed).length, 10);
});

Deno.test("rate limiter: counters in Deno KV hold across a restart, and concurrent takes on it stay exact", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/gpc-edge.sqlite`;
  const clock = fakeClock(1_800_000_000_000);
  try {
    let kv = await Deno.openKv(path);
    let limiter = createRecordsRateLimiter({
      records: createDenoKvRecordsStore(kv, { now: clock.now }),
      clock,
    });
    const first = await Promise.all(
      Array.from({ length: 8 }, () => limiter.take("c", tenPerSecond)),
    );
    assert.equal(first.filter((v) => v.allowed).length, 8);
    kv.close();

    kv = await Deno.openKv(path);
    limiter = createRecordsRateLimiter({
      records: createDenoKvRecordsStore(kv, { now: clock.now }),
      clock,
    });
    const second = await Promise.all(
      Array.from({ length: 5 }, () => limiter.take("c", tenPerSecond)),
    );
    assert.equal(second.filter((v) => v.allowed).length, 2, "the restart forgot nothing");
    kv.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rate limiter: several limits at once — the tightest speaks; no limits allows everything", async () => {
  const { limiter } = world();
  const limits = [{ limit: 100, windowSeconds: 1 }, { limit: 3, windowSeconds: 60 }];
  const verdicts = [];
  for (let i = 0; i < 4; i++) verdicts.push(await limiter.take("m", limits));
  assert.deepEqual(verdicts.map((v) => v.allowed), [true, true, true, false]);
  assert.equal(verdicts[2]!.limit, 3);
  assert.ok(verdicts[3]!.retryAfterSeconds > 1);
  assert.equal((await limiter.take("m", [])).allowed, true);
});
