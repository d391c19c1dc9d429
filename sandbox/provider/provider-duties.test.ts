import assert from "node:assert/strict";
import { encodeUnsignedJwt, gpConnectJwtClaims } from "../../gpconnect/jwt/gpc-jwt.ts";
import { createProviderSandbox } from "./provider-sandbox.ts";
import { providerRequestHeaders } from "./provider-request.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const now = new Date("2025-01-15T10:00:00Z");
const iat = Math.floor(now.getTime() / 1000);
const provider = createProviderSandbox({ now: () => now });
const ROOT = "/B82617/STU3/1/gpconnect/fhir";
const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const READ_PATIENT = "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1";

function call(
  path: string,
  interaction = METADATA,
  overrides: Record<string, string | null> = {},
  init: RequestInit = {},
) {
  return provider.request(`${ROOT}${path}`, {
    ...init,
    headers: providerRequestHeaders(interaction, { issuedAt: iat, overrides }),
  });
}

async function expectOutcome(res: Response, status: number, code: string): Promise<Json> {
  assert.equal(res.status, status);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "OperationOutcome");
  assert.deepEqual(body.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1",
  ]);
  const coding = body.issue[0].details.coding[0];
  assert.equal(coding.system, "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1");
  assert.equal(coding.code, code);
  assert.ok(body.issue[0].diagnostics);
  return body;
}

Deno.test("duties: a well-formed request passes", async () => {
  const res = await call("/metadata");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  await res.body?.cancel();
});

Deno.test("duties: each missing or empty SSP header or Authorization → 400 BAD_REQUEST", async () => {
  for (const name of ["Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID", "Authorization"]) {
    const missing = await expectOutcome(
      await call("/metadata", METADATA, { [name]: null }),
      400,
      "BAD_REQUEST",
    );
    assert.match(missing.issue[0].diagnostics, new RegExp(name));
    await expectOutcome(await call("/metadata", METADATA, { [name]: " " }), 400, "BAD_REQUEST");
  }
});

Deno.test("duties: header names are case-insensitive (Ssp-InteractionId)", async () => {
  const headers = providerRequestHeaders(METADATA, {
    issuedAt: iat,
    overrides: { "Ssp-InteractionID": null },
  });
  headers.set("ssp-interactionid", METADATA);
  const res = await provider.request(`${ROOT}/metadata`, { headers });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("duties: Ssp-To other than this provider's ASID → 400 BAD_REQUEST", async () => {
  const body = await expectOutcome(
    await call("/metadata", METADATA, { "Ssp-To": "200000000985" }),
    400,
    "BAD_REQUEST",
  );
  assert.match(body.issue[0].diagnostics, /918999198738/);
  const other = createProviderSandbox({ asid: "200000000985", odsCode: "A20047", now: () => now });
  const res = await other.request("/A20047/STU3/1/gpconnect/fhir/metadata", {
    headers: providerRequestHeaders(METADATA, { issuedAt: iat, toAsid: "200000000985" }),
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("duties: Ssp-InteractionID must match path and verb → 400 BAD_REQUEST", async () => {
  const cases: Array<[string, string, string]> = [
    ["/metadata", READ_PATIENT, "GET"],
    ["/Patient/1", METADATA, "GET"],
    ["/metadata", "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata", "GET"],
    ["/metadata", METADATA.toUpperCase(), "GET"],
    ["/metadata", "urn:nhs:names:services:gpconnect:structured:fhir:rest:read:metadata-1", "GET"],
    ["/metadata", "not-an-interaction", "GET"],
    ["/metadata", METADATA, "DELETE"],
    ["/metadata", METADATA, "PATCH"],
    ["/metadata", METADATA, "OPTIONS"],
    ["/metadata", METADATA, "PUT"],
    ["/metadata", METADATA, "POST"],
  ];
  for (const [path, interaction, method] of cases) {
    const headers = providerRequestHeaders(METADATA, {
      issuedAt: iat,
      overrides: { "Ssp-InteractionID": interaction },
    });
    const res = await provider.request(`${ROOT}${path}`, { method, headers });
    await expectOutcome(res, 400, "BAD_REQUEST");
  }
});

Deno.test("duties: unknown or wrongly-cased paths → 404 OperationOutcome", async () => {
  for (const path of ["/metadatas", "/Metadata", "/metadata/", "/Patients", "/Patient/"]) {
    await expectOutcome(await call(path), 404, "NO_RECORD_FOUND");
  }
});

Deno.test("duties: a resource type or operation the root does not implement → 501 NOT_IMPLEMENTED", async () => {
  for (
    const path of [
      "/Observation",
      "/Observation/1",
      "/Patient/2/$everything",
      "/$everything",
      "/Patient/2/DocumentReference",
    ]
  ) {
    const body = await expectOutcome(await call(path), 501, "NOT_IMPLEMENTED");
    assert.match(body.issue[0].diagnostics, /not implemented/);
  }
  // An implemented type's unknown id stays its handler's 404.
  const unknown = await call("/Patient/99999", READ_PATIENT);
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("duties: JWT defects → 400 BAD_REQUEST, wrong claim resource → 422", async () => {
  await expectOutcome(
    await call("/metadata", METADATA, { Authorization: "Bearer x.y." }),
    400,
    "BAD_REQUEST",
  );
  const patientScoped = providerRequestHeaders(READ_PATIENT, { issuedAt: iat }).get(
    "Authorization",
  )!;
  await expectOutcome(
    await call("/metadata", METADATA, { Authorization: patientScoped }),
    400,
    "BAD_REQUEST",
  );
  const expired = providerRequestHeaders(METADATA, { issuedAt: iat - 600 }).get("Authorization")!;
  await expectOutcome(
    await call("/metadata", METADATA, { Authorization: expired }),
    400,
    "BAD_REQUEST",
  );
  const future = providerRequestHeaders(METADATA, { issuedAt: iat + 200 }).get("Authorization")!;
  const ok = await call("/metadata", METADATA, { Authorization: future });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("duties: the full JWT checker — first finding decides, 422 for a wrong claim resource (400 for a wrong practitioner type)", async () => {
  const claims = (changes: Record<string, unknown>) => {
    const base = gpConnectJwtClaims({ requestedScope: "organization/*.read", issuedAt: iat });
    return `Bearer ${encodeUnsignedJwt({ ...base, ...changes })}`;
  };
  const device = await expectOutcome(
    await call("/metadata", METADATA, {
      Authorization: claims({ requesting_device: { resourceType: "Patient" } }),
    }),
    422,
    "INVALID_RESOURCE",
  );
  assert.match(device.issue[0].diagnostics, /^JWT requesting_device: /);
  // GPC-1.6's error page: a requesting_practitioner that is a Patient is 400 BAD_REQUEST (STU3).
  const practitioner = await expectOutcome(
    await call("/metadata", METADATA, {
      Authorization: claims({
        requesting_practitioner: { resourceType: "Patient", id: "1" },
        sub: "1",
      }),
    }),
    400,
    "BAD_REQUEST",
  );
  assert.match(practitioner.issue[0].diagnostics, /^JWT requesting_practitioner: .*"Patient"/);
  // A Practitioner with an element it does not define is still 422 INVALID_RESOURCE.
  const base = gpConnectJwtClaims({ requestedScope: "organization/*.read", issuedAt: iat });
  await expectOutcome(
    await call("/metadata", METADATA, {
      Authorization: claims({
        requesting_practitioner: { ...(base.requesting_practitioner as Json), notAnElement: true },
      }),
    }),
    422,
    "INVALID_RESOURCE",
  );
  const organization = await expectOutcome(
    await call("/metadata", METADATA, {
      Authorization: claims({ requesting_organization: "B82617" }),
    }),
    422,
    "INVALID_RESOURCE",
  );
  assert.match(organization.issue[0].diagnostics, /requesting_organization/);
  // Two defects: the first in the checker's stable order (exp before requested_scope) is reported.
  const first = await expectOutcome(
    await call("/metadata", METADATA, {
      Authorization: claims({ exp: iat + 301, requested_scope: "patient/*.read" }),
    }),
    400,
    "BAD_REQUEST",
  );
  assert.match(first.issue[0].diagnostics, /^JWT exp: /);
  for (
    const changes of [
      { exp: iat + 299 },
      { sub: "someone-else" },
      { reason_for_request: "migration" },
      { iss: "" },
      { requested_record: { resourceType: "Patient" } },
    ]
  ) {
    await expectOutcome(
      await call("/metadata", METADATA, { Authorization: claims(changes) }),
      400,
      "BAD_REQUEST",
    );
  }
});

Deno.test("duties: requested_scope must be the interaction's, conf/N and conf/R allowed", async () => {
  const readPatient = (scope: string) =>
    call("/Patient/1", READ_PATIENT, {
      Authorization: providerRequestHeaders(READ_PATIENT, {
        issuedAt: iat,
        jwt: { requestedScope: scope },
      }).get("Authorization"),
    });
  for (const scope of ["patient/*.read", "patient/*.read conf/N", "patient/*.read conf/R"]) {
    const res = await readPatient(scope);
    assert.equal(res.status, 200, scope);
    await res.body?.cancel();
  }
  for (
    const scope of ["patient/*.write", "organization/*.read", "patient/*.read conf/X", "patient/*"]
  ) {
    const body = await expectOutcome(await readPatient(scope), 400, "BAD_REQUEST");
    assert.match(body.issue[0].diagnostics, /requested_scope/, scope);
  }
  const register = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1";
  const headers = providerRequestHeaders(register, {
    issuedAt: iat,
    jwt: { requestedScope: "patient/*.read" },
    overrides: { "Content-Type": "application/fhir+json" },
  });
  const res = await provider.request(`${ROOT}/Patient/$gpc.registerpatient`, {
    method: "POST",
    headers,
    body: "{}",
  });
  await expectOutcome(res, 400, "BAD_REQUEST");
});

Deno.test("duties: unsupported Accept or _format → 415 BAD_REQUEST", async () => {
  await expectOutcome(
    await call("/metadata", METADATA, { Accept: "text/html" }),
    415,
    "BAD_REQUEST",
  );
  await expectOutcome(await call("/metadata?_format=text/plain"), 415, "BAD_REQUEST");
  const ok = await call("/metadata?_format=json", METADATA, { Accept: "text/html" });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("duties: errors come in the requested format", async () => {
  const res = await call("/metadata", METADATA, { Accept: "application/fhir+xml", "Ssp-To": "1" });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
  assert.match(await res.text(), /<OperationOutcome xmlns="http:\/\/hl7.org\/fhir">.*BAD_REQUEST/);
});

for (
  const [name, value] of [
    ["Ssp-TraceID", "not-a-uuid"],
    ["Ssp-From", "ASID-ONE"],
    ["Ssp-InteractionID", "metadata"],
    ["Authorization", "Basic dXNlcjpwYXNz"],
  ]
) {
  Deno.test(`provider duties: a malformed ${name} → 400 BAD_REQUEST`, async () => {
    await expectOutcome(await call("/metadata", METADATA, { [name!]: value! }), 400, "BAD_REQUEST");
  });
}

Deno.test("provider duties: a POST body that is not a FHIR media type → 415", async () => {
  const interaction = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.getstructuredrecord-1";
  const headers = providerRequestHeaders(interaction, { issuedAt: iat });
  headers.set("Content-Type", "text/plain");
  const res = await provider.request(
    "/B82617/STU3/1/gpconnect/structured/fhir/Patient/$gpc.getstructuredrecord",
    { method: "POST", headers, body: "hello" },
  );
  await expectOutcome(res, 415, "BAD_REQUEST");
});
