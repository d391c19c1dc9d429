import assert from "node:assert/strict";
import { cacheStoreBehaviour, fakeClock } from "../testing/cache-store-behaviour.ts";
import { createCloudflareKvCacheStore, type KvNamespaceLike } from "./cloudflare-kv-cache-store.ts";

const utf8 = new TextEncoder();

/** Cloudflare lists keys in UTF-8 byte order. */
function byteOrder(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

/** An in-memory KV namespace that pages `list` like Cloudflare, `pageSize` keys a page. */
function fakeNamespace(pageSize = 2) {
  const data = new Map<string, string>();
  const puts: Array<{ key: string; options: { expirationTtl?: number } | undefined }> = [];
  let listCalls = 0;
  const namespace: KvNamespaceLike = {
    get: (key) => Promise.resolve(data.get(key) ?? null),
    put(key, value, options) {
      puts.push({ key, options });
      data.set(key, value);
      return Promise.resolve();
    },
    delete(key) {
      data.delete(key);
      return Promise.resolve();
    },
    list({ prefix, cursor }) {
      listCalls++;
      const keys = [...data.keys()].filter((key) => key.startsWith(prefix)).sort(byteOrder);
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = keys.slice(start, start + pageSize).map((name) => ({ name }));
      const complete = start + pageSize >= keys.length;
      return Promise.resolve(
        complete
          ? { keys: page, list_complete: true }
          : { keys: page, list_complete: false, cursor: String(start + pageSize) },
      );
    },
  };
  return { namespace, data, puts, listCalls: () => listCalls };
}

cacheStoreBehaviour("createCloudflareKvCacheStore()", () => {
  const clock = fakeClock();
  const { namespace } = fakeNamespace();
  return {
    store: createCloudflareKvCacheStore(namespace, { now: clock.now }),
    advance: clock.advance,
  };
});

Deno.test("createCloudflareKvCacheStore() follows list cursors across pages", async () => {
  const fake = fakeNamespace(3);
  const store = createCloudflareKvCacheStore(fake.namespace);
  for (let i = 0; i < 10; i++) await store.set(`p:${i}`, i);
  await store.set("q:0", 0);
  const listed = await store.list<number>("p:");
  assert.deepEqual(listed.map((entry) => entry.value), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(fake.listCalls(), 4);
});

Deno.test("createCloudflareKvCacheStore() stops listing after a bounded number of pages", async () => {
  let calls = 0;
  const endless: KvNamespaceLike = {
    get: () => Promise.resolve(JSON.stringify({ value: 1, expiresAt: null })),
    put: () => Promise.resolve(),
    delete: () => Promise.resolve(),
    list: () => {
      calls++;
      return Promise.resolve({ keys: [], list_complete: false, cursor: "again" });
    },
  };
  assert.deepEqual(await createCloudflareKvCacheStore(endless).list("x"), []);
  assert.equal(calls, 1000);
});

Deno.test("createCloudflareKvCacheStore() gives Cloudflare at least its 60 s minimum TTL", async () => {
  const fake = fakeNamespace();
  const store = createCloudflareKvCacheStore(fake.namespace);
  await store.set("none", 1);
  await store.set("short", 1, { ttlSeconds: 10 });
  await store.set("zero", 1, { ttlSeconds: 0 });
  await store.set("long", 1, { ttlSeconds: 90.2 });
  assert.deepEqual(fake.puts, [
    { key: "none", options: {} },
    { key: "short", options: { expirationTtl: 60 } },
    { key: "zero", options: { expirationTtl: 60 } },
    { key: "long", options: { expirationTtl: 91 } },
  ]);
});

Deno.test("createCloudflareKvCacheStore() keeps the exact expiry in the stored JSON", async () => {
  const fake = fakeNamespace();
  const store = createCloudflareKvCacheStore(fake.namespace, { now: () => 1_000 });
  await store.set("k", { a: 1 }, { ttlSeconds: 10 });
  await store.set("p", "x");
  assert.deepEqual(JSON.parse(fake.data.get("k")!), { value: { a: 1 }, expiresAt: 11_000 });
  assert.deepEqual(JSON.parse(fake.data.get("p")!), { value: "x", expiresAt: null });
});

Deno.test("createCloudflareKvCacheStore() skips a listed key that is gone by the time it is read", async () => {
  const fake = fakeNamespace();
  const store = createCloudflareKvCacheStore({
    ...fake.namespace,
    get: (key, type) => key === "p:gone" ? Promise.resolve(null) : fake.namespace.get(key, type),
  });
  await store.set("p:gone", 1);
  await store.set("p:kept", 2);
  assert.deepEqual(await store.list("p:"), [{ key: "p:kept", value: 2 }]);
});
