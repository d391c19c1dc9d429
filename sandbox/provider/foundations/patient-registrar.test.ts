import assert from "node:assert/strict";
import { fixturePatients, patientByRole } from "../../pds/fixture-patients.ts";
import { inMemoryProviderStore } from "../provider-store.ts";
import { registrationKey } from "../practice/patient-registrations.ts";
import {
  errorCode,
  foundationsInteractions as I,
  foundationsRoot,
  pdsSandboxFetch,
  providerTestClient,
  registerPatientBody,
} from "./provider-test-client.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const NHS = "https://fhir.nhs.uk/Id/nhs-number";
const REGISTRATION_DETAILS =
  "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1";

/** The body registering a fixture patient with its own demographics, optionally changed. */
function bodyFor(
  role: string,
  changes: { family?: string; given?: string; birthDate?: string } = {},
) {
  const patient = patientByRole(role);
  return registerPatientBody({
    nhsNumber: patient.nhsNumber,
    family: changes.family ?? patient.name!.family,
    given: changes.given ?? patient.name!.given[0]!,
    birthDate: changes.birthDate ?? patient.birthDate!,
  });
}

function registerWith(client: ReturnType<typeof providerTestClient>, body: string) {
  return client.call("/Patient/$gpc.registerpatient", I.register, { body });
}

function registrationExtension(patient: Json): Record<string, Json> {
  const details = patient.extension.find((e: Json) => e.url === REGISTRATION_DETAILS);
  return Object.fromEntries(details.extension.map((e: Json) => [e.url, e]));
}

Deno.test("register: a patient of another practice → 200 searchset with a temporary Patient", async () => {
  const store = inMemoryProviderStore();
  const client = providerTestClient({ store });
  const res = await registerWith(client, bodyFor("registered-other-practice"));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "Bundle");
  assert.equal(body.type, "searchset");
  assert.deepEqual(body.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1",
  ]);
  assert.equal((body.entry ?? []).length, 1);
  const patient = body.entry[0].resource;
  assert.equal(body.entry[0].fullUrl, `http://localhost${foundationsRoot}/Patient/${patient.id}`);
  assert.equal(patient.id, "id-1");
  assert.equal(patient.meta.versionId, String(Date.parse("2025-01-15T10:00:00Z")));
  assert.deepEqual(patient.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1",
  ]);
  assert.equal(patient.identifier[0].system, NHS);
  assert.equal(patient.identifier[0].value, "9990000204");
  assert.equal(patient.name[0].family, "NETTLESHIP");
  assert.equal(patient.birthDate, "1972-01-28");
  assert.equal(patient.gender, "female");
  assert.deepEqual(patient.telecom, [{ system: "phone", value: "07700900999", use: "mobile" }]);
  assert.equal(patient.address[0].postalCode, "LS1 1AA");
  assert.deepEqual(patient.managingOrganization, { reference: "Organization/1" });
  const details = registrationExtension(patient);
  assert.deepEqual(details.registrationPeriod!.valuePeriod, { start: "2025-01-15T10:00:00.000Z" });
  assert.deepEqual(details.registrationType!.valueCodeableConcept.coding, [{
    system: "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-RegistrationType-1",
    code: "T",
    display: "Temporary",
  }]);
  assert.equal(details.preferredBranchSurgery, undefined);

  const stored: Json | undefined = await store.get(registrationKey("B82617", "9990000204"));
  assert.equal(stored?.logicalId, "id-1");
  assert.equal(stored?.registrationType, "T");

  const read = await client.call(`/Patient/${patient.id}`, I.readPatient);
  assert.equal(read.status, 200);
  assert.equal(read.headers.get("ETag"), `W/"${patient.meta.versionId}"`);
  assert.deepEqual(await read.json(), patient);
  const search = await client.call(
    `/Patient?identifier=${encodeURIComponent(`${NHS}|9990000204`)}`,
    I.searchPatient,
  );
  const found: Json = await search.json();
  assert.equal((found.entry ?? []).length, 1);
  assert.deepEqual(found.entry[0].resource, patient);
});

Deno.test("register: the same patient twice, or an active patient of the practice → 409", async () => {
  const client = providerTestClient();
  assert.equal((await registerWith(client, bodyFor("pds-gp-ended"))).status, 200);
  assert.equal(
    await errorCode(await registerWith(client, bodyFor("pds-gp-ended"))),
    "409 DUPLICATE_REJECTED",
  );
  for (const role of ["no-allergies", "in-transit"]) {
    assert.equal(
      await errorCode(await registerWith(client, bodyFor(role))),
      "409 DUPLICATE_REJECTED",
      role,
    );
  }
});

Deno.test("register: concurrent registrations of one NHS number → one 200, one 409", async () => {
  const client = providerTestClient();
  const answers = await Promise.all([
    registerWith(client, bodyFor("registered-no-endpoints")),
    registerWith(client, bodyFor("registered-no-endpoints")),
  ]);
  const statuses = answers.map((res) => res.status).sort();
  await Promise.all(answers.map((res) => res.body?.cancel()));
  assert.deepEqual(statuses, [200, 409]);
});

Deno.test("register: an inactive patient is re-activated as temporary, keeping its id", async () => {
  const client = providerTestClient();
  assert.equal(
    await errorCode(await client.call("/Patient/21", I.readPatient)),
    "404 PATIENT_NOT_FOUND",
  );
  const res = await registerWith(client, bodyFor("inactive"));
  assert.equal(res.status, 200);
  const patient = (await res.json()).entry[0].resource;
  assert.equal(patient.id, "21");
  const details = registrationExtension(patient);
  assert.equal(details.registrationType!.valueCodeableConcept.coding[0].code, "T");
  assert.deepEqual(details.preferredBranchSurgery!.valueReference, { reference: "Location/1" });
  const read = await client.call("/Patient/21", I.readPatient);
  assert.equal(read.status, 200);
  assert.equal((await read.json()).identifier[0].value, "9690938142");
});

Deno.test("register: PDS says no → 400 INVALID_PATIENT_DEMOGRAPHICS or INVALID_NHS_NUMBER", async () => {
  const client = providerTestClient();
  const cases: Array<[string, string]> = [
    ["not-found", "400 INVALID_PATIENT_DEMOGRAPHICS"], // 9999999999, not on PDS
    ["not-on-pds", "400 INVALID_PATIENT_DEMOGRAPHICS"],
    ["pds-restricted", "400 INVALID_PATIENT_DEMOGRAPHICS"], // sensitive R
    ["pds-very-restricted", "400 INVALID_PATIENT_DEMOGRAPHICS"], // sensitive V
    ["sensitive", "400 INVALID_PATIENT_DEMOGRAPHICS"],
    ["pds-deceased", "400 INVALID_PATIENT_DEMOGRAPHICS"],
    ["deceased", "400 INVALID_PATIENT_DEMOGRAPHICS"],
    ["pds-invalidated", "400 INVALID_NHS_NUMBER"],
    ["pds-superseded", "400 INVALID_NHS_NUMBER"],
    ["superseded", "400 INVALID_NHS_NUMBER"],
  ];
  for (const [role, expected] of cases) {
    const patient = patientByRole(role);
    const body = registerPatientBody({
      nhsNumber: patient.nhsNumber,
      family: patient.name?.family ?? "UNKNOWN",
      given: patient.name?.given[0] ?? "Unknown",
      birthDate: patient.birthDate ?? "1970-01-01",
    });
    assert.equal(await errorCode(await registerWith(client, body)), expected, role);
  }
});

Deno.test("register: demographics must verify the NHS number against PDS", async () => {
  const client = providerTestClient();
  const role = "pds-no-gp"; // STRAWBRIDGE Imogen 2001-12-30
  const mismatches = [
    { birthDate: "2001-12-31", family: "SMITH" }, // 2 of 3 date parts, family differs
    { birthDate: "2001-12-31", given: "Alice" }, // 2 of 3 date parts, initial differs
    { birthDate: "2000-11-30" }, // 1 of 3 date parts
    { birthDate: "1999-01-01" },
  ];
  for (const changes of mismatches) {
    const res = await registerWith(client, bodyFor(role, changes));
    assert.equal(
      await errorCode(res),
      "400 INVALID_PATIENT_DEMOGRAPHICS",
      JSON.stringify(changes),
    );
  }
  const partial = await registerWith(
    client,
    bodyFor(role, { birthDate: "2001-12-31", family: "Strawberry", given: "imogen" }),
  );
  assert.equal(partial.status, 200, "2 of 3 date parts + family prefix + given initial verify");
  await partial.body?.cancel();
});

Deno.test("register: an exact date of birth verifies even when the name differs (GPC-1.6 rule)", async () => {
  const client = providerTestClient();
  const res = await registerWith(client, bodyFor("pds-gp-future", { family: "OTHERNAME" }));
  assert.equal(res.status, 200);
  const patient = (await res.json()).entry[0].resource;
  assert.equal(patient.name[0].family, "OTHERNAME", "the consumer's demographics are kept");
});

Deno.test("register: PDS unreachable or failing → 500 INTERNAL_SERVER_ERROR with diagnostics", async () => {
  const failures: Array<[string, (input: Request | string | URL) => Promise<Response>]> = [
    ["refused", () => Promise.reject(new TypeError("connection refused"))],
    ["503", () => Promise.resolve(new Response("busy", { status: 503 }))],
    ["not a Patient", () => Promise.resolve(Response.json({ resourceType: "Bundle" }))],
  ];
  for (const [what, fetch] of failures) {
    const client = providerTestClient({ fetch });
    const res = await registerWith(client, bodyFor("registered-other-practice"));
    assert.equal(res.status, 500, what);
    const body: Json = await res.json();
    assert.equal(body.issue[0].details.coding[0].code, "INTERNAL_SERVER_ERROR");
    assert.match(body.issue[0].diagnostics, /PDS/, what);
  }
});

Deno.test("register: PDS is called over HTTP with a UUID X-Request-ID", async () => {
  const seen: Request[] = [];
  const pds = pdsSandboxFetch();
  const client = providerTestClient({
    fetch: (input, init) => {
      seen.push(new Request(input, init));
      return pds(input, init);
    },
  });
  const res = await registerWith(client, bodyFor("registered-other-practice"));
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.method, "GET");
  assert.equal(seen[0]!.url, "http://pds.test/Patient/9990000204");
  assert.match(seen[0]!.headers.get("X-Request-ID") ?? "", /^[0-9a-f-]{36}$/);
});

Deno.test("register: the answer comes in XML when asked", async () => {
  const client = providerTestClient();
  const res = await client.call("/Patient/$gpc.registerpatient", I.register, {
    body: bodyFor("registered-other-practice"),
    overrides: { Accept: "application/fhir+xml" },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
  assert.match(await res.text(), /<Bundle xmlns="http:\/\/hl7.org\/fhir">.*<code value="T"\/>/);
});

Deno.test("register: every candidate of the pds-no-gp pool registers once (200), then 409", async () => {
  const client = providerTestClient({ store: inMemoryProviderStore() });
  const pool = fixturePatients.filter((patient) => patient.candidateFor === "pds-no-gp");
  assert.equal(pool.length, 12);
  for (const patient of pool) {
    const body = bodyFor(patient.role);
    const first = await registerWith(client, body);
    assert.equal(first.status, 200, patient.role);
    const registered: Json = (await first.json()).entry[0].resource;
    assert.equal(registered.identifier[0].value, patient.nhsNumber);
    assert.equal(registered.name[0].family, patient.name?.family);
    assert.equal(
      registrationExtension(registered).registrationType?.valueCodeableConcept.coding[0].code,
      "T",
    );
    assert.equal(await errorCode(await registerWith(client, body)), "409 DUPLICATE_REJECTED");
  }
});
