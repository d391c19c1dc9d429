import assert from "node:assert/strict";
import { type FixturePatient, patientByRole } from "./fixture-patients.ts";
import { pdsErrorSystem } from "./pds-outcome.ts";
import { createPdsSandbox } from "./pds-sandbox.ts";

const today = "2025-01-15";
const pds = createPdsSandbox({ today: () => today, now: () => new Date("2025-01-15T10:00:00Z") });

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  return pds.request(path, {
    ...init,
    headers: { "X-Request-ID": "60e0b220-8136-4ac5-a4ef-5e4a2f4a3e61", ...headers },
  });
}

async function expectError(res: Response, status: number, code: string, severity = "error") {
  assert.equal(res.status, status);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "OperationOutcome");
  const issue = body.issue[0];
  assert.equal(issue.severity, severity);
  assert.deepEqual(Object.keys(issue.details.coding[0]).sort(), [
    "code",
    "display",
    "system",
    "version",
  ]);
  assert.equal(issue.details.coding[0].system, pdsErrorSystem);
  assert.equal(issue.details.coding[0].version, "1");
  assert.equal(issue.details.coding[0].code, code);
  return issue;
}

function nhs(role: string): string {
  return patientByRole(role).nhsNumber;
}

Deno.test("PDS retrieve: 200 with the record, ETag, mirrored ids, FHIR JSON", async () => {
  const res = await get(`/Patient/${nhs("no-allergies")}`, { "X-Correlation-ID": "corr-1" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json");
  assert.equal(res.headers.get("ETag"), 'W/"2"');
  assert.equal(res.headers.get("X-Request-ID"), "60e0b220-8136-4ac5-a4ef-5e4a2f4a3e61");
  assert.equal(res.headers.get("X-Correlation-ID"), "corr-1");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "Patient");
  assert.equal(body.id, "9690937278");
  assert.equal(body.identifier[0].system, "https://fhir.nhs.uk/Id/nhs-number");
  assert.equal(body.identifier[0].extension[0].valueCodeableConcept.coding[0].code, "01");
  assert.equal(body.meta.versionId, "2");
  assert.equal(body.meta.security[0].code, "U");
  assert.equal(body.name[0].family, "SAMUAL");
  const gp = body.generalPractitioner[0];
  assert.equal(gp.type, "Organization");
  assert.equal(gp.identifier.system, "https://fhir.nhs.uk/Id/ods-organization-code");
  assert.equal(gp.identifier.value, "B82617");
  assert.deepEqual(gp.identifier.period, { start: "1999-03-01" });
  assert.equal(gp.period, undefined);
});

Deno.test("PDS retrieve: X-Request-ID missing → 400 MISSING_VALUE", async () => {
  const res = await pds.request(`/Patient/${nhs("no-allergies")}`);
  const issue = await expectError(res, 400, "MISSING_VALUE");
  assert.equal(issue.code, "required");
  assert.match(issue.diagnostics, /X-Request-ID header must be supplied/);
});

Deno.test("PDS retrieve: X-Request-ID not a UUID → 400 INVALID_VALUE", async () => {
  const res = await get(`/Patient/${nhs("no-allergies")}`, { "X-Request-ID": "not-a-uuid" });
  const issue = await expectError(res, 400, "INVALID_VALUE");
  assert.equal(issue.diagnostics, "Invalid value - 'not-a-uuid' in header 'X-Request-ID'");
  assert.equal(res.headers.get("X-Request-ID"), "not-a-uuid");
});

Deno.test("PDS retrieve: X-Request-ID is checked before Authorization", async () => {
  const res = await pds.request(`/Patient/${nhs("no-allergies")}`, {
    headers: { Authorization: "Basic xyz" },
  });
  await expectError(res, 400, "MISSING_VALUE");
});

Deno.test("PDS retrieve: Authorization optional, else Bearer <token> → 401 ACCESS_DENIED", async () => {
  assert.equal((await get(`/Patient/${nhs("no-allergies")}`)).status, 200);
  assert.equal(
    (await get(`/Patient/${nhs("no-allergies")}`, { Authorization: "Bearer abc123" })).status,
    200,
  );
  for (
    const [authorization, diagnostics] of [
      ["Basic abc123", "Missing access token"],
      ["Bearer", "Missing access token"],
      ["bearer abc123", "Missing access token"],
      ["Bearer abc-123.def", "Invalid Access Token"],
      ["Bearer onlyletters", "Invalid Access Token"],
    ] as const
  ) {
    const res = await get(`/Patient/${nhs("no-allergies")}`, { Authorization: authorization });
    const issue = await expectError(res, 401, "ACCESS_DENIED");
    assert.equal(issue.code, "forbidden");
    assert.equal(issue.diagnostics, diagnostics, authorization);
  }
});

Deno.test("PDS retrieve: bad NHS number → 400 INVALID_RESOURCE_ID", async () => {
  for (const id of ["9000000000", "969093727", "96909372780", "abcdefghij", "9690937279"]) {
    const issue = await expectError(await get(`/Patient/${id}`), 400, "INVALID_RESOURCE_ID");
    assert.equal(issue.code, "value", id);
  }
});

Deno.test("PDS retrieve: unknown numbers → 404 RESOURCE_NOT_FOUND (information)", async () => {
  for (const role of ["not-found", "not-on-pds", "placeholder"]) {
    const issue = await expectError(
      await get(`/Patient/${nhs(role)}`),
      404,
      "RESOURCE_NOT_FOUND",
      "information",
    );
    assert.equal(issue.code, "not-found", role);
  }
});

Deno.test("PDS retrieve: invalidated → 404 INVALIDATED_RESOURCE", async () => {
  const issue = await expectError(
    await get(`/Patient/${nhs("pds-invalidated")}`),
    404,
    "INVALIDATED_RESOURCE",
  );
  assert.equal(issue.code, "processing");
});

Deno.test("PDS retrieve: superseded → 200 with the superseding record", async () => {
  for (const [role, expected] of [["superseded", "9690938614"], ["pds-superseded", "9990000131"]]) {
    const res = await get(`/Patient/${nhs(role!)}`);
    assert.equal(res.status, 200);
    const body: Json = await res.json();
    assert.equal(body.id, expected);
    assert.equal(body.identifier[0].value, expected);
    assert.equal(res.headers.get("ETag"), `W/"${body.meta.versionId}"`);
  }
});

Deno.test("PDS retrieve: restricted R → no address, telecom or GP", async () => {
  for (const role of ["sensitive", "sensitive-2", "pds-restricted"]) {
    const body: Json = await (await get(`/Patient/${nhs(role)}`)).json();
    assert.equal(body.meta.security[0].code, "R", role);
    assert.equal(
      body.meta.security[0].system,
      "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
    );
    assert.equal(body.address, undefined, role);
    assert.equal(body.telecom, undefined, role);
    assert.equal(body.generalPractitioner, undefined, role);
    assert.ok(body.name, role);
    assert.ok(body.birthDate, role);
  }
});

Deno.test("PDS retrieve: very restricted V → also no name or birthDate", async () => {
  const body: Json = await (await get(`/Patient/${nhs("pds-very-restricted")}`)).json();
  assert.equal(body.meta.security[0].code, "V");
  for (const field of ["name", "birthDate", "address", "telecom", "generalPractitioner"]) {
    assert.equal(body[field], undefined, field);
  }
  assert.equal(body.id, nhs("pds-very-restricted"));
});

Deno.test("PDS retrieve: deceased → deceasedDateTime + DeathNotificationStatus, GP kept", async () => {
  for (const role of ["deceased", "pds-deceased"]) {
    const body: Json = await (await get(`/Patient/${nhs(role)}`)).json();
    assert.ok(body.deceasedDateTime, role);
    const ext = body.extension[0];
    assert.equal(
      ext.url,
      "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DeathNotificationStatus",
    );
    assert.equal(ext.extension[0].valueCodeableConcept.coding[0].code, "2");
    assert.equal(body.generalPractitioner[0].identifier.value, "B82617", role);
  }
  const patient18: Json = await (await get(`/Patient/${nhs("deceased")}`)).json();
  assert.match(patient18.deceasedDateTime, /^1993-/);
  assert.equal(patient18.multipleBirthInteger, 2);
});

Deno.test("PDS retrieve: GP periods — none, ended, future (relative to injected today)", async () => {
  const none: Json = await (await get(`/Patient/${nhs("pds-no-gp")}`)).json();
  assert.equal(none.generalPractitioner, undefined);
  const ended: Json = await (await get(`/Patient/${nhs("pds-gp-ended")}`)).json();
  assert.deepEqual(ended.generalPractitioner[0].identifier.period, {
    start: "2001-01-01",
    end: "2020-06-30",
  });
  const future: Json = await (await get(`/Patient/${nhs("pds-gp-future")}`)).json();
  assert.deepEqual(future.generalPractitioner[0].identifier.period, { start: "2025-02-14" });
});

Deno.test("PDS retrieve: other practices", async () => {
  for (
    const [role, ods] of [
      ["registered-other-practice", "A20047"],
      ["registered-no-endpoints", "Y99999"],
      ["registered-several-endpoints", "Y88888"],
    ]
  ) {
    const body: Json = await (await get(`/Patient/${nhs(role!)}`)).json();
    assert.equal(body.generalPractitioner[0].identifier.value, ods);
  }
});

Deno.test("PDS: errors mirror X-Request-ID and X-Correlation-ID", async () => {
  const res = await get("/Patient/9999999999", { "X-Correlation-ID": "abc" });
  assert.equal(res.headers.get("X-Correlation-ID"), "abc");
  assert.equal(res.headers.get("X-Request-ID"), "60e0b220-8136-4ac5-a4ef-5e4a2f4a3e61");
  await res.body?.cancel();
});

Deno.test("PDS: other methods → 405 with Allow: GET", async () => {
  for (const path of [`/Patient/${nhs("no-allergies")}`, "/Patient"]) {
    const res = await get(path, {}, { method: "PATCH" });
    assert.equal(res.headers.get("Allow"), "GET");
    await expectError(res, 405, "METHOD_NOT_ALLOWED");
  }
});

Deno.test("PDS: unknown paths → 404 OperationOutcome", async () => {
  for (const path of ["/", "/Practitioner/1", "/Patient/9690937278/extra", "/patient/9690937278"]) {
    await expectError(await get(path), 404, "RESOURCE_NOT_FOUND", "information");
  }
});

Deno.test("PDS: injected patients replace the fixture", async () => {
  const only: FixturePatient = {
    role: "custom",
    description: "custom",
    nhsNumber: "9000000009",
    name: { given: ["Jane"], family: "Smith" },
    gender: "female",
    birthDate: "2010-10-22",
    pds: { record: "present", versionId: "7", security: "U" },
  };
  const custom = createPdsSandbox({ patients: [only], today: () => today });
  const headers = { "X-Request-ID": crypto.randomUUID() };
  const res = await custom.request("/Patient/9000000009", { headers });
  assert.equal(res.headers.get("ETag"), 'W/"7"');
  await res.body?.cancel();
  const missing = await custom.request(`/Patient/${nhs("no-allergies")}`, { headers });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("PDS search: family + birthdate → searchset Bundle", async () => {
  const res = await get("/Patient?family=skelly&birthdate=eq1942-02-03");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "Bundle");
  assert.equal(body.type, "searchset");
  assert.equal(body.timestamp, "2025-01-15T10:00:00+00:00");
  assert.equal(body.total, 1);
  assert.equal(body.entry[0].fullUrl, "http://localhost/Patient/9690937286");
  assert.equal(body.entry[0].search.score, 1);
  assert.equal(body.entry[0].resource.id, "9690937286");
});

Deno.test("PDS search: no match → empty searchset", async () => {
  const body: Json = await (await get("/Patient?family=Nobody&birthdate=1942-02-03")).json();
  assert.equal(body.total, 0);
  assert.equal(body.entry, undefined);
});

Deno.test("PDS search: parameter errors", async () => {
  await expectError(await get("/Patient"), 400, "UNSUPPORTED_SERVICE");
  const extra = await expectError(
    await get("/Patient?family=SKELLY&birthdate=1942-02-03&model=x"),
    400,
    "ADDITIONAL_PROPERTIES",
  );
  assert.match(extra.diagnostics, /'model' was unexpected/);
  await expectError(await get("/Patient?family=SKELLY&birthdate=1942"), 400, "INVALID_VALUE");
  await expectError(await get("/Patient?family=SKELLY"), 400, "MISSING_VALUE");
  await expectError(await get("/Patient?birthdate=1942-02-03"), 400, "INVALID_SEARCH_DATA");
  await expectError(
    await get("/Patient?family=SKELLY&birthdate=1942-02-03&_max-results=51"),
    400,
    "INVALID_VALUE",
  );
  await expectError(
    await pds.request("/Patient?family=SKELLY&birthdate=1942-02-03"),
    400,
    "MISSING_VALUE",
  );
});

Deno.test("PDS search: restricted patients hidden from postcode/GP searches", async () => {
  const patient = patientByRole("pds-restricted");
  const byName: Json = await (await get(
    `/Patient?family=${patient.name!.family}&birthdate=${patient.birthDate}`,
  )).json();
  assert.equal(byName.total, 1);
  assert.equal(byName.entry[0].resource.address, undefined);
  const byGp: Json = await (await get(
    `/Patient?family=${
      patient.name!.family
    }&birthdate=${patient.birthDate}&general-practitioner=B82617`,
  )).json();
  assert.equal(byGp.total, 0);
  const v = patientByRole("pds-very-restricted");
  const hidden: Json =
    await (await get(`/Patient?family=${v.name!.family}&birthdate=${v.birthDate}`))
      .json();
  assert.equal(hidden.total, 0);
});

Deno.test("PDS search: more matches than _max-results → 200 TOO_MANY_MATCHES", async () => {
  const twin = (nhsNumber: string): FixturePatient => ({
    role: nhsNumber,
    description: "twin",
    nhsNumber,
    name: { given: ["Sam"], family: "Twin" },
    gender: "male",
    birthDate: "2000-05-05",
    pds: { record: "present", security: "U" },
  });
  const twins = createPdsSandbox({ patients: [twin("9000000009"), twin("9000000017")] });
  const headers = { "X-Request-ID": crypto.randomUUID() };
  const res = await twins.request("/Patient?family=Twin&birthdate=2000-05-05", { headers });
  const issue = await expectError(res, 200, "TOO_MANY_MATCHES", "information");
  assert.equal(issue.code, "multiple-matches");
  const both: Json = await (await twins.request(
    "/Patient?family=Twin&birthdate=2000-05-05&_max-results=2",
    { headers },
  )).json();
  assert.equal(both.total, 2);
});

Deno.test("PDS sandbox over a real socket", async () => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, pds.fetch);
  try {
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/Patient/9690937286`, {
      headers: { "X-Request-ID": crypto.randomUUID(), Authorization: "Bearer token123" },
    });
    assert.equal(res.status, 200);
    const body: Json = await res.json();
    assert.equal(body.name[0].family, "SKELLY");
  } finally {
    await server.shutdown();
  }
});
