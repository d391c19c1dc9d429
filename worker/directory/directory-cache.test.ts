import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import type { CacheStore } from "../store/cache-store.ts";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import {
  createDirectoryCache,
  type DirectoryCacheEntry,
  pdsCacheKey,
  sdsCacheKey,
} from "./directory-cache.ts";
import type { CacheCounters } from "./directory-types.ts";
import { fakeClock, structured } from "../testing/directory-sandboxes.ts";

const counters = (): CacheCounters => ({
  memoryHits: 0,
  kvHits: 0,
  misses: 0,
  negativeHits: 0,
  upstreamErrors: 0,
});

const ttl = { ttlSeconds: 300, negativeTtlSeconds: 30 };

function setup(store?: CacheStore) {
  const clock = fakeClock();
  const kv = store ?? createMemoryCacheStore({ now: clock.now });
  const logged: Array<Readonly<Record<string, unknown>>> = [];
  const cache = createDirectoryCache({
    store: kv,
    clock,
    lruMaxEntries: 100,
    logger: { log: (record) => logged.push(record) },
  });
  return { cache, clock, store: kv, logged };
}

function loader<T>(value: T) {
  const load = () => {
    load.calls++;
    return Promise.resolve(value);
  };
  load.calls = 0;
  return load;
}

Deno.test("cache keys: documented schema, ODS code and interaction both in the SDS key", () => {
  assert.equal(pdsCacheKey("9693632109"), "gpc-edge:v1:pds:9693632109");
  assert.equal(sdsCacheKey("A20047", structured), `gpc-edge:v1:sds:A20047:${structured}`);
  assert.notEqual(
    sdsCacheKey("A20047", structured),
    sdsCacheKey("A20047", "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1"),
  );
});

Deno.test("cache: miss → upstream, then memory hit; the KV store holds the entry with its expiry", async () => {
  const { cache, store, clock } = setup();
  const count = counters();
  const load = loader({ odsCode: "A20047" });
  const first = await cache.lookup("gpc-edge:v1:pds:1", ttl, load, count);
  const second = await cache.lookup("gpc-edge:v1:pds:1", ttl, load, count);
  assert.deepEqual([first.source, second.source], ["upstream", "memory"]);
  assert.deepEqual(second.value, { odsCode: "A20047" });
  assert.equal(load.calls, 1);
  assert.deepEqual(count, {
    memoryHits: 1,
    kvHits: 0,
    misses: 1,
    negativeHits: 0,
    upstreamErrors: 0,
  });
  assert.deepEqual(await store.get("gpc-edge:v1:pds:1"), {
    kind: "value",
    value: { odsCode: "A20047" },
    expiresAt: clock.now() + 300_000,
  });
  assert.equal(cache.lruSize, 1);
});

Deno.test("cache: a second cache on the same store gets a KV hit, then a memory hit", async () => {
  const { cache, store, clock } = setup();
  await cache.lookup("k", ttl, loader("v"), counters());
  const other = createDirectoryCache({ store, clock, lruMaxEntries: 10 });
  const count = counters();
  const load = loader("fresh");
  assert.deepEqual(await other.lookup("k", ttl, load, count), { value: "v", source: "kv" });
  assert.deepEqual(await other.lookup("k", ttl, load, count), { value: "v", source: "memory" });
  assert.equal(load.calls, 0);
  assert.deepEqual(count, {
    memoryHits: 1,
    kvHits: 1,
    misses: 0,
    negativeHits: 0,
    upstreamErrors: 0,
  });
});

Deno.test("cache: entries expire after the TTL (fake clock) in both tiers", async () => {
  const { cache, clock } = setup();
  const load = loader("v");
  await cache.lookup("k", ttl, load, counters());
  clock.advance(299_999);
  assert.equal((await cache.lookup("k", ttl, load, counters())).source, "memory");
  clock.advance(1);
  assert.equal((await cache.lookup("k", ttl, load, counters())).source, "upstream");
  assert.equal(load.calls, 2);
});

Deno.test("cache: a KV entry copied into the LRU keeps its own expiry", async () => {
  const { cache, store, clock } = setup();
  await cache.lookup("k", ttl, loader("v"), counters());
  clock.advance(200_000);
  const other = createDirectoryCache({ store, clock, lruMaxEntries: 10 });
  assert.equal((await other.lookup("k", ttl, loader("x"), counters())).source, "kv");
  clock.advance(100_000);
  assert.equal((await other.lookup("k", ttl, loader("x"), counters())).source, "upstream");
});

Deno.test("cache: a cacheable error is remembered for the negative TTL and rethrown", async () => {
  const { cache, clock, store } = setup();
  const count = counters();
  let calls = 0;
  const load = () => {
    calls++;
    return Promise.reject(
      GpcEdgeError.gpconnect("PATIENT_NOT_FOUND", {
        diagnostics: "PDS has no record of NHS number 9111231130 (RESOURCE_NOT_FOUND)",
        cacheable: true,
      }),
    );
  };
  await assert.rejects(cache.lookup("k", ttl, load, count), { code: "PATIENT_NOT_FOUND" });
  const again = await cache.lookup("k", ttl, load, count).catch((e) => e);
  assert.ok(again instanceof GpcEdgeError);
  assert.equal(again.status, 404);
  assert.equal(again.code, "PATIENT_NOT_FOUND");
  assert.equal(again.issueCode, "not-found");
  assert.equal(again.display, "Patient record not found");
  assert.equal(
    again.diagnostics,
    "PDS has no record of NHS number 9111231130 (RESOURCE_NOT_FOUND)",
  );
  assert.equal(calls, 1);
  const stored = await store.get<DirectoryCacheEntry<unknown>>("k");
  assert.equal(stored?.kind, "negative");
  assert.equal(stored?.expiresAt, clock.now() + 30_000);

  const other = createDirectoryCache({ store, clock, lruMaxEntries: 10 });
  await assert.rejects(other.lookup("k", ttl, load, count), { code: "PATIENT_NOT_FOUND" });
  assert.equal(count.negativeHits, 2);

  clock.advance(30_000);
  await assert.rejects(cache.lookup("k", ttl, load, count), { code: "PATIENT_NOT_FOUND" });
  assert.equal(calls, 2);
  assert.equal(count.misses, 2);
  assert.equal(count.upstreamErrors, 0);
});

Deno.test("cache: transient errors are never stored and count as upstream errors", async () => {
  const { cache, store } = setup();
  const count = counters();
  const load = () =>
    Promise.reject(
      GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
        status: 502,
        diagnostics: "PDS unavailable: network error",
      }),
    );
  await assert.rejects(cache.lookup("k", ttl, load, count), { status: 502 });
  await assert.rejects(cache.lookup("k", ttl, load, count), { status: 502 });
  assert.equal(await store.get("k"), undefined);
  assert.equal(cache.lruSize, 0);
  assert.deepEqual(count, {
    memoryHits: 0,
    kvHits: 0,
    misses: 2,
    negativeHits: 0,
    upstreamErrors: 2,
  });
});

Deno.test("cache: bypass skips both tiers but stores the fresh answer", async () => {
  const { cache } = setup();
  await cache.lookup("k", ttl, loader("old"), counters());
  const bypassed = await cache.lookup(
    "k",
    { ...ttl, bypassCache: true },
    loader("new"),
    counters(),
  );
  assert.deepEqual(bypassed, { value: "new", source: "upstream" });
  assert.deepEqual(await cache.lookup("k", ttl, loader("x"), counters()), {
    value: "new",
    source: "memory",
  });
});

Deno.test("cache: a KV store that throws degrades to upstream and logs without the key", async () => {
  const broken: CacheStore = {
    get: () => Promise.reject(new Error("KV GET failed: 503")),
    set: () => Promise.reject(new Error("KV PUT failed: 503")),
    delete: () => Promise.reject(new Error("KV DELETE failed")),
    list: () => Promise.reject(new Error("KV LIST failed")),
  };
  const { cache, logged } = setup(broken);
  const count = counters();
  const load = loader("v");
  assert.deepEqual(await cache.lookup(pdsCacheKey("9693632109"), ttl, load, count), {
    value: "v",
    source: "upstream",
  });
  assert.equal((await cache.lookup(pdsCacheKey("9693632109"), ttl, load, count)).source, "memory");
  assert.deepEqual(logged.map((r) => [r.event, r.operation, r.kind]), [
    ["directory.cache.kv_error", "get", "pds"],
    ["directory.cache.kv_error", "set", "pds"],
  ]);
  assert.ok(!JSON.stringify(logged).includes("9693632109"));
});

Deno.test("cache: a malformed KV value is a miss", async () => {
  const { cache, store } = setup();
  await store.set("k", { something: "else" });
  assert.equal((await cache.lookup("k", ttl, loader("v"), counters())).source, "upstream");
});

Deno.test("cache: concurrent identical misses share one upstream call", async () => {
  const { cache } = setup();
  let release!: (value: string) => void;
  let calls = 0;
  const load = () => {
    calls++;
    return new Promise<string>((resolve) => (release = resolve));
  };
  const count = counters();
  const both = Promise.all([
    cache.lookup("k", ttl, load, count),
    cache.lookup("k", ttl, load, count),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  release("v");
  const [a, b] = await both;
  assert.equal(calls, 1);
  assert.deepEqual([a.value, b.value], ["v", "v"]);
  assert.equal(count.misses, 2);
  assert.equal((await cache.lookup("k", ttl, load, count)).source, "memory");
});

Deno.test("cache: waitUntil takes the KV write off the critical path", async () => {
  const { cache, store } = setup();
  const pending: Array<Promise<unknown>> = [];
  await cache.lookup("k", { ...ttl, waitUntil: (p) => pending.push(p) }, loader("v"), counters());
  assert.equal(pending.length, 1);
  await Promise.all(pending);
  assert.equal((await store.get<DirectoryCacheEntry<string>>("k"))?.kind, "value");
});

Deno.test("cache: a TTL of 0 stores nothing", async () => {
  const { cache, store } = setup();
  const load = loader("v");
  await cache.lookup("k", { ttlSeconds: 0, negativeTtlSeconds: 0 }, load, counters());
  await cache.lookup("k", { ttlSeconds: 0, negativeTtlSeconds: 0 }, load, counters());
  assert.equal(load.calls, 2);
  assert.equal(await store.get("k"), undefined);
});

Deno.test("cache: the LRU is bounded", async () => {
  const clock = fakeClock();
  const cache = createDirectoryCache({
    store: createMemoryCacheStore({ now: clock.now }),
    clock,
    lruMaxEntries: 2,
  });
  for (const key of ["a", "b", "c"]) await cache.lookup(key, ttl, loader(key), counters());
  assert.equal(cache.lruSize, 2);
  assert.equal((await cache.lookup("a", ttl, loader("a"), counters())).source, "kv");
});
