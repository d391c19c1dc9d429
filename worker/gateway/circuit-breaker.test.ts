import assert from "node:assert/strict";
import { fakeClock } from "../testing/directory-sandboxes.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
import type { RecordsStore } from "../store/records-store.ts";
import {
  type BreakerAdmission,
  type BreakerSettings,
  createRecordsCircuitBreaker,
} from "./circuit-breaker.ts";

const endpoint = "https://provider.example.nhs.uk/B82617/STU3/1/gpconnect/fhir";
const envoyDefaults: BreakerSettings = {
  failureThreshold: 5,
  openMs: 30_000,
  maxOpenMs: 300_000,
  probeTimeoutMs: 120_000,
};

function world(settings = envoyDefaults) {
  const clock = fakeClock(1_800_000_000_000);
  const records = createMemoryRecordsStore({ now: clock.now });
  return { clock, records, breaker: createRecordsCircuitBreaker({ records, clock, settings }) };
}

/** One call: admitted or not; if admitted, reports `ok`. */
async function call(breaker: ReturnType<typeof world>["breaker"], ok: boolean) {
  const admission = await breaker.admit(endpoint);
  if (admission.allowed) await breaker.record(endpoint, ok, admission);
  return admission;
}

Deno.test("breaker: 5 consecutive failures open it; the 6th call is refused with the time left", async () => {
  const { breaker } = world();
  for (let i = 0; i < 5; i++) assert.ok((await call(breaker, false)).allowed, `call ${i + 1}`);
  const sixth = await breaker.admit(endpoint);
  assert.deepEqual(sixth, { allowed: false, retryAfterSeconds: 30 });
});

Deno.test("breaker: a success resets the count, so 4 failures, a success and 4 more never open it", async () => {
  const { breaker } = world();
  for (let i = 0; i < 4; i++) await call(breaker, false);
  await call(breaker, true);
  for (let i = 0; i < 4; i++) await call(breaker, false);
  assert.equal((await breaker.admit(endpoint)).allowed, true);
});

Deno.test("breaker: after the open interval exactly one probe goes through; its success closes the breaker", async () => {
  const { breaker, clock } = world();
  for (let i = 0; i < 6; i++) await call(breaker, false); // the 6th is refused
  clock.advance(29_999);
  assert.equal((await breaker.admit(endpoint)).allowed, false);
  clock.advance(1);
  const admissions = await Promise.all(Array.from({ length: 10 }, () => breaker.admit(endpoint)));
  const probes = admissions.filter((a): a is Extract<BreakerAdmission, { allowed: true }> =>
    a.allowed
  );
  assert.equal(probes.length, 1);
  assert.equal(probes[0]!.probe, true);
  await breaker.record(endpoint, true, probes[0]!);
  assert.deepEqual(await breaker.admit(endpoint), { allowed: true, probe: false });
});

Deno.test("breaker: a failed probe opens it again for twice as long, up to the maximum", async () => {
  const { breaker, clock } = world({ ...envoyDefaults, maxOpenMs: 100_000 });
  for (let i = 0; i < 5; i++) await call(breaker, false);
  const opens: number[] = [];
  for (let round = 0; round < 4; round++) {
    const refused = await breaker.admit(endpoint);
    assert.equal(refused.allowed, false);
    if (!refused.allowed) opens.push(refused.retryAfterSeconds);
    clock.advance(refused.allowed ? 0 : refused.retryAfterSeconds * 1000);
    const probe = await breaker.admit(endpoint);
    assert.ok(probe.allowed && probe.probe);
    await breaker.record(endpoint, false, probe);
  }
  assert.deepEqual(opens, [30, 60, 100, 100]);
});

Deno.test("breaker: a probe that never reports is given up after the probe timeout", async () => {
  const { breaker, clock } = world();
  for (let i = 0; i < 5; i++) await call(breaker, false);
  clock.advance(30_000);
  assert.ok((await breaker.admit(endpoint)).allowed);
  assert.equal((await breaker.admit(endpoint)).allowed, false, "one probe at a time");
  clock.advance(120_000);
  const second = await breaker.admit(endpoint);
  assert.ok(second.allowed && second.probe);
});

Deno.test("breaker: results of calls admitted before it opened do not change it; 0 failures disables it", async () => {
  const { breaker } = world();
  const early = await breaker.admit(endpoint);
  for (let i = 0; i < 5; i++) await call(breaker, false);
  await breaker.record(endpoint, true, early); // a slow success from before
  assert.equal((await breaker.admit(endpoint)).allowed, false);

  const off = world({ ...envoyDefaults, failureThreshold: 0 });
  for (let i = 0; i < 20; i++) await call(off.breaker, false);
  assert.equal((await off.breaker.admit(endpoint)).allowed, true);
  assert.deepEqual(await off.records.list(""), [], "disabled, it costs no store access");
});

/** Two processes' breakers on one store, each with its own view aged by one shared monotonic time. */
function twoProcesses(viewMs: number) {
  const clock = fakeClock(1_800_000_000_000);
  const store = createMemoryRecordsStore({ now: clock.now });
  let reads = 0;
  const records: RecordsStore = {
    ...store,
    get: (key) => {
      reads++;
      return store.get(key);
    },
  };
  let monotonic = 0;
  const make = () =>
    createRecordsCircuitBreaker({
      records,
      clock,
      settings: envoyDefaults,
      viewMs,
      monotonicNow: () => monotonic,
    });
  return {
    a: make(),
    b: make(),
    reads: () => reads,
    age: (ms: number) => void (monotonic += ms),
  };
}

Deno.test("breaker view: a closed, healthy breaker is admitted and its successes recorded without store reads while the view is fresh", async () => {
  const { a, reads, age } = twoProcesses(500);
  await call(a, true); // first sight: reads the store
  const first = reads();
  for (let i = 0; i < 20; i++) {
    assert.deepEqual(await call(a, true), { allowed: true, probe: false });
  }
  assert.equal(reads(), first, "no reads within the view's age");
  age(500);
  await call(a, true);
  assert.ok(reads() > first, "a stale view reads the store again");
});

Deno.test("breaker view: another process's opening is seen once the view is stale, or at this process's next failure", async () => {
  const { a, b, age } = twoProcesses(500);
  assert.ok((await call(a, true)).allowed);
  for (let i = 0; i < 5; i++) await call(b, false); // b opens the shared breaker
  assert.equal((await b.admit(endpoint)).allowed, false);
  assert.equal((await a.admit(endpoint)).allowed, true, "a's fresh view still shows it closed");
  age(500);
  assert.equal((await a.admit(endpoint)).allowed, false, "a stale view reads the open breaker");

  const other = twoProcesses(500);
  await call(other.a, true);
  for (let i = 0; i < 5; i++) await call(other.b, false);
  const admitted = await other.a.admit(endpoint); // from a's fresh view
  assert.ok(admitted.allowed);
  await other.a.record(endpoint, false, admitted); // a failure reads the store
  assert.equal((await other.a.admit(endpoint)).allowed, false, "the failure refreshed a's view");
});

Deno.test("breaker view: failures are counted exactly within one process; viewMs 0 reads on every call", async () => {
  const { a } = twoProcesses(60_000);
  for (let i = 0; i < 4; i++) await call(a, false);
  await call(a, true); // the view shows failures: this success resets them in the store
  for (let i = 0; i < 4; i++) await call(a, false);
  assert.equal((await a.admit(endpoint)).allowed, true);
  await call(a, false);
  assert.deepEqual(await a.admit(endpoint), { allowed: false, retryAfterSeconds: 30 });

  const off = twoProcesses(0);
  await call(off.a, true);
  const before = off.reads();
  await call(off.a, true);
  assert.equal(
    off.reads(),
    before + 2,
    "the admission and the success each read the store (and write nothing)",
  );
});
