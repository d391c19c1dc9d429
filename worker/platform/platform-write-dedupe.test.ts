/**
 * R28 write safety, the claim itself (chain/write-dedupe.ts) over the memory store and a real
 * Deno KV file: one forward per app, patient and X-Request-ID, the first answer repeated, 409
 * while in flight or for a different request, a failed forward released. The platform end to end
 * (a retried POST /Task reaching the practice once) is in platform-prescriptions.test.ts.
 */
import assert from "node:assert/strict";
import { claimWrite, type WriteDedupeDeps, type WriteIdentity } from "./chain/write-dedupe.ts";
import { PlatformError } from "./platform-error.ts";
import { createDenoKvRecordsStore } from "../store/deno-kv-records-store.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
import type { RecordsStore } from "../store/records-store.ts";

const encoder = new TextEncoder();

function write(overrides: Partial<WriteIdentity> = {}): WriteIdentity {
  return {
    clientId: "pfs-sandbox-app",
    nhsNumber: "9690937286",
    requestId: "7d7e8c34-3a5e-4a77-9a8c-1f7d0d3f5b21",
    method: "POST",
    target: "/gp-connect/patient-facing/prescriptions-management-fhir/FHIR/R4/Task",
    body: encoder.encode('{"resourceType":"Task"}'),
    ...overrides,
  };
}

function depsOver(records: RecordsStore, now = () => Date.now()): WriteDedupeDeps {
  return { records, clock: { now, sleep: () => Promise.resolve() }, inFlightMs: 60_000 };
}

async function duplicateOf(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof PlatformError, `expected a PlatformError, got ${error}`);
  assert.equal(error.code, "DUPLICATE_REJECTED");
  assert.equal(error.status, 409);
  return error;
}

async function withKv(run: (records: RecordsStore) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-dedupe-" });
  const kv = await Deno.openKv(`${dir}/records.sqlite`);
  try {
    await run(createDenoKvRecordsStore(kv));
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
}

for (
  const [name, open] of [
    ["memory", (run: (r: RecordsStore) => Promise<void>) => run(createMemoryRecordsStore())],
    ["Deno KV", withKv],
  ] as const
) {
  Deno.test(`R28 (${name}) two concurrent identical writes: exactly one is claimed, the other 409 DUPLICATE_REJECTED`, async () => {
    await open(async (records) => {
      const deps = depsOver(records);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () => claimWrite(deps, write())),
      );
      const claimed = outcomes.filter((o) => o.status === "fulfilled");
      assert.equal(claimed.length, 1);
      for (const outcome of outcomes.filter((o) => o.status === "rejected")) {
        await duplicateOf(Promise.reject(outcome.reason));
        assert.equal((outcome.reason as PlatformError).headers["Retry-After"], "1");
      }
    });
  });

  Deno.test(`R28 (${name}) a retry after the answer gets the first answer byte for byte, never a second claim`, async () => {
    await open(async (records) => {
      const deps = depsOver(records);
      const first = await claimWrite(deps, write());
      assert.equal(first.kind, "claimed");
      if (first.kind !== "claimed") return;
      const body = '{"resourceType":"Task","id":"task-1","status":"requested"}';
      const sent = await first.complete(
        new Response(body, {
          status: 201,
          headers: { "Content-Type": "application/fhir+json", Location: "Task/task-1" },
        }),
      );
      assert.equal(await sent.text(), body);
      for (let i = 0; i < 2; i++) {
        const again = await claimWrite(deps, write());
        assert.equal(again.kind, "replay");
        if (again.kind !== "replay") return;
        assert.equal(again.response.status, 201);
        assert.equal(again.response.headers.get("Location"), "Task/task-1");
        assert.equal(again.response.headers.get("Content-Type"), "application/fhir+json");
        assert.equal(await again.response.text(), body);
      }
    });
  });
}

Deno.test("R28 the practice's own 409 DUPLICATE_REJECTED is kept and repeated unchanged", async () => {
  const deps = depsOver(createMemoryRecordsStore());
  const claim = await claimWrite(deps, write());
  if (claim.kind !== "claimed") throw new Error("expected a claim");
  const outcome = '{"resourceType":"OperationOutcome","issue":[{"code":"duplicate"}]}';
  await claim.complete(new Response(outcome, { status: 409 }));
  const again = await claimWrite(deps, write());
  if (again.kind !== "replay") throw new Error("expected a replay");
  assert.equal(again.response.status, 409);
  assert.equal(await again.response.text(), outcome);
});

Deno.test("R28 the same X-Request-ID on a different write (body or path) is 409, not the other answer", async () => {
  const deps = depsOver(createMemoryRecordsStore());
  const claim = await claimWrite(deps, write());
  if (claim.kind !== "claimed") throw new Error("expected a claim");
  await claim.complete(new Response("{}", { status: 201 }));
  const other = await duplicateOf(
    claimWrite(deps, write({ body: encoder.encode('{"resourceType":"Task","x":1}') })),
  );
  assert.match(other.message, /different request/);
  await duplicateOf(claimWrite(deps, write({ method: "PATCH", target: "/Task/task-1" })));
});

Deno.test("R28 another app or patient with the same X-Request-ID is its own write", async () => {
  const deps = depsOver(createMemoryRecordsStore());
  assert.equal((await claimWrite(deps, write())).kind, "claimed");
  assert.equal((await claimWrite(deps, write({ clientId: "other-app" }))).kind, "claimed");
  assert.equal((await claimWrite(deps, write({ nhsNumber: "9690937294" }))).kind, "claimed");
});

Deno.test("R28 a practice 5xx or a failed forward releases the claim: the retry is forwarded again", async () => {
  const deps = depsOver(createMemoryRecordsStore());
  const first = await claimWrite(deps, write());
  if (first.kind !== "claimed") throw new Error("expected a claim");
  const failed = await first.complete(new Response("oops", { status: 503 }));
  assert.equal(failed.status, 503);
  const second = await claimWrite(deps, write());
  assert.equal(second.kind, "claimed");
  if (second.kind !== "claimed") return;
  await second.release();
  assert.equal((await claimWrite(deps, write())).kind, "claimed");
});

Deno.test("R28 a practice 429 or 408 is not the write's answer: the retry after Retry-After is forwarded", async () => {
  for (const status of [429, 408]) {
    const deps = depsOver(createMemoryRecordsStore());
    const first = await claimWrite(deps, write());
    if (first.kind !== "claimed") throw new Error("expected a claim");
    const refused = await first.complete(
      new Response("slow down", { status, headers: { "Retry-After": "2" } }),
    );
    assert.equal(refused.status, status);
    assert.equal(refused.headers.get("Retry-After"), "2");
    assert.equal((await claimWrite(deps, write())).kind, "claimed", `after a ${status}`);
  }
});

Deno.test("R28 a claim whose isolate died lapses after its in-flight time; an answer is kept 24 h", async () => {
  let now = Date.parse("2026-12-05T10:00:00Z");
  const records = createMemoryRecordsStore({ now: () => now });
  const deps = depsOver(records, () => now);
  assert.equal((await claimWrite(deps, write())).kind, "claimed");
  now += 30_000;
  await duplicateOf(claimWrite(deps, write()));
  now += 31_000;
  const retaken = await claimWrite(deps, write());
  if (retaken.kind !== "claimed") throw new Error("expected the lapsed claim to be retaken");
  await retaken.complete(new Response("{}", { status: 201 }));
  now += 23 * 3600_000;
  assert.equal((await claimWrite(deps, write())).kind, "replay");
  now += 3600_000;
  assert.equal((await claimWrite(deps, write())).kind, "claimed");
});

Deno.test("R28 an answer too large to keep is not repeated: the retry is 409, still no second write", async () => {
  const deps = depsOver(createMemoryRecordsStore());
  const claim = await claimWrite(deps, write());
  if (claim.kind !== "claimed") throw new Error("expected a claim");
  const big = "x".repeat(50 * 1024);
  assert.equal(
    (await (await claim.complete(new Response(big, { status: 201 }))).text()).length,
    big.length,
  );
  const error = await duplicateOf(claimWrite(deps, write()));
  assert.match(error.message, /too large to repeat/);
});
