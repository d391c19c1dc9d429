import assert from "node:assert/strict";
import { fakeClock } from "../testing/directory-sandboxes.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
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
