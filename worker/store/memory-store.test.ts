import assert from "node:assert/strict";
import { fakeClock, keyValueStoreBehaviour } from "../testing/key-value-store-behaviour.ts";
import { createMemoryStore } from "./memory-store.ts";

keyValueStoreBehaviour("createMemoryStore()", () => {
  const clock = fakeClock();
  return { store: createMemoryStore({ now: clock.now }), advance: clock.advance };
});

Deno.test("createMemoryStore() keeps stores apart", async () => {
  const a = createMemoryStore();
  const b = createMemoryStore();
  await a.set("k", 1);
  assert.equal(await b.get("k"), undefined);
});

Deno.test("createMemoryStore() defaults to the real clock", async () => {
  const store = createMemoryStore();
  await store.set("k", 1, { ttlSeconds: 3600 });
  assert.equal(await store.get("k"), 1);
  await store.set("old", 1, { ttlSeconds: -1 });
  assert.equal(await store.get("old"), undefined);
});
