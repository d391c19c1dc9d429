import assert from "node:assert/strict";
import { cacheStoreBehaviour, fakeClock } from "../testing/cache-store-behaviour.ts";
import { createMemoryCacheStore } from "./memory-cache-store.ts";

cacheStoreBehaviour("createMemoryCacheStore()", () => {
  const clock = fakeClock();
  return { store: createMemoryCacheStore({ now: clock.now }), advance: clock.advance };
});

Deno.test("createMemoryCacheStore() keeps stores apart", async () => {
  const a = createMemoryCacheStore();
  const b = createMemoryCacheStore();
  await a.set("k", 1);
  assert.equal(await b.get("k"), undefined);
});

Deno.test("createMemoryCacheStore() defaults to the real clock", async () => {
  const store = createMemoryCacheStore();
  await store.set("k", 1, { ttlSeconds: 3600 });
  assert.equal(await store.get("k"), 1);
  await store.set("old", 1, { ttlSeconds: -1 });
  assert.equal(await store.get("old"), undefined);
});
