import assert from "node:assert/strict";
import { createProviderSandbox } from "../provider-sandbox.ts";
import { providerRequestHeaders } from "../provider-request.ts";
import { parameter, structuredInteractions } from "./structured-requests.ts";
import {
  entryReferences as ids,
  everyAreaListTitles,
  getStructured as get,
  type Json,
  listTitled as list,
  primaryListTitles,
  resourcesOf as resources,
  testIssuedAt as issuedAt,
  testNow as now,
} from "./structured-test-support.ts";

const root = "http://127.0.0.1:8083/B82617/STU3/1/gpconnect/structured/fhir";

const allergies = (resolved: boolean) =>
  parameter("includeAllergies", { includeResolvedAllergies: { valueBoolean: resolved } });

Deno.test("GET /metadata: the structured CapabilityStatement with both operations", async () => {
  const app = createProviderSandbox({ now: () => now });
  const response = await app.request(`${root}/metadata`, {
    headers: providerRequestHeaders(structuredInteractions.metadata, { issuedAt }),
  });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.resourceType, "CapabilityStatement");
  assert.equal(body.fhirVersion, "3.0.1");
  assert.deepEqual(body.rest[0].operation.map((o: Json) => o.name), [
    "gpc.getstructuredrecord",
    "gpc.migratestructuredrecord",
  ]);
  assert.ok(
    body.profile.some((p: Json) =>
      p.reference.endsWith("GPConnect-StructuredRecord-Bundle-1/_history/1.3")
    ),
  );
});

Deno.test("the Bundle: collection, id = Ssp-TraceID, profiles everywhere, closed references", async () => {
  const everything = [
    allergies(true),
    parameter("includeMedication"),
    parameter("includeConsultations"),
    parameter("includeProblems"),
    parameter("includeImmunisations"),
    parameter("includeUncategorisedData"),
    parameter("includeInvestigations"),
    parameter("includeReferrals"),
    parameter("includeDiaryEntries"),
  ];
  const { status, body, response } = await get("9690937286", everything, {
    overrides: { "Ssp-TraceID": "5d1f1d7c-2f39-4c6a-9a0e-1a2b3c4d5e6f" },
  });
  assert.equal(status, 200);
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  assert.match(response.headers.get("Content-Type") ?? "", /application\/fhir\+json/);
  assert.equal(body.resourceType, "Bundle");
  assert.equal(body.type, "collection");
  assert.equal(body.id, "5d1f1d7c-2f39-4c6a-9a0e-1a2b3c4d5e6f");
  assert.deepEqual(body.meta.profile, [
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-StructuredRecord-Bundle-1",
  ]);
  const all = resources(body);
  const keys = all.map((r) => `${r.resourceType}/${r.id}`);
  assert.equal(new Set(keys).size, keys.length, "no duplicate resources");
  for (const resource of all) {
    assert.equal(resource.meta?.profile?.length, 1, keys[all.indexOf(resource)]);
  }
  const patient = resources(body, "Patient")[0]!;
  assert.equal(patient.identifier[0].value, "9690937286");
  assert.deepEqual(patient.generalPractitioner, [{ reference: "Practitioner/3" }]);
  assert.deepEqual(patient.managingOrganization, { reference: "Organization/1" });
  assert.equal(resources(body, "Organization")[0]!.identifier[0].value, "B82617");
  assert.ok(
    resources(body, "PractitionerRole").some((r) => r.practitioner.reference === "Practitioner/3"),
  );
  const present = new Set(keys);
  const walk = (value: unknown, within: Json): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, within));
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "reference" && typeof inner === "string") {
          const ok = inner.startsWith("#")
            ? (within.contained ?? []).some((c: Json) => `#${c.id}` === inner)
            : present.has(inner);
          assert.ok(ok, `dangling ${inner} in ${within.resourceType}/${within.id}`);
        } else walk(inner, within);
      }
    }
  };
  for (const resource of all) walk(resource, resource);
  assert.deepEqual(primaryListTitles(body), everyAreaListTitles);
  assert.equal(resources(body, "OperationOutcome").length, 0);
});

Deno.test("the NHS number alone returns demographics only; XML on request", async () => {
  const json = await get("9690937278", []);
  assert.equal(json.status, 200);
  assert.deepEqual(resources(json.body).map((r) => r.resourceType), [
    "Patient",
    "Organization",
    "Practitioner",
    "PractitionerRole",
    "Location", // the patient's preferred branch surgery
  ]);
  const xml = await get("9690937278", [], { overrides: { Accept: "application/fhir+xml" } });
  assert.equal(xml.status, 200);
  assert.match(xml.response.headers.get("Content-Type") ?? "", /application\/fhir\+xml/);
  assert.match(
    xml.text,
    /^<\?xml .*<Bundle xmlns="http:\/\/hl7.org\/fhir"><id value="[^"]+"\/><meta>/,
  );
  assert.match(xml.text, /<type value="collection"\/>/);
});

Deno.test("allergies: active list, ended allergies contained, linked problem list", async () => {
  const active = await get("9690937286", [allergies(false)]);
  assert.deepEqual(ids(list(active.body, "Allergies and adverse reactions")), [
    "AllergyIntolerance/allergy-1",
    "AllergyIntolerance/allergy-2",
  ]);
  assert.equal(resources(active.body, "List").some((l) => l.title === "Ended allergies"), false);
  const linked = list(active.body, "Problems - linked problems not relating to the primary query");
  assert.deepEqual(ids(linked), ["Condition/prob-3"]);
  const asthma = resources(active.body, "Condition")[0]!;
  assert.ok(
    asthma.extension.some((e: Json) =>
      e.valueReference?.reference === "AllergyIntolerance/allergy-2"
    ),
  );
  assert.equal(resources(active.body, "List").length, 2);

  const resolved = await get("9690937286", [allergies(true)]);
  const ended = list(resolved.body, "Ended allergies");
  assert.equal(ended.code.coding[0].code, "1103671000000101");
  assert.deepEqual(ids(ended), ["#allergy-3", "#allergy-4"]);
  assert.deepEqual(ended.contained.map((c: Json) => c.clinicalStatus), ["resolved", "resolved"]);
  const end = ended.contained[0].extension[0];
  assert.match(end.url, /AllergyIntoleranceEnd-1$/);
  assert.deepEqual(end.extension.map((e: Json) => e.url), ["endDate", "reasonEnded"]);
  assert.equal(
    resources(resolved.body, "AllergyIntolerance").length,
    2,
    "resolved ones are only contained",
  );
  assert.equal(resources(resolved.body, "List").length, 3);
});

Deno.test("allergies: explicit NKA, nothing recorded, only ended ones", async () => {
  const nka = await get("9690937375", [allergies(true)]);
  const nkaList = list(nka.body, "Allergies and adverse reactions");
  assert.deepEqual(ids(nkaList), ["AllergyIntolerance/allergy-nka"]);
  assert.equal(nkaList.emptyReason, undefined);
  assert.equal(resources(nka.body, "AllergyIntolerance")[0]!.code.coding[0].code, "716186003");
  assert.ok(list(nka.body, "Ended allergies").emptyReason);

  const none = await get("9690937278", [allergies(false)]);
  const empty = list(none.body, "Allergies and adverse reactions");
  assert.equal(empty.entry, undefined);
  assert.equal(empty.emptyReason.coding[0].code, "no-content-recorded");
  assert.equal(
    empty.emptyReason.coding[0].system,
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-ListEmptyReasonCode-1",
  );
  assert.deepEqual(empty.note, [{ text: "Information not available" }]);

  const endedOnly = await get("9690938126", [allergies(true)]);
  assert.ok(list(endedOnly.body, "Allergies and adverse reactions").emptyReason);
  assert.equal(ids(list(endedOnly.body, "Ended allergies")).length, 2);
});

Deno.test("medication: statements, plans, issues as orders, search date and issue switch", async () => {
  const all = await get("9690937286", [parameter("includeMedication")]);
  assert.equal(ids(list(all.body, "Medications and medical devices")).length, 6);
  const requests = resources(all.body, "MedicationRequest");
  const plans = requests.filter((r) => r.intent === "plan");
  const orders = requests.filter((r) => r.intent === "order");
  assert.equal(plans.length, 6);
  assert.equal(orders.length, 14);
  for (const order of orders) {
    assert.match(order.basedOn[0].reference, /^MedicationRequest\/med-\d-plan$/);
  }
  const statement = resources(all.body, "MedicationStatement").find((s) => s.id === "med-1")!;
  assert.deepEqual(statement.basedOn, [{ reference: "MedicationRequest/med-1-plan" }]);
  assert.equal(statement.extension[0].valueDateTime, "2025-02-08T10:20:00Z", "last issue date");
  assert.equal(resources(all.body, "Medication").length, 6);
  assert.equal(
    plans.find((p) => p.id === "med-3-plan")!.extension[0].valueCodeableConcept.coding[0].code,
    "acute",
  );

  const noIssues = await get("9690937286", [
    parameter("includeMedication", { includePrescriptionIssues: { valueBoolean: false } }),
  ]);
  assert.equal(
    resources(noIssues.body, "MedicationRequest").filter((r) => r.intent === "order").length,
    0,
  );

  const recent = await get("9690937286", [
    parameter("includeMedication", { medicationSearchFromDate: { valueDate: "2024-10-11" } }),
  ]);
  assert.deepEqual(ids(list(recent.body, "Medications and medical devices")), [
    "MedicationStatement/med-1",
    "MedicationStatement/med-2",
    "MedicationStatement/med-4",
    "MedicationStatement/med-6",
  ]);
  assert.deepEqual(
    resources(recent.body, "MedicationRequest").filter((r) => r.intent === "order").map((r) =>
      r.id
    ),
    ["med-1-issue-3", "med-1-issue-4", "med-2-issue-3", "med-4-issue-2", "med-6-issue-3"],
  );
});
