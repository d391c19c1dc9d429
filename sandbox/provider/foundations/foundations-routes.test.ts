import assert from "node:assert/strict";
import { patientByRole } from "../../pds/fixture-patients.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import { providerRequestHeaders } from "../provider-request.ts";
import { ProviderError } from "../provider-error.ts";
import { practiceData } from "../practice/practice-data.ts";
import { practiceReferences } from "./foundations-routes.ts";
import { patientSearchNhsNumber } from "./search-identifier.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const now = new Date("2025-01-15T10:00:00Z");
const iat = Math.floor(now.getTime() / 1000);
const provider = createProviderSandbox({ now: () => now, newId: () => "bundle-1" });
const ROOT = "/B82617/STU3/1/gpconnect/fhir";
const METADATA = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const READ = "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1";
const SEARCH = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";
const NHS = "https://fhir.nhs.uk/Id/nhs-number";

function call(path: string, interaction: string, overrides: Record<string, string | null> = {}) {
  return provider.request(`${ROOT}${path}`, {
    headers: providerRequestHeaders(interaction, { issuedAt: iat, overrides }),
  });
}

function search(identifier: string, overrides: Record<string, string | null> = {}) {
  return call(`/Patient?identifier=${encodeURIComponent(identifier)}`, SEARCH, overrides);
}

async function errorCode(res: Response): Promise<string> {
  const body: Json = await res.json();
  assert.equal(res.headers.get("Cache-Control"), "no-store");
  return `${res.status} ${body.issue[0].details.coding[0].code}`;
}

Deno.test("metadata: CapabilityStatement in JSON", async () => {
  const res = await call("/metadata", METADATA);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/fhir+json;charset=utf-8");
  const body: Json = await res.json();
  assert.equal(body.resourceType, "CapabilityStatement");
  assert.equal(body.fhirVersion, "3.0.1");
  assert.deepEqual(body.format, ["application/fhir+json", "application/fhir+xml"]);
  assert.equal(body.date, "2025-01-15");
  const patient = body.rest[0].resource.find((r: Json) => r.type === "Patient");
  assert.deepEqual(patient.interaction.map((i: Json) => i.code), ["read", "search-type"]);
});

Deno.test("metadata: every Foundations and Appointment Management resource and operation", async () => {
  const body: Json = await (await call("/metadata", METADATA)).json();
  assert.equal(body.version, "1.6.2");
  assert.equal(body.profile.length, 23);
  assert.ok(body.profile.every((p: Json) => p.reference.startsWith("https://fhir.nhs.uk/STU3/")));
  const interactions = Object.fromEntries(
    body.rest[0].resource.map((r: Json) => [r.type, r.interaction.map((i: Json) => i.code)]),
  );
  assert.deepEqual(interactions, {
    Patient: ["read", "search-type"],
    Organization: ["read", "search-type"],
    Practitioner: ["read", "search-type"],
    Location: ["read"],
    Appointment: ["read", "create", "update", "search-type"],
    Slot: ["search-type"],
  });
  const slot = body.rest[0].resource.find((r: Json) => r.type === "Slot");
  assert.ok(slot.searchInclude.includes("Slot:schedule"));
  assert.deepEqual(body.rest[0].operation.map((o: Json) => o.name), [
    "gpc.registerpatient",
    "gpc.getstructuredrecord",
  ]);
  assert.equal(
    body.rest[0].operation[0].definition.reference,
    "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-RegisterPatient-Operation-1",
  );
});

Deno.test("metadata: CapabilityStatement in XML via Accept and via _format", async () => {
  for (
    const res of [
      await call("/metadata", METADATA, { Accept: "application/fhir+xml" }),
      await call("/metadata?_format=application/fhir%2Bxml", METADATA),
      await call("/metadata?_format=xml", METADATA, { Accept: "application/fhir+json" }),
      await call("/metadata", METADATA, { Accept: null, "Content-Type": "application/fhir+xml" }),
    ]
  ) {
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
    const text = await res.text();
    assert.match(
      text,
      /^<\?xml version="1.0" encoding="UTF-8"\?><CapabilityStatement xmlns="http:\/\/hl7.org\/fhir">/,
    );
    assert.match(text, /<fhirVersion value="3.0.1"\/>/);
  }
});

Deno.test("read patient: CareConnect-GPC-Patient-1 with ETag", async () => {
  const res = await call("/Patient/2", READ);
  assert.equal(res.status, 200);
  const body: Json = await res.json();
  assert.equal(res.headers.get("ETag"), `W/"${body.meta.versionId}"`);
  assert.equal(body.resourceType, "Patient");
  assert.equal(body.id, "2");
  assert.deepEqual(body.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1",
  ]);
  assert.equal(body.identifier[0].system, NHS);
  assert.equal(body.identifier[0].value, "9690937286");
  assert.equal(body.identifier[0].extension[0].valueCodeableConcept.coding[0].code, "01");
  assert.equal(body.name[0].use, "official");
  assert.equal(body.name[0].family, "SKELLY");
  assert.equal(body.gender, "male");
  assert.equal(body.birthDate, "1942-02-03");
  assert.deepEqual(body.managingOrganization, { reference: "Organization/1" });
  const registration = body.extension[0].extension;
  assert.ok(registration.some((e: Json) => e.url === "preferredBranchSurgery"));
});

Deno.test("read patient: XML", async () => {
  const res = await call("/Patient/1", READ, { Accept: "application/fhir+xml" });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<Patient xmlns="http:\/\/hl7.org\/fhir"><id value="1"\/>/);
});

Deno.test("read patient: unknown and unserved ids → 404 PATIENT_NOT_FOUND", async () => {
  for (
    const id of [
      "999",
      "SomthingIncorrectWhichIsNotTheOnProviderSystem",
      "4543567638475665845564986758479086840564796854665748763454",
      "9", // sensitive
      "18", // deceased
      "21", // inactive
      "11", // superseded
      "14", // not on PDS
    ]
  ) {
    assert.equal(await errorCode(await call(`/Patient/${id}`, READ)), "404 PATIENT_NOT_FOUND", id);
  }
});

Deno.test("find patient: searchset with the patient", async () => {
  const res = await search(`${NHS}|9690937278`);
  assert.equal(res.status, 200);
  const body: Json = await res.json();
  assert.equal(body.resourceType, "Bundle");
  assert.equal(body.id, "bundle-1");
  assert.equal(body.type, "searchset");
  assert.deepEqual(body.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1",
  ]);
  assert.equal(body.meta.lastUpdated, "2025-01-15T10:00:00.000Z");
  assert.equal(body.entry.length, 1);
  assert.equal(body.total, undefined, "GPConnect-Searchset-Bundle-1 forbids Bundle.total");
  assert.equal(body.entry[0].search, undefined, "and entry.search");
  assert.equal(body.entry[0].fullUrl, `http://localhost${ROOT}/Patient/1`);
  assert.equal(body.entry[0].resource.identifier[0].value, "9690937278");
  const xml = await search(`${NHS}|9690937278`, { Accept: "application/fhir+xml" });
  assert.match(await xml.text(), /<Bundle xmlns="http:\/\/hl7.org\/fhir">.*<entry><fullUrl value=/);
});

Deno.test("find patient: unknown, sensitive, deceased, inactive → empty searchset", async () => {
  for (
    const role of [
      "not-found",
      "sensitive",
      "sensitive-2",
      "deceased",
      "inactive",
      "superseded",
      "not-on-pds",
      "registered-other-practice",
    ]
  ) {
    const res = await search(`${NHS}|${patientByRole(role).nhsNumber}`);
    assert.equal(res.status, 200, role);
    const body: Json = await res.json();
    assert.equal((body.entry ?? []).length, 0, role);
    assert.equal(body.entry, undefined, role);
  }
  for (const role of ["merged", "in-transit", "opted-out", "no-appointments", "large-document"]) {
    const body: Json = await (await search(`${NHS}|${patientByRole(role).nhsNumber}`)).json();
    assert.equal((body.entry ?? []).length, 1, role);
  }
});

Deno.test("find patient: parameter errors", async () => {
  assert.equal(await errorCode(await call("/Patient", SEARCH)), "400 BAD_REQUEST");
  assert.equal(
    await errorCode(await call(`/Patient?Identifier=${NHS}|9690937278`, SEARCH)),
    "400 BAD_REQUEST",
  );
  assert.equal(
    await errorCode(
      await call(`/Patient?identifier=${NHS}|9690937278&identifier=${NHS}|9690937286`, SEARCH),
    ),
    "400 BAD_REQUEST",
  );
  assert.equal(await errorCode(await search("9690937278")), "422 INVALID_PARAMETER");
  assert.equal(await errorCode(await search("|9690937278")), "422 INVALID_PARAMETER");
  assert.equal(await errorCode(await search(`${NHS}|`)), "422 INVALID_PARAMETER");
  assert.equal(
    await errorCode(await search("https://fhir.nhs.uk/Id/local|9690937278")),
    "400 INVALID_IDENTIFIER_SYSTEM",
  );
  assert.equal(
    await errorCode(await search("http://fhir.nhs.net/Id/nhs-number|9690937278")),
    "400 INVALID_IDENTIFIER_SYSTEM",
  );
  for (const bad of ["9690937279", "969093727", "96909372781", "96909372AB"]) {
    assert.equal(await errorCode(await search(`${NHS}|${bad}`)), "400 INVALID_NHS_NUMBER", bad);
  }
});

Deno.test("find patient: _count and _sort are tolerated", async () => {
  const res = await call(
    `/Patient?identifier=${encodeURIComponent(`${NHS}|9690937286`)}&_count=1&_sort=status`,
    SEARCH,
  );
  assert.equal(res.status, 200);
  assert.equal(((await res.json()).entry ?? []).length, 1);
});

Deno.test("practiceReferences: the practice Organization and its first site", () => {
  assert.deepEqual(practiceReferences(practiceData, "B82617"), {
    organizationId: "1",
    locationId: "1",
  });
  assert.deepEqual(practiceReferences(practiceData, "R1A14"), {
    organizationId: "2",
    locationId: "3",
  });
  assert.deepEqual(practiceReferences(practiceData, "A20047"), {
    organizationId: "1",
    locationId: "1",
  });
});

Deno.test("patientSearchNhsNumber: returns the number", () => {
  assert.equal(patientSearchNhsNumber([`${NHS}|9690937278`]), "9690937278");
  assert.throws(() => patientSearchNhsNumber(undefined), ProviderError);
});
