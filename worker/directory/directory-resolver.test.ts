import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import type { CacheStore } from "../store/cache-store.ts";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import { pdsCacheKey, sdsCacheKey } from "./directory-cache.ts";
import { createDirectoryResolver } from "./directory-resolver.ts";
import {
  directorySandboxes,
  type FakeClock,
  fakeClock,
  foundationsMetadata,
  sequentialUuids,
  structured,
  testConfig,
} from "../testing/directory-sandboxes.ts";

// Fixture patients of the PDS sandbox: registered at A20047, and restricted (R).

function setup(options: { clock?: FakeClock; store?: CacheStore } = {}) {
  const clock = options.clock ?? fakeClock();
  const store = options.store ?? createMemoryCacheStore({ now: clock.now });
  const upstream = directorySandboxes();
  const resolver = createDirectoryResolver({
    config: testConfig(),
    store,
    fetch: upstream.fetch,
    clock,
    randomUUID: sequentialUuids(),
  });
  return { resolver, clock, store, requests: upstream.requests };
}

Deno.test("resolver: second lookup is a memory hit; a new resolver on the same store is a KV hit", async () => {
  const { resolver, clock, store, requests } = setup();
  assert.equal((await resolver.lookupPatient("9990000204")).source, "upstream");
  assert.equal((await resolver.lookupPatient("9990000204")).source, "memory");
  assert.equal((await resolver.lookupEndpoint("A20047", structured)).source, "upstream");
  assert.equal((await resolver.lookupEndpoint("A20047", structured)).source, "memory");
  assert.equal(requests.length, 3);

  const second = setup({ clock, store });
  const patient = await second.resolver.lookupPatient("9990000204");
  assert.deepEqual(patient.source, "kv");
  assert.equal(patient.value.odsCode, "A20047");
  assert.equal((await second.resolver.lookupEndpoint("A20047", structured)).source, "kv");
  assert.equal(second.requests.length, 0);
  assert.deepEqual(second.resolver.stats(), {
    pds: { memoryHits: 0, kvHits: 1, misses: 0, negativeHits: 0, upstreamErrors: 0 },
    sds: { memoryHits: 0, kvHits: 1, misses: 0, negativeHits: 0, upstreamErrors: 0 },
    lruSize: 2,
  });
});

Deno.test("resolver: two interactions at one practice are two entries", async () => {
  const { resolver, store } = setup();
  const a = await resolver.lookupEndpoint("A20047", structured);
  const b = await resolver.lookupEndpoint("A20047", foundationsMetadata);
  assert.notEqual(a.value.address, b.value.address);
  assert.equal(b.source, "upstream");
  assert.ok(await store.get(sdsCacheKey("A20047", structured)));
  assert.ok(await store.get(sdsCacheKey("A20047", foundationsMetadata)));
  assert.equal(resolver.stats().lruSize, 2);
});

Deno.test("resolver: answers expire after the configured TTLs", async () => {
  const { resolver, clock, requests } = setup();
  await resolver.lookupPatient("9990000204");
  await resolver.lookupEndpoint("A20047", structured);
  clock.advance(testConfig().cache.pdsTtlSeconds * 1000);
  assert.equal((await resolver.lookupPatient("9990000204")).source, "upstream");
  assert.equal((await resolver.lookupEndpoint("A20047", structured)).source, "memory");
  clock.advance((testConfig().cache.sdsTtlSeconds - testConfig().cache.pdsTtlSeconds) * 1000);
  assert.equal((await resolver.lookupEndpoint("A20047", structured)).source, "upstream");
  assert.equal(requests.length, 6);
});

Deno.test("resolver: not-found answers are negatively cached for the shorter TTL", async () => {
  const { resolver, clock, requests } = setup();
  for (const nhs of ["9990000107", "9111231130"]) {
    await assert.rejects(resolver.lookupPatient(nhs), { code: "PATIENT_NOT_FOUND" });
    await assert.rejects(resolver.lookupPatient(nhs), { code: "PATIENT_NOT_FOUND" });
  }
  await assert.rejects(resolver.lookupEndpoint("Y99999", structured), { code: "NO_RECORD_FOUND" });
  await assert.rejects(resolver.lookupEndpoint("Y99999", structured), { code: "NO_RECORD_FOUND" });
  assert.equal(requests.length, 3);
  assert.equal(resolver.stats().pds.negativeHits, 2);
  assert.equal(resolver.stats().sds.negativeHits, 1);
  clock.advance(testConfig().cache.negativeTtlSeconds * 1000);
  await assert.rejects(resolver.lookupPatient("9990000107"), { code: "PATIENT_NOT_FOUND" });
  assert.equal(requests.length, 4);
});

Deno.test("resolver: bypassCache goes upstream and refreshes the entry", async () => {
  const { resolver, requests } = setup();
  await resolver.lookupPatient("9990000204");
  const fresh = await resolver.lookupPatient("9990000204", { bypassCache: true });
  assert.equal(fresh.source, "upstream");
  assert.equal(requests.length, 2);
  assert.equal((await resolver.lookupPatient("9990000204")).source, "memory");
});

Deno.test("resolver: invalid NHS number fails before the cache and PDS", async () => {
  const reads: string[] = [];
  const clock = fakeClock();
  const memory = createMemoryCacheStore({ now: clock.now });
  const store: CacheStore = {
    ...memory,
    get: (key) => {
      reads.push(key);
      return memory.get(key);
    },
  };
  const { resolver, requests } = setup({ clock, store });
  await assert.rejects(resolver.lookupPatient("9693632108"), (error) => {
    assert.ok(error instanceof GpcEdgeError);
    assert.equal(error.code, "INVALID_NHS_NUMBER");
    return true;
  });
  assert.deepEqual([reads, requests.length], [[], 0]);
});

Deno.test("resolver: a KV store that throws still answers", async () => {
  const broken: CacheStore = {
    get: () => Promise.reject(new Error("KV down")),
    set: () => Promise.reject(new Error("KV down")),
    delete: () => Promise.reject(new Error("KV down")),
    list: () => Promise.reject(new Error("KV down")),
  };
  const { resolver } = setup({ store: broken });
  const patient = await resolver.lookupPatient("9990000204");
  const endpoint = await resolver.lookupEndpoint(patient.value.odsCode, structured);
  assert.equal(endpoint.value.asid, "200000000985");
});

Deno.test("resolver: the request id reaches PDS and SDS", async () => {
  const { resolver, requests } = setup();
  const requestId = "5f0c6a8e-2b1d-4c3e-9f7a-1e2d3c4b5a69";
  await resolver.lookupPatient("9990000204", { requestId });
  await resolver.lookupEndpoint("A20047", structured, { requestId });
  assert.equal(requests[0]!.headers.get("X-Request-ID"), requestId);
  assert.equal(requests[1]!.headers.get("X-Correlation-Id"), requestId);
  assert.equal(requests[2]!.headers.get("X-Correlation-Id"), requestId);
});

Deno.test("resolver: PDS down is an upstream error and is not cached", async () => {
  const clock = fakeClock();
  const store = createMemoryCacheStore({ now: clock.now });
  const resolver = createDirectoryResolver({
    config: testConfig(),
    store,
    fetch: () => Promise.reject(new TypeError("connection refused")),
    clock,
    randomUUID: sequentialUuids(),
  });
  await assert.rejects(resolver.lookupPatient("9990000204"), { status: 502 });
  assert.equal(resolver.stats().pds.upstreamErrors, 1);
  assert.equal(await store.get(pdsCacheKey("9990000204")), undefined);
});
