import assert from "node:assert/strict";
import { parameter } from "./structured-requests.ts";
import {
  entryReferences as ids,
  getStructured as get,
  hasList,
  type Json,
  listTitled as list,
  listWarnings as warnings,
  resourcesOf as resources,
  testNow,
} from "./structured-test-support.ts";

const period = (start?: string, end?: string) => ({
  valuePeriod: { ...(start ? { start } : {}), ...(end ? { end } : {}) },
});

Deno.test("consultations: encounters, structure lists, most recent, search period", async () => {
  const all = await get("9690937286", [parameter("includeConsultations")]);
  assert.equal(all.status, 200);
  const consultations = list(all.body, "List of consultations");
  assert.equal(consultations.code.coding[0].code, "1149501000000101");
  assert.equal(ids(consultations).length, 5);
  const encounter = resources(all.body, "Encounter").find((e) => e.id === "cons-1")!;
  assert.deepEqual(encounter.period, {
    start: "2025-02-08T10:00:00Z",
    end: "2025-02-08T10:15:00Z",
  });
  assert.deepEqual(encounter.location, [{ location: { reference: "Location/1" } }]);
  const structure = resources(all.body, "List").filter((l) =>
    l.encounter?.reference === "Encounter/cons-1"
  );
  assert.deepEqual(structure.map((l) => l.code.coding[0].code), [
    "325851000000107",
    "25851000000105",
    "25851000000105",
    "24781000000107",
    "24781000000107",
  ]);
  const topic = structure[1]!;
  assert.equal(topic.title, "Hypertension review");
  assert.equal(topic.extension[0].extension[1].valueReference.reference, "Condition/prob-1");
  assert.deepEqual(ids(structure[3]!), ["Observation/obs-1", "Observation/obs-3"]);
  assert.deepEqual(
    ids(list(all.body, "Consultations - medications contained in consultations")),
    ["MedicationStatement/med-3", "MedicationStatement/med-1"],
  );
  assert.ok(hasList(all.body, "Consultations - problems contained in consultations"));

  const recent = await get("9690937286", [
    parameter("includeConsultations", { includeNumberOfMostRecent: { valuePositiveInt: 2 } }),
  ]);
  assert.deepEqual(ids(list(recent.body, "List of consultations")), [
    "Encounter/cons-1",
    "Encounter/cons-5",
  ]);

  const between = await get("9690937286", [
    parameter("includeConsultations", {
      consultationSearchPeriod: period("2024-02-01", "2024-09-01"),
    }),
  ]);
  assert.deepEqual(ids(list(between.body, "List of consultations")), [
    "Encounter/cons-2",
    "Encounter/cons-3",
  ]);

  const none = await get("9690937383", [parameter("includeConsultations")]);
  assert.ok(list(none.body, "List of consultations").emptyReason);
});

Deno.test("problems: status and significance pairs, secondary lists of linked items", async () => {
  const titles = (body: Json) => ids(list(body, "Problems"));
  const active = await get("9690937286", [
    parameter("includeProblems", { filterStatus: { valueCode: "active" } }),
  ]);
  assert.deepEqual(titles(active.body), [
    "Condition/prob-1",
    "Condition/prob-2",
    "Condition/prob-3",
  ]);
  assert.deepEqual(
    ids(list(active.body, "Problems - medications related to problems")),
    ["MedicationStatement/med-1", "MedicationStatement/med-2", "MedicationStatement/med-4"],
  );
  assert.deepEqual(
    ids(list(active.body, "Problems - consultations related to problems")),
    ["Encounter/cons-1", "Encounter/cons-4", "Encounter/cons-3"],
  );
  assert.deepEqual(ids(list(active.body, "Problems - allergies related to problems")), [
    "AllergyIntolerance/allergy-2",
  ]);
  const secondary = list(active.body, "Problems - uncategorised data related to problems");
  assert.equal(
    secondary.code.coding[0].system,
    "https://fhir.hl7.org.uk/STU3/CodeSystem/GPConnect-SecondaryListValues-1",
  );
  assert.equal(secondary.code.coding[0].code, "problems-uncategorised-data-related-to-problems");
  const hypertension = resources(active.body, "Condition").find((c) => c.id === "prob-1")!;
  assert.equal(hypertension.extension[0].valueCode, "major");
  assert.equal(hypertension.category[0].coding[0].code, "problem-list-item");
  assert.deepEqual(
    hypertension.extension.slice(1).map((e: Json) => e.valueReference.reference),
    ["MedicationStatement/med-1", "Observation/obs-1", "Observation/obs-2"],
  );

  const major = await get("9690937286", [
    parameter("includeProblems", { filterSignificance: { valueCode: "major" } }),
  ]);
  assert.deepEqual(titles(major.body), [
    "Condition/prob-1",
    "Condition/prob-2",
    "Condition/prob-5",
  ]);
  const pairs = await get("9690937286", [
    parameter("includeProblems", {
      filterStatus: { valueCode: "active" },
      filterSignificance: { valueCode: "minor" },
    }),
    parameter("includeProblems", {
      filterStatus: { valueCode: "inactive" },
      filterSignificance: { valueCode: "major" },
    }),
  ]);
  assert.deepEqual(titles(pairs.body), ["Condition/prob-3", "Condition/prob-5"]);
  const none = await get("9690937294", [parameter("includeProblems")]);
  assert.ok(list(none.body, "Problems").emptyReason);
  assert.equal(resources(none.body, "List").length, 1);
});

Deno.test("immunisations: given only by default, not given on request, status observations", async () => {
  const given = await get("9690937286", [parameter("includeImmunisations")]);
  assert.deepEqual(ids(list(given.body, "Immunisations")), [
    "Immunization/imm-1",
    "Immunization/imm-2",
    "Immunization/imm-4",
    "Observation/obs-6",
  ]);
  const status = resources(given.body, "Observation").find((o) => o.id === "obs-6")!;
  assert.equal(status.code.coding[0].code, "310376006");
  const all = await get("9690937286", [
    parameter("includeImmunisations", {
      includeNotGiven: { valueBoolean: true },
      includeStatus: { valueBoolean: false },
    }),
  ]);
  assert.deepEqual(ids(list(all.body, "Immunisations")), [
    "Immunization/imm-1",
    "Immunization/imm-2",
    "Immunization/imm-3",
    "Immunization/imm-4",
  ]);
  const declined = resources(all.body, "Immunization").find((i) => i.id === "imm-3")!;
  assert.equal(declined.notGiven, true);
  assert.deepEqual(declined.explanation, { reasonNotGiven: [{ text: "Patient declined" }] });
  assert.equal(resources(all.body, "Observation").length, 0);
});

Deno.test("uncategorised data, investigations, referrals, diary: filters by date", async () => {
  const since = period("2025-01-01");
  const uncategorised = await get("9690937286", [
    parameter("includeUncategorisedData", { uncategorisedDataSearchPeriod: since }),
  ]);
  assert.deepEqual(ids(list(uncategorised.body, "Uncategorised data")), [
    "Observation/obs-1",
    "Observation/obs-3",
  ]);
  const bp = resources(uncategorised.body, "Observation").find((o) => o.id === "obs-1")!;
  assert.deepEqual(bp.component.map((c: Json) => c.valueQuantity.value), [142, 88]);
  const weight = resources(uncategorised.body, "Observation").find((o) => o.id === "obs-3")!;
  assert.deepEqual(weight.valueQuantity, {
    value: 82,
    unit: "kg",
    system: "http://unitsofmeasure.org",
    code: "kg",
  });

  const investigations = await get("9690937286", [
    parameter("includeInvestigations", { investigationSearchPeriod: since }),
  ]);
  assert.deepEqual(ids(list(investigations.body, "Investigations and results")), [
    "DiagnosticReport/inv-2",
    "DiagnosticReport/inv-3",
  ]);
  const fbc = resources(investigations.body, "DiagnosticReport").find((r) => r.id === "inv-2")!;
  assert.deepEqual(fbc.result, [{ reference: "Observation/inv-2-group" }]);
  assert.equal(resources(investigations.body, "Specimen").length, 2);
  const potassium = resources(investigations.body, "Observation").find((o) =>
    o.id === "inv-3-result-2"
  )!;
  assert.equal(potassium.interpretation.coding[0].code, "H");

  const referrals = await get("9690937286", [
    parameter("includeReferrals", { referralSearchPeriod: since }),
  ]);
  assert.deepEqual(ids(list(referrals.body, "Outbound referral")), ["ReferralRequest/ref-2"]);
  assert.equal(resources(referrals.body, "ReferralRequest")[0]!.priority, "urgent");

  const diary = await get("9690937286", [
    parameter("includeDiaryEntries", { diaryEntriesSearchDate: { valueDate: "2025-03-30" } }),
  ]);
  assert.deepEqual(ids(list(diary.body, "Patient recall administration")), [
    "ProcedureRequest/diary-2",
    "ProcedureRequest/diary-4",
  ]);
  const allDiary = await get("9690937286", [parameter("includeDiaryEntries")]);
  assert.equal(ids(list(allDiary.body, "Patient recall administration")).length, 4);
  const first = resources(allDiary.body, "ProcedureRequest")[0]!;
  assert.equal(first.intent, "plan");
  assert.equal(first.occurrenceDateTime, "2025-04-09T09:30:00Z");
});

Deno.test("warnings: confidential items, data in transit, data awaiting filing", async () => {
  const confidential = await get("9690938118", [
    parameter("includeAllergies", { includeResolvedAllergies: { valueBoolean: false } }),
  ]);
  const allergies = list(confidential.body, "Allergies and adverse reactions");
  assert.deepEqual(ids(allergies), ["AllergyIntolerance/allergy-1"]);
  assert.deepEqual(warnings(allergies), ["confidential-items", "data-in-transit"]);
  assert.deepEqual(allergies.note.map((n: Json) => n.text), [
    "Items excluded due to confidentiality and/or patient preferences.",
    "Patient record transfer from previous GP practice not yet complete; information recorded before 09-Jan-2025 may be missing.",
  ]);
  assert.equal(resources(confidential.body, "List").length, 1);

  const referrals = await get("9690938118", [parameter("includeReferrals")]);
  const withheld = list(referrals.body, "Outbound referral");
  assert.equal(withheld.entry, undefined);
  assert.equal(withheld.emptyReason.coding[0].code, "no-content-recorded");
  assert.deepEqual(warnings(withheld), ["confidential-items", "data-in-transit"]);

  const transit = await get("9690938096", [
    parameter("includeAllergies", { includeResolvedAllergies: { valueBoolean: true } }),
    parameter("includeMedication"),
    parameter("includeReferrals"),
  ]);
  const transitLists = resources(transit.body, "List");
  assert.ok(
    ["Allergies and adverse reactions", "Ended allergies", "Outbound referral"].every((title) =>
      transitLists.some((l) => l.title === title)
    ),
  );
  for (const l of transitLists) {
    assert.deepEqual(warnings(l), ["data-in-transit"], l.title);
    assert.match(l.note[0].text, /information recorded before 17-Feb-2025 may be missing\.$/);
  }

  const filing = await get("9690937294", [parameter("includeInvestigations")]);
  const results = list(filing.body, "Investigations and results");
  assert.deepEqual(ids(results), ["DiagnosticReport/inv-1", "DiagnosticReport/inv-2"]);
  assert.deepEqual(warnings(results), ["data-awaiting-filing"]);

  const clean = await get("9690937286", [parameter("includeMedication")]);
  assert.deepEqual(warnings(list(clean.body, "Medications and medical devices")), []);
});

Deno.test("unknown parameters and parts: 200 with one OperationOutcome of warnings", async () => {
  const result = await get("9690937286", [
    parameter("includeMadeUp"),
    parameter("includeMedication", { madeUpProblems: { valueBoolean: true } }),
  ]);
  assert.equal(result.status, 200);
  const outcomes = resources(result.body, "OperationOutcome");
  assert.equal(outcomes.length, 1);
  assert.deepEqual(
    outcomes[0]!.issue.map((i: Json) => [i.severity, i.code, i.details.text, i.diagnostics]),
    [
      ["warning", "not-supported", "includeMadeUp is an unrecognised parameter", "includeMadeUp"],
      [
        "warning",
        "not-supported",
        "includeMedication.madeUpProblems is an unrecognised parameter",
        "includeMedication.madeUpProblems",
      ],
    ],
  );
  assert.deepEqual(outcomes[0]!.issue[0].details.coding, [{
    system: "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1",
    code: "NOT_IMPLEMENTED",
    display: "Not implemented",
  }]);
  assert.ok(hasList(result.body, "Medications and medical devices"));
});

Deno.test("the data moves with the clock", async () => {
  const later = new Date(testNow.getTime() + 400 * 86_400_000);
  const parameters = [
    parameter("includeAllergies", { includeResolvedAllergies: { valueBoolean: false } }),
    parameter("includeDiaryEntries"),
  ];
  const a = await get("9690937286", parameters);
  const b = await get("9690937286", parameters, { at: later });
  const onset = (body: Json) => resources(body, "AllergyIntolerance")[0]!.onsetDateTime as string;
  assert.equal((Date.parse(onset(b.body)) - Date.parse(onset(a.body))) / 86_400_000, 400);
  for (const { body, at } of [{ body: a.body, at: testNow }, { body: b.body, at: later }]) {
    const future = resources(body, "ProcedureRequest")
      .filter((p) => Date.parse(p.occurrenceDateTime) > at.getTime());
    assert.equal(future.length, 3);
  }
  const recent = await get("9690937286", [
    parameter("includeMedication", { medicationSearchFromDate: { valueDate: "2026-03-15" } }),
  ], { at: later });
  assert.equal(recent.status, 200);
  assert.equal(ids(list(recent.body, "Medications and medical devices")).length, 4);
});
