import assert from "node:assert/strict";
import { fakeClock } from "../testing/cache-store-behaviour.ts";
import { recordsStoreBehaviour } from "../testing/records-store-behaviour.ts";
import { createMemoryRecordsStore } from "./memory-records-store.ts";

recordsStoreBehaviour("createMemoryRecordsStore()", () => {
  const clock = fakeClock();
  return { store: createMemoryRecordsStore({ now: clock.now }), ...clock };
});

Deno.test("createMemoryRecordsStore() keeps stores apart and defaults to the real clock", async () => {
  const a = createMemoryRecordsStore();
  const b = createMemoryRecordsStore();
  await a.commit([], [{ type: "set", key: "k", value: 1, expiresAt: Date.now() + 3_600_000 }]);
  assert.equal((await a.get("k"))?.value, 1);
  assert.equal(await b.get("k"), undefined);
  await a.commit([], [{ type: "set", key: "old", value: 1, expiresAt: Date.now() - 1 }]);
  assert.equal(await a.get("old"), undefined);
});
