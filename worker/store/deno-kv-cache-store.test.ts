import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheStoreBehaviour, fakeClock } from "../testing/cache-store-behaviour.ts";
import { createDenoKvCacheStore } from "./deno-kv-cache-store.ts";

cacheStoreBehaviour("createDenoKvCacheStore(:memory:)", async () => {
  const clock = fakeClock();
  const kv = await Deno.openKv(":memory:");
  return {
    store: createDenoKvCacheStore(kv, { now: clock.now }),
    advance: clock.advance,
    close: () => kv.close(),
  };
});

cacheStoreBehaviour("createDenoKvCacheStore(SQLite file)", async () => {
  const clock = fakeClock();
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-kv-" });
  const kv = await Deno.openKv(join(dir, "store.sqlite"));
  return {
    store: createDenoKvCacheStore(kv, { now: clock.now }),
    advance: clock.advance,
    close: async () => {
      kv.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
});

Deno.test("createDenoKvCacheStore() keeps entries and their expiry across a reopen of the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-kv-" });
  const path = join(dir, "store.sqlite");
  const clock = fakeClock();
  try {
    const first = await Deno.openKv(path);
    try {
      const store = createDenoKvCacheStore(first, { now: clock.now });
      await store.set("sds:B82617", { address: "https://p/B82617" });
      await store.set("pds:9690937278", { ods: "B82617" }, { ttlSeconds: 300 });
      await store.set("deleted", 1);
      await store.delete("deleted");
    } finally {
      first.close();
    }
    const second = await Deno.openKv(path);
    try {
      const store = createDenoKvCacheStore(second, { now: clock.now });
      assert.deepEqual(await store.get("sds:B82617"), { address: "https://p/B82617" });
      assert.deepEqual(await store.get("pds:9690937278"), { ods: "B82617" });
      assert.equal(await store.get("deleted"), undefined);
      clock.advance(300_000);
      assert.equal(await store.get("pds:9690937278"), undefined, "the expiry time persisted too");
      assert.deepEqual((await store.list("")).map((entry) => entry.key), ["sds:B82617"]);
    } finally {
      second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createDenoKvCacheStore() keeps its entries under the gpc-edge root key", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(["gpc-edge-other", "a:1"], "not ours");
    await kv.set(["other", "a:2"], "not ours");
    const store = createDenoKvCacheStore(kv);
    await store.set("a:3", "ours");
    assert.deepEqual((await kv.get(["gpc-edge", "a:3"])).value, {
      value: "ours",
      expiresAt: null,
    });
    assert.deepEqual(await store.list("a:"), [{ key: "a:3", value: "ours" }]);
  } finally {
    kv.close();
  }
});

Deno.test("createDenoKvCacheStore() stores the JSON form of a value (dates as text, undefined dropped)", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = createDenoKvCacheStore(kv);
    await store.set("dates", { at: new Date(0), skip: undefined, fn: () => 1 });
    assert.deepEqual(await store.get("dates"), { at: "1970-01-01T00:00:00.000Z" });
  } finally {
    kv.close();
  }
});
