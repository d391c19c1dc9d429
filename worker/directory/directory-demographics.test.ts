/**
 * `demographics(nhsNumber)` against the PDS sandbox app (sandbox/pds) reached through `fetch`:
 * what GPPROVIDER routing reads, and the in-isolate-only cache policy for that personal data.
 */
import assert from "node:assert/strict";
import { createPdsSandbox } from "../../sandbox/pds/pds-sandbox.ts";
import type { UpstreamFetch } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import type { CacheStore } from "../store/cache-store.ts";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import {
  createDirectoryResolver,
  defaultDemographicsTtlSeconds,
  type DirectoryResolverDeps,
} from "./directory-resolver.ts";
import { fakeClock, pdsBase, sequentialUuids, testConfig } from "../testing/directory-sandboxes.ts";

/** The PDS sandbox app answering on `pdsBase`, recording what reaches it. */
function pdsSandboxFetch() {
  const app = createPdsSandbox({ today: () => "2026-05-01" });
  const basePath = new URL(pdsBase).pathname;
  const requests: Request[] = [];
  const fetch: UpstreamFetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push(request);
    const url = new URL(request.url);
    assert.ok(url.pathname.startsWith(basePath), url.pathname);
    url.pathname = url.pathname.slice(basePath.length);
    return await app.fetch(new Request(url, request));
  };
  return { fetch, requests };
}

function setup(overrides: Partial<DirectoryResolverDeps> = {}) {
  const clock = fakeClock();
  const writes: string[] = [];
  const memory = createMemoryCacheStore({ now: clock.now });
  const store: CacheStore = {
    ...memory,
    set: (key, value, options) => {
      writes.push(key);
      return memory.set(key, value, options);
    },
  };
  const pds = pdsSandboxFetch();
  const resolver = createDirectoryResolver({
    config: testConfig(),
    store,
    fetch: pds.fetch,
    clock,
    randomUUID: sequentialUuids(),
    ...overrides,
  });
  return { resolver, clock, writes, requests: pds.requests };
}

Deno.test("demographics: date of birth, family name and current practice from PDS", async () => {
  const { resolver, requests } = setup();
  const answer = await resolver.demographics("9690937286");
  assert.deepEqual(answer, {
    source: "upstream",
    value: {
      requestedNhsNumber: "9690937286",
      nhsNumber: "9690937286",
      superseded: false,
      birthDate: "1942-02-03",
      familyNames: ["SKELLY"],
      gpOdsCode: "B82617",
      deceased: false,
    },
  });
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.headers.get("X-Request-ID"), "00000000-0000-4000-8000-000000000001");
  const other = await resolver.demographics("9990000220");
  assert.equal(other.value.gpOdsCode, "Y88888");
});

Deno.test("demographics: kept in the isolate for the TTL and never written to the KV store", async () => {
  const { resolver, clock, writes, requests } = setup();
  await resolver.demographics("9690937286");
  assert.equal((await resolver.demographics("9690937286")).source, "memory");
  assert.equal(requests.length, 1);
  clock.advance(defaultDemographicsTtlSeconds * 1000);
  assert.equal((await resolver.demographics("9690937286")).source, "upstream");
  assert.equal(requests.length, 2);
  await assert.rejects(resolver.demographics("9999999999"), { code: "PATIENT_NOT_FOUND" });
  assert.equal(writes.length, 0);
  // The registration lookup still uses the shared store as before.
  await resolver.lookupPatient("9690937286");
  assert.equal(writes.length, 1);
  assert.ok(!writes[0]!.includes("demographics"));
});

Deno.test("demographics: a TTL of 0 asks PDS every time; bypassCache refreshes", async () => {
  const none = setup({ demographicsTtlSeconds: 0 });
  await none.resolver.demographics("9690937286");
  assert.equal((await none.resolver.demographics("9690937286")).source, "upstream");
  assert.equal(none.requests.length, 2);
  const { resolver, requests } = setup();
  await resolver.demographics("9690937286");
  assert.equal(
    (await resolver.demographics("9690937286", { bypassCache: true })).source,
    "upstream",
  );
  assert.equal(requests.length, 2);
});

Deno.test("demographics: restricted records answer with what PDS keeps", async () => {
  const { resolver } = setup();
  const restricted = (await resolver.demographics("9990000107")).value;
  assert.deepEqual(
    [restricted.birthDate, restricted.familyNames, restricted.gpOdsCode],
    ["1983-03-17", ["FAIRCLOUGH"], undefined],
  );
  const veryRestricted = (await resolver.demographics("9990000115")).value;
  assert.deepEqual(
    [veryRestricted.birthDate, veryRestricted.familyNames, veryRestricted.gpOdsCode],
    [undefined, [], undefined],
  );
});

Deno.test("demographics: no current practice when the registration ended, starts later or is absent", async () => {
  const { resolver } = setup();
  for (const nhs of ["9990000174", "9990000182", "9990000166"]) {
    const value = (await resolver.demographics(nhs)).value;
    assert.equal(value.gpOdsCode, undefined, nhs);
    assert.ok(value.birthDate, nhs);
  }
});

Deno.test("demographics: superseded and deceased records are answers", async () => {
  const { resolver } = setup();
  const superseded = (await resolver.demographics("9990000123")).value;
  assert.deepEqual(
    [superseded.nhsNumber, superseded.superseded, superseded.familyNames],
    ["9990000131", true, ["LOCKWOOD"]],
  );
  const deceased = (await resolver.demographics("9990000158")).value;
  assert.deepEqual([deceased.deceased, deceased.gpOdsCode], [true, "B82617"]);
});

Deno.test("demographics: unknown and invalidated numbers are PATIENT_NOT_FOUND, remembered briefly", async () => {
  const { resolver, requests, clock } = setup();
  for (const nhs of ["9999999999", "9990000190"]) {
    await assert.rejects(resolver.demographics(nhs), (error) => {
      assert.ok(error instanceof GpcEdgeError);
      assert.equal(error.code, "PATIENT_NOT_FOUND");
      return true;
    });
    await assert.rejects(resolver.demographics(nhs), { code: "PATIENT_NOT_FOUND" });
  }
  assert.equal(requests.length, 2);
  clock.advance(testConfig().cache.negativeTtlSeconds * 1000);
  await assert.rejects(resolver.demographics("9999999999"), { code: "PATIENT_NOT_FOUND" });
  assert.equal(requests.length, 3);
});

Deno.test("demographics: an invalid NHS number never reaches PDS; PDS down is not cached", async () => {
  const { resolver, requests } = setup();
  await assert.rejects(resolver.demographics("9690937287"), { code: "INVALID_NHS_NUMBER" });
  await assert.rejects(resolver.demographics("969093728"), { code: "INVALID_NHS_NUMBER" });
  assert.equal(requests.length, 0);
  let calls = 0;
  const down = setup({
    fetch: () => {
      calls++;
      return Promise.reject(new TypeError("connection refused"));
    },
  });
  await assert.rejects(down.resolver.demographics("9690937286"), { status: 502 });
  await assert.rejects(down.resolver.demographics("9690937286"), { status: 502 });
  assert.equal(calls, 2);
});
