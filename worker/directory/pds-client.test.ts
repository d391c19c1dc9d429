import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import { createPdsClient, type PdsClientOptions } from "./pds-client.ts";
import {
  directorySandboxes,
  fakeClock,
  type Fault,
  pdsBase,
  pdsErrorResponse,
  sequentialUuids,
} from "../testing/directory-sandboxes.ts";

/** A PDS client on the PDS sandbox (fixture patients, specs/fixture-patients.json), `fault` first. */
function client(fault?: Fault, overrides: Partial<PdsClientOptions> = {}) {
  const recorder = directorySandboxes(fault ? { fault } : {});
  const clock = fakeClock();
  const pds = createPdsClient({
    baseUrl: pdsBase,
    fetch: recorder.fetch,
    clock,
    timeoutMs: 5_000,
    maxRetries: 2,
    maxRetryAfterSeconds: 5,
    randomUUID: sequentialUuids(),
    ...overrides,
  });
  return { pds, requests: recorder.requests, clock };
}

async function rejects(promise: Promise<unknown>): Promise<GpcEdgeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GpcEdgeError, `expected a GpcEdgeError, got ${error}`);
    return error;
  }
  assert.fail("expected a rejection");
}

Deno.test("pds: a registered patient resolves to the current GP practice", async () => {
  const { pds, requests } = client();
  const registration = await pds.getRegistration("9990000204");
  assert.deepEqual(registration, {
    requestedNhsNumber: "9990000204",
    nhsNumber: "9990000204",
    superseded: false,
    odsCode: "A20047",
    versionId: "4",
    deceased: false,
  });
  assert.equal(requests.length, 1);
  const request = requests[0]!;
  assert.equal(request.method, "GET");
  assert.equal(request.url, `${pdsBase}/Patient/9990000204`);
  assert.equal(request.headers.get("Accept"), "application/fhir+json");
  assert.equal(request.headers.get("X-Request-ID"), "00000000-0000-4000-8000-000000000001");
  assert.equal(request.headers.get("Authorization"), null);
});

Deno.test("pds: sends the bearer token and a caller's request id", async () => {
  const { pds, requests } = client(undefined, { accessToken: "abc123token" });
  const requestId = "1b3e2f4a-5c6d-4e7f-8a9b-0c1d2e3f4a5b";
  await pds.getRegistration("9990000204", requestId);
  assert.equal(requests[0]!.headers.get("Authorization"), "Bearer abc123token");
  assert.equal(requests[0]!.headers.get("X-Request-ID"), requestId);
});

for (
  const [name, nhsNumber, expected] of [
    ["too short", "969363210", /must be 10 digits, it has 9 characters/],
    ["too long", "96936321090", /must be 10 digits, it has 11 characters/],
    ["non-digits", "96936A2109", /must contain digits only/],
    ["check digit", "9693632108", /fails the modulus 11 check digit test/],
  ] as const
) {
  Deno.test(`pds: invalid NHS number (${name}) → 400 INVALID_NHS_NUMBER, no call`, async () => {
    const { pds, requests } = client();
    const error = await rejects(pds.getRegistration(nhsNumber));
    assert.equal(error.status, 400);
    assert.equal(error.code, "INVALID_NHS_NUMBER");
    assert.match(error.diagnostics ?? "", expected);
    assert.equal(requests.length, 0);
  });
}

Deno.test("pds: unknown NHS number → 404 PATIENT_NOT_FOUND, cacheable", async () => {
  const { pds } = client();
  const error = await rejects(pds.getRegistration("9111231130"));
  assert.equal(error.status, 404);
  assert.equal(error.code, "PATIENT_NOT_FOUND");
  assert.equal(error.cacheable, true);
  assert.match(
    error.diagnostics ?? "",
    /no record of NHS number 9111231130 \(RESOURCE_NOT_FOUND\)/,
  );
});

Deno.test("pds: invalidated record → 404 PATIENT_NOT_FOUND naming INVALIDATED_RESOURCE", async () => {
  const { pds } = client();
  const error = await rejects(pds.getRegistration("9990000190"));
  assert.equal(error.status, 404);
  assert.equal(error.code, "PATIENT_NOT_FOUND");
  assert.equal(error.cacheable, true);
  assert.match(error.diagnostics ?? "", /invalidated \(INVALIDATED_RESOURCE\)/);
});

for (
  const [code, reason, nhsNumber] of [
    ["R", "restricted (R)", "9990000107"],
    ["V", "very restricted (V)", "9990000115"],
  ] as const
) {
  Deno.test(`pds: security label ${code} → 404 PATIENT_NOT_FOUND "${reason}"`, async () => {
    const { pds } = client();
    const error = await rejects(pds.getRegistration(nhsNumber));
    assert.equal(error.status, 404);
    assert.equal(error.code, "PATIENT_NOT_FOUND");
    assert.equal(error.cacheable, true);
    assert.ok(error.diagnostics?.includes(`is ${reason}`), error.diagnostics);
  });
}

Deno.test("pds: no GP at all → 404 'no current registered GP practice'", async () => {
  const { pds } = client();
  const error = await rejects(pds.getRegistration("9990000166"));
  assert.equal(error.code, "PATIENT_NOT_FOUND");
  assert.equal(error.cacheable, true);
  assert.match(error.diagnostics ?? "", /has no current registered GP practice$/);
});

Deno.test("pds: ended GP registration → 404 naming the end date", async () => {
  const { pds } = client();
  const error = await rejects(pds.getRegistration("9990000174"));
  assert.equal(error.status, 404);
  assert.match(
    error.diagnostics ?? "",
    /no current registered GP practice: GP registration ended 2020-06-30 \(B82617\)/,
  );
});

Deno.test("pds: a registration ending today is still current", async () => {
  const { pds } = client();
  assert.equal((await pds.getRegistration("9990000239")).odsCode, "A20047");
});

Deno.test("pds: a registration starting in the future is not current", async () => {
  const { pds } = client();
  const error = await rejects(pds.getRegistration("9990000182"));
  assert.equal(error.code, "PATIENT_NOT_FOUND");
  assert.match(error.diagnostics ?? "", /GP registration with B82617 starts 2026-05-31/);
});

Deno.test("pds: superseded number → the returned record, flagged", async () => {
  const { pds } = client();
  const registration = await pds.getRegistration("9990000123");
  assert.equal(registration.requestedNhsNumber, "9990000123");
  assert.equal(registration.nhsNumber, "9990000131");
  assert.equal(registration.superseded, true);
  assert.equal(registration.odsCode, "B82617");
});

Deno.test("pds: deceased flag from deceasedDateTime", async () => {
  const { pds } = client();
  const registration = await pds.getRegistration("9990000158");
  assert.equal(registration.deceased, true);
  assert.equal(registration.odsCode, "B82617");
});

Deno.test("pds: 400 from PDS → 400 INVALID_NHS_NUMBER, not cacheable", async () => {
  // A number the client accepts but PDS refuses (PDS's rules may be stricter than modulus 11).
  const { pds } = client(() => pdsErrorResponse(400, "INVALID_RESOURCE_ID"));
  const error = await rejects(pds.getRegistration("9990000204"));
  assert.equal(error.status, 400);
  assert.equal(error.code, "INVALID_NHS_NUMBER");
  assert.equal(error.cacheable, false);
  assert.match(error.diagnostics ?? "", /INVALID_RESOURCE_ID/);
});

Deno.test("pds: 429 then 200 → retried after Retry-After with the same X-Request-ID", async () => {
  let calls = 0;
  const { pds, requests, clock } = client((request, sandboxes) =>
    ++calls === 1
      ? pdsErrorResponse(429, "TOO_MANY_REQUESTS", { "Retry-After": "2" })
      : sandboxes(request)
  );
  const registration = await pds.getRegistration("9990000204");
  assert.equal(registration.odsCode, "A20047");
  assert.equal(requests.length, 2);
  const [first, second] = requests.map((r) => r.headers.get("X-Request-ID"));
  assert.equal(first, second);
  assert.deepEqual(clock.sleeps, [2_000]);
});

Deno.test("pds: 503 with an HTTP-date Retry-After within the limit is waited out", async () => {
  let calls = 0;
  const clock = fakeClock();
  const retryAt = new Date(clock.now() + 3_000).toUTCString();
  const { pds, requests } = client(
    (request, sandboxes) =>
      ++calls === 1
        ? pdsErrorResponse(503, "SERVICE_UNAVAILABLE", { "Retry-After": retryAt })
        : sandboxes(request),
    { clock },
  );
  await pds.getRegistration("9990000204");
  assert.equal(requests.length, 2);
  assert.deepEqual(clock.sleeps, [3_000]);
});

Deno.test("pds: 503 with Retry-After above the maximum → 503 with Retry-After, no retry", async () => {
  const { pds, requests, clock } = client(() =>
    pdsErrorResponse(503, "SERVICE_UNAVAILABLE", { "Retry-After": "30" })
  );
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 503);
  assert.equal(error.code, "INTERNAL_SERVER_ERROR");
  assert.equal(error.headers["Retry-After"], "30");
  assert.equal(error.cacheable, false);
  assert.match(
    error.diagnostics ?? "",
    /^PDS is throttling requests \(HTTP 503 SERVICE_UNAVAILABLE\)/,
  );
  assert.equal(requests.length, 1);
  assert.deepEqual(clock.sleeps, []);
});

Deno.test("pds: 429 on every attempt → 429 after maxRetries retries", async () => {
  const { pds, requests, clock } = client(() =>
    pdsErrorResponse(429, "TOO_MANY_REQUESTS", { "Retry-After": "1" })
  );
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 429);
  assert.equal(error.issueCode, "throttled");
  assert.equal(error.headers["Retry-After"], "1");
  assert.equal(requests.length, 3);
  assert.deepEqual(clock.sleeps, [1_000, 1_000]);
  assert.equal(new Set(requests.map((r) => r.headers.get("X-Request-ID"))).size, 1);
});

Deno.test("pds: fetch rejects → 502 transient 'PDS unavailable', token not leaked", async () => {
  const { pds } = client(() => Promise.reject(new TypeError("connection refused")), {
    accessToken: "secret9token",
  });
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 502);
  assert.equal(error.code, "INTERNAL_SERVER_ERROR");
  assert.equal(error.issueCode, "transient");
  assert.equal(error.cacheable, false);
  assert.match(error.diagnostics ?? "", /^PDS unavailable: network error: connection refused/);
  assert.ok(!error.diagnostics?.includes("secret9token"));
});

Deno.test("pds: no answer within the timeout → 504 'PDS timed out' (issue 9: a timeout is not an outage)", async () => {
  const hang = (request: Request) =>
    new Promise<Response>((_, reject) =>
      request.signal.addEventListener("abort", () => reject(request.signal.reason))
    );
  const { pds } = client(hang, { timeoutMs: 5 });
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 504);
  assert.equal(error.issueCode, "timeout");
  assert.equal(error.diagnostics, "PDS timed out: no answer within 5 ms");
});

Deno.test("pds: garbage body → 502 'PDS unavailable'", async () => {
  const { pds } = client(() => new Response("<html>gateway</html>", { status: 200 }));
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 502);
  assert.equal(error.issueCode, "transient");
  assert.match(error.diagnostics ?? "", /^PDS unavailable: HTTP 200 without a JSON body/);
});

Deno.test("pds: other 5xx → 502 naming the upstream status and code", async () => {
  const { pds } = client(() => pdsErrorResponse(500, "UNKNOWN_ERROR"));
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 502);
  assert.equal(error.diagnostics, "PDS unavailable: HTTP 500 UNKNOWN_ERROR");
});

Deno.test("pds: a 404 that is not PDS's (wrong base URL) is not a patient-not-found", async () => {
  const { pds } = client(() => new Response("Not Found", { status: 404 }));
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 502);
  assert.equal(error.cacheable, false);
});

Deno.test("pds: connection refused on a closed port → 502", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const clock = fakeClock();
  const pds = createPdsClient({
    baseUrl: `http://127.0.0.1:${port}`,
    fetch,
    clock,
    timeoutMs: 5_000,
    maxRetries: 0,
    maxRetryAfterSeconds: 5,
    randomUUID: () => crypto.randomUUID(),
  });
  const error = await rejects(pds.getRegistration("9693632109"));
  assert.equal(error.status, 502);
  assert.match(error.diagnostics ?? "", /^PDS unavailable: network error/);
});
