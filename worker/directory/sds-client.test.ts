import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import { createSdsClient } from "./sds-client.ts";
import {
  defaultDevices,
  defaultEndpoints,
  fakeSds,
  fhirJson,
  foundationsMetadata,
  recordingFetch,
  sdsBase,
  type SdsDeviceRecord,
  type SdsEndpointRecord,
  sequentialUuids,
  structured,
} from "./test-fixtures.ts";

function client(
  handler: (request: Request) => Response | Promise<Response>,
  apiKey?: string,
) {
  const recorder = recordingFetch(handler);
  const sds = createSdsClient({
    baseUrl: sdsBase,
    apiKey,
    fetch: recorder.fetch,
    timeoutMs: 5_000,
    randomUUID: sequentialUuids(),
  });
  return { sds, requests: recorder.requests };
}

function world(
  endpoints: readonly SdsEndpointRecord[] = defaultEndpoints,
  devices: readonly SdsDeviceRecord[] = defaultDevices,
  apiKey?: string,
) {
  return client(fakeSds(endpoints, devices).fetch, apiKey);
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

Deno.test("sds: endpoint then device by party key → address, party key, CPA id, ASID", async () => {
  const { sds, requests } = world(defaultEndpoints, defaultDevices, "sandbox-key");
  const endpoint = await sds.getEndpoint("A20047", structured);
  assert.deepEqual(endpoint, {
    odsCode: "A20047",
    interactionId: structured,
    address: "https://provider.example.nhs.uk/A20047/STU3/1/gpconnect/structured/fhir",
    partyKey: "A20047-821870",
    asid: "200000000985",
    cpaId: "S20001A000182",
  });
  assert.equal(requests.length, 2);
  const [endpointCall, deviceCall] = requests as [Request, Request];
  assert.equal(
    endpointCall.url,
    `${sdsBase}/Endpoint?organization=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fods-organization-code%7CA20047` +
      `&identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2FnhsServiceInteractionId%7C${
        encodeURIComponent(structured)
      }`,
  );
  const device = new URL(deviceCall.url);
  assert.equal(device.pathname, "/spine-directory/FHIR/R4/Device");
  assert.equal(
    device.searchParams.get("organization"),
    "https://fhir.nhs.uk/Id/ods-organization-code|A20047",
  );
  assert.deepEqual(device.searchParams.getAll("identifier"), [
    `https://fhir.nhs.uk/Id/nhsServiceInteractionId|${structured}`,
    "https://fhir.nhs.uk/Id/nhsMhsPartyKey|A20047-821870",
  ]);
  assert.ok(!deviceCall.url.includes("|"), "| is percent-encoded");
  for (const request of requests) {
    assert.equal(request.headers.get("apikey"), "sandbox-key");
    assert.equal(request.headers.get("Accept"), "application/fhir+json");
    assert.equal(request.headers.get("X-Correlation-Id"), "00000000-0000-4000-8000-000000000001");
  }
});

Deno.test("sds: no apikey header when none is configured; caller's correlation id is used", async () => {
  const { sds, requests } = world();
  const correlationId = "7d4e3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c";
  await sds.getEndpoint("A20047", structured, correlationId);
  assert.equal(requests[0]!.headers.get("apikey"), null);
  assert.equal(requests[0]!.headers.get("X-Correlation-Id"), correlationId);
});

Deno.test("sds: the address is kept byte for byte", async () => {
  const address = "https://Provider.Example.nhs.uk:8443/A20047/STU3/1/gpconnect/structured/fhir/";
  const { sds } = world([{ ...defaultEndpoints[0]!, address }]);
  assert.equal((await sds.getEndpoint("A20047", structured)).address, address);
});

Deno.test("sds: no CPA id → undefined", async () => {
  const { sds } = world();
  assert.equal((await sds.getEndpoint("A20047", foundationsMetadata)).cpaId, undefined);
});

Deno.test("sds: no endpoint → 404 NO_RECORD_FOUND naming interaction and practice, cacheable", async () => {
  const { sds, requests } = world();
  const error = await rejects(sds.getEndpoint("B82617", structured));
  assert.equal(error.status, 404);
  assert.equal(error.code, "NO_RECORD_FOUND");
  assert.equal(error.cacheable, true);
  assert.equal(
    error.diagnostics,
    `SDS has no endpoint for interaction ${structured} at practice B82617`,
  );
  assert.equal(requests.length, 1);
});

Deno.test("sds: several endpoints → 502 naming the count, not cacheable", async () => {
  const second = { ...defaultEndpoints[0]!, address: "https://other.example.nhs.uk/A20047/fhir" };
  const { sds } = world([defaultEndpoints[0]!, second]);
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.equal(error.code, "INTERNAL_SERVER_ERROR");
  assert.equal(error.cacheable, false);
  assert.match(
    error.diagnostics ?? "",
    /SDS has 2 endpoints for interaction .* expected exactly one/,
  );
});

for (const [name, address] of [["absent", undefined], ["blank", "  "]] as const) {
  Deno.test(`sds: ${name} address → 502 'has no address'`, async () => {
    const record: SdsEndpointRecord = address === undefined
      ? { odsCode: "A20047", interactionId: structured, partyKey: "A20047-821870" }
      : { ...defaultEndpoints[0]!, address };
    const { sds, requests } = world([record]);
    const error = await rejects(sds.getEndpoint("A20047", structured));
    assert.equal(error.status, 502);
    assert.equal(error.cacheable, false);
    assert.match(error.diagnostics ?? "", /has no address/);
    assert.equal(requests.length, 1);
  });
}

Deno.test("sds: endpoint without a party key → 502", async () => {
  const { partyKey: _, ...noKey } = defaultEndpoints[0]!;
  const { sds } = world([noKey]);
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.match(error.diagnostics ?? "", /no MHS party key/);
});

Deno.test("sds: no device → 404 NO_RECORD_FOUND, cacheable", async () => {
  const { sds, requests } = world(defaultEndpoints, []);
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 404);
  assert.equal(error.code, "NO_RECORD_FOUND");
  assert.equal(error.cacheable, true);
  assert.match(
    error.diagnostics ?? "",
    /no accredited system \(Device\) .* party key A20047-821870/,
  );
  assert.equal(requests.length, 2);
});

Deno.test("sds: several devices → 502 naming the count", async () => {
  const { sds } = world(defaultEndpoints, [
    defaultDevices[0]!,
    { ...defaultDevices[0]!, asid: "918999198738" },
  ]);
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.match(error.diagnostics ?? "", /SDS has 2 accredited systems/);
});

Deno.test("sds: device without an ASID → 502", async () => {
  const { asid: _, ...noAsid } = defaultDevices[0]!;
  const { sds } = world(defaultEndpoints, [noAsid]);
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.match(error.diagnostics ?? "", /has no ASID/);
});

Deno.test("sds: fetch rejects → 502 transient 'SDS unavailable'", async () => {
  const { sds } = client(() => Promise.reject(new TypeError("connection refused")), "k3y");
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.equal(error.issueCode, "transient");
  assert.equal(error.cacheable, false);
  assert.equal(error.diagnostics, "SDS unavailable: network error: connection refused");
});

Deno.test("sds: non-200 → 502 naming the status and code", async () => {
  const outcome = {
    resourceType: "OperationOutcome",
    issue: [{
      severity: "error",
      code: "timeout",
      details: {
        coding: [{
          system: "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1",
          code: "INTERNAL_SERVER_ERROR",
          display: "Unexpected internal server error",
        }],
      },
      diagnostics: "LDAP request timed out",
    }],
  };
  const { sds } = client(() => fhirJson(outcome, 504));
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.equal(
    error.diagnostics,
    "SDS unavailable: Endpoint: HTTP 504 INTERNAL_SERVER_ERROR (LDAP request timed out)",
  );
});

Deno.test("sds: non-JSON or non-Bundle body → 502", async () => {
  for (
    const response of [() => new Response("oops"), () => fhirJson({ resourceType: "Patient" })]
  ) {
    const { sds } = client(response);
    const error = await rejects(sds.getEndpoint("A20047", structured));
    assert.equal(error.status, 502);
    assert.match(error.diagnostics ?? "", /^SDS unavailable: Endpoint: HTTP 200/);
  }
});

Deno.test("sds: invalid ODS code or interaction → 422, no call", async () => {
  const { sds, requests } = world();
  for (
    const [ods, interaction] of [["A20047|X", structured], ["", structured], ["A20047", "a b"]]
  ) {
    const error = await rejects(sds.getEndpoint(ods!, interaction!));
    assert.equal(error.status, 422);
    assert.equal(error.code, "INVALID_PARAMETER");
  }
  assert.equal(requests.length, 0);
});
