import assert from "node:assert/strict";
import {
  denoKvProviderStore,
  inMemoryProviderStore,
  type ProviderStore,
} from "./provider-store.ts";

async function withKvStore(test: (store: ProviderStore) => Promise<void>): Promise<void> {
  const kv = await Deno.openKv(":memory:");
  try {
    await test(denoKvProviderStore(kv));
  } finally {
    kv.close();
  }
}

Deno.test("provider store: set, get, overwrite; absent keys read undefined", () =>
  withKvStore(async (store) => {
    assert.equal(await store.get("provider:B82617:appointment:1"), undefined);
    await store.set("provider:B82617:appointment:1", { id: "1", slotIds: ["a"] });
    await store.set("provider:B82617:appointment:1", { id: "1", slotIds: ["b"] });
    assert.deepEqual(await store.get("provider:B82617:appointment:1"), { id: "1", slotIds: ["b"] });
  }));

Deno.test("provider store: values are stored as JSON carries them", () =>
  withKvStore(async (store) => {
    await store.set("k", { a: undefined, b: 1, when: new Date("2025-01-15T10:00:00Z") });
    assert.deepEqual(await store.get("k"), { b: 1, when: "2025-01-15T10:00:00.000Z" });
  }));

Deno.test("provider store: list returns exactly the prefix's keys, in key order", () =>
  withKvStore(async (store) => {
    for (const key of ["p:B:appointment:2", "p:B:appointment:10", "p:B:appointment-sequence"]) {
      await store.set(key, key);
    }
    await store.set("p:B:appointmenu", "after");
    await store.set("p:A:appointment:1", "other practice");
    const listed = await store.list<string>("p:B:appointment:");
    assert.deepEqual(listed.map((entry) => entry.key), ["p:B:appointment:10", "p:B:appointment:2"]);
    assert.deepEqual(listed.map((entry) => entry.value), listed.map((entry) => entry.key));
    assert.deepEqual(await store.list("p:C:"), []);
  }));

Deno.test("provider store: two stores over one Deno KV file share their data", async () => {
  const dir = await Deno.makeTempDir({ prefix: "provider-store-" });
  try {
    const first = await Deno.openKv(`${dir}/provider.sqlite`);
    await denoKvProviderStore(first).set("provider:B82617:registration:9690937278", { t: "T" });
    first.close();
    const second = await Deno.openKv(`${dir}/provider.sqlite`);
    const value = await denoKvProviderStore(second).get("provider:B82617:registration:9690937278");
    second.close();
    assert.deepEqual(value, { t: "T" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("inMemoryProviderStore: separate stores do not share data", async () => {
  const a = inMemoryProviderStore();
  const b = inMemoryProviderStore();
  await a.set("k", 1);
  assert.equal(await a.get("k"), 1);
  assert.equal(await b.get("k"), undefined);
});

Deno.test("provider store: commit writes all or nothing, on the versions read", () =>
  withKvStore(async (store) => {
    const absent = await store.getVersioned<number>("lock");
    assert.deepEqual(absent, { value: undefined, version: null });
    assert.equal(
      await store.commit({
        checks: [{ key: "lock", version: absent.version }],
        sets: [{ key: "lock", value: 1 }, { key: "task", value: "a" }],
      }),
      true,
    );
    // A second writer that read the key while it was absent loses, and writes nothing.
    assert.equal(
      await store.commit({
        checks: [{ key: "lock", version: null }],
        sets: [{ key: "lock", value: 2 }, { key: "task", value: "b" }],
      }),
      false,
    );
    const held = await store.getVersioned<number>("lock");
    assert.equal(held.value, 1);
    assert.equal(await store.get("task"), "a");
    assert.equal(
      await store.commit({ checks: [{ key: "lock", version: held.version }], deletes: ["lock"] }),
      true,
    );
    assert.equal(await store.get("lock"), undefined);
  }));
