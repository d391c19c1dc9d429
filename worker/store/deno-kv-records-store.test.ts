import assert from "node:assert/strict";
import { join } from "node:path";
import { fakeClock } from "../testing/cache-store-behaviour.ts";
import { recordsStoreBehaviour } from "../testing/records-store-behaviour.ts";
import { createDenoKvRecordsStore } from "./deno-kv-records-store.ts";

recordsStoreBehaviour("createDenoKvRecordsStore(:memory:)", async () => {
  const clock = fakeClock();
  const kv = await Deno.openKv(":memory:");
  return {
    store: createDenoKvRecordsStore(kv, { now: clock.now }),
    ...clock,
    close: () => kv.close(),
  };
});

Deno.test("createDenoKvRecordsStore() keeps records and versions across a reopen of the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-records-" });
  const path = join(dir, "records.sqlite");
  try {
    const first = await Deno.openKv(path);
    let version: string;
    try {
      const store = createDenoKvRecordsStore(first);
      await store.commit([], [{ type: "set", key: "m:1", value: { status: "uploaded" } }]);
      version = (await store.get("m:1"))!.version;
    } finally {
      first.close();
    }
    const second = await Deno.openKv(path);
    try {
      const store = createDenoKvRecordsStore(second);
      assert.equal((await store.get("m:1"))?.version, version);
      assert.equal(
        await store.commit([{ key: "m:1", version }], [{ type: "delete", key: "m:1" }]),
        true,
      );
    } finally {
      second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createDenoKvRecordsStore() stores under its own root, apart from the cache store", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(["gpc-edge", "a:1"], { value: "cache", expiresAt: null });
    const store = createDenoKvRecordsStore(kv);
    await store.commit([], [{
      type: "set",
      key: "a:2",
      value: "record",
      expiresAt: Date.now() + 60_000,
    }]);
    const raw = await kv.get<{ json: Uint8Array; expiresAt: number }>(["gpc-edge-records", "a:2"]);
    assert.equal(new TextDecoder().decode(raw.value!.json), '"record"');
    assert.deepEqual((await store.list("")).map((record) => record.key), ["a:2"]);
  } finally {
    kv.close();
  }
});

Deno.test("createDenoKvRecordsStore() judges an expired record still in Deno KV as absent, atomically", async () => {
  const clock = fakeClock();
  const kv = await Deno.openKv(":memory:");
  try {
    const store = createDenoKvRecordsStore(kv, { now: clock.now });
    await store.commit([], [{
      type: "set",
      key: "jti:1",
      value: 1,
      expiresAt: clock.now() + 100_000,
    }]);
    clock.advance(100_000);
    assert.notEqual((await kv.get(["gpc-edge-records", "jti:1"])).value, null, "still stored");
    const replays = await Promise.all(
      [1, 2, 3, 4].map(() =>
        store.commit([{ key: "jti:1", version: null }], [{ type: "set", key: "jti:1", value: 2 }])
      ),
    );
    assert.deepEqual(replays.filter(Boolean).length, 1);
  } finally {
    kv.close();
  }
});
