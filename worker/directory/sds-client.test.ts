import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import { createSdsClient } from "./sds-client.ts";
import { type AsRecord, type MhsRecord, sdsRecords } from "../../sandbox/sds/sds-records.ts";
import {
  directorySandboxes,
  type DirectorySandboxOptions,
  editJson,
  type Fault,
  fhirJson,
  foundationsMetadata,
  providerBase,
  sdsBase,
  sequentialUuids,
  structured,
} from "../testing/directory-sandboxes.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** The SDS sandbox's directory (sandbox/sds/sds-records.ts): A20047, Y88888, Y99999, … */
const sandboxRecords = sdsRecords(providerBase);
const a20047Structured = `${providerBase}/A20047/STU3/1/gpconnect/structured/fhir`;

/** An SDS client on the SDS sandbox; `options.sdsApiKey` is sent and, when given, demanded. */
function client(options: DirectorySandboxOptions = {}) {
  const apiKey = options.sdsApiKey;
  const recorder = directorySandboxes(options);
  const sds = createSdsClient({
    baseUrl: sdsBase,
    apiKey,
    fetch: recorder.fetch,
    timeoutMs: 5_000,
    randomUUID: sequentialUuids(),
  });
  return { sds, requests: recorder.requests };
}

/** The sandbox's directory with A20047's structured endpoint and AS records replaced. */
function a20047(endpoint: (record: MhsRecord) => MhsRecord, devices?: readonly AsRecord[]) {
  return {
    mhs: sandboxRecords.mhs.map((record) =>
      record.address === a20047Structured ? endpoint(record) : record
    ),
    as: devices ?? sandboxRecords.as,
  };
}

const a20047Device = sandboxRecords.as.find((record) => record.odsCode === "A20047")!;

/** A fault that changes every `Endpoint` or `Device` the SDS sandbox answers with. */
function editEach(resourceType: "Endpoint" | "Device", edit: (resource: Json) => void): Fault {
  return async (request, sandboxes) => {
    const response = await sandboxes(request);
    if (!new URL(request.url).pathname.endsWith(`/${resourceType}`)) return response;
    return editJson(response, (bundle) => bundle.entry.forEach((e: Json) => edit(e.resource)));
  };
}

/** Removes the identifiers of `system` from a resource. */
const dropIdentifier = (system: string) => (resource: Json) => {
  resource.identifier = resource.identifier.filter((id: Json) => id.system !== system);
};

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
  const { sds, requests } = client({ sdsApiKey: "sandbox-key" });
  const endpoint = await sds.getEndpoint("A20047", structured);
  assert.deepEqual(endpoint, {
    odsCode: "A20047",
    interactionId: structured,
    address: "https://provider.example.nhs.uk/A20047/STU3/1/gpconnect/structured/fhir",
    partyKey: "A20047-821870",
    asid: "200000000985",
    cpaId: "S20001A000602",
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
  const { sds, requests } = client();
  const correlationId = "7d4e3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c";
  await sds.getEndpoint("A20047", structured, correlationId);
  assert.equal(requests[0]!.headers.get("apikey"), null);
  assert.equal(requests[0]!.headers.get("X-Correlation-Id"), correlationId);
});

Deno.test("sds: the address is kept byte for byte", async () => {
  const address = "https://Provider.Example.nhs.uk:8443/A20047/STU3/1/gpconnect/structured/fhir/";
  const { sds } = client({ sdsRecords: a20047((record) => ({ ...record, address })) });
  assert.equal((await sds.getEndpoint("A20047", structured)).address, address);
});

Deno.test("sds: no CPA id → undefined", async () => {
  const { sds } = client({
    fault: editEach("Endpoint", dropIdentifier(identifierSystems.mhsCpaId)),
  });
  assert.equal((await sds.getEndpoint("A20047", foundationsMetadata)).cpaId, undefined);
});

Deno.test("sds: no endpoint → 404 NO_RECORD_FOUND naming interaction and practice, cacheable", async () => {
  const { sds, requests } = client();
  const error = await rejects(sds.getEndpoint("Y99999", structured));
  assert.equal(error.status, 404);
  assert.equal(error.code, "NO_RECORD_FOUND");
  assert.equal(error.cacheable, true);
  assert.equal(
    error.diagnostics,
    `SDS has no endpoint for interaction ${structured} at practice Y99999`,
  );
  assert.equal(requests.length, 1);
});

Deno.test("sds: several endpoints → 502 naming the count, not cacheable", async () => {
  const { sds } = client();
  const error = await rejects(sds.getEndpoint("Y88888", structured));
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
    const { sds, requests } = client({
      fault: editEach("Endpoint", (endpoint) => {
        if (address === undefined) delete endpoint.address;
        else endpoint.address = address;
      }),
    });
    const error = await rejects(sds.getEndpoint("A20047", structured));
    assert.equal(error.status, 502);
    assert.equal(error.cacheable, false);
    assert.match(error.diagnostics ?? "", /has no address/);
    assert.equal(requests.length, 1);
  });
}

Deno.test("sds: endpoint without a party key → 502", async () => {
  const { sds } = client({
    fault: editEach("Endpoint", dropIdentifier(identifierSystems.mhsPartyKey)),
  });
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.match(error.diagnostics ?? "", /no MHS party key/);
});

Deno.test("sds: no device → 404 NO_RECORD_FOUND, cacheable", async () => {
  const noDevice = sandboxRecords.as.filter((record) => record !== a20047Device);
  const { sds, requests } = client({ sdsRecords: a20047((record) => record, noDevice) });
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
  const twoDevices = [...sandboxRecords.as, { ...a20047Device, asid: "200000000986" }];
  const { sds } = client({ sdsRecords: a20047((record) => record, twoDevices) });
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.match(error.diagnostics ?? "", /SDS has 2 accredited systems/);
});

Deno.test("sds: device without an ASID → 502", async () => {
  const { sds } = client({
    fault: editEach("Device", dropIdentifier(identifierSystems.spineAsid)),
  });
  const error = await rejects(sds.getEndpoint("A20047", structured));
  assert.equal(error.status, 502);
  assert.match(error.diagnostics ?? "", /has no ASID/);
});

Deno.test("sds: fetch rejects → 502 transient 'SDS unavailable'", async () => {
  const { sds } = client({
    fault: () => Promise.reject(new TypeError("connection refused")),
    sdsApiKey: "k3y",
  });
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
  const { sds } = client({ fault: () => fhirJson(outcome, 504) });
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
    const { sds } = client({ fault: response });
    const error = await rejects(sds.getEndpoint("A20047", structured));
    assert.equal(error.status, 502);
    assert.match(error.diagnostics ?? "", /^SDS unavailable: Endpoint: HTTP 200/);
  }
});

Deno.test("sds: invalid ODS code or interaction → 422, no call", async () => {
  const { sds, requests } = client();
  for (
    const [ods, interaction] of [["A20047|X", structured], ["", structured], ["A20047", "a b"]]
  ) {
    const error = await rejects(sds.getEndpoint(ods!, interaction!));
    assert.equal(error.status, 422);
    assert.equal(error.code, "INVALID_PARAMETER");
  }
  assert.equal(requests.length, 0);
});
