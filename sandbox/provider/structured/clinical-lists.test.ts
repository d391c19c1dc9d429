import assert from "node:assert/strict";
import { clinicalList, primaryLists, secondaryList, transitDate } from "./clinical-lists.ts";

const base = { patientReference: "Patient/2", date: "2025-03-10T15:00:00.000Z" };

Deno.test("a list with entries: snapshot, current, coded, clinical setting, no empty reason", () => {
  const list = clinicalList(
    primaryLists.medications,
    [{ reference: "MedicationStatement/med-1" }],
    {
      ...base,
      warnings: new Set(),
    },
  );
  assert.equal(list.id, "list-medications");
  assert.equal(list.status, "current");
  assert.equal(list.mode, "snapshot");
  assert.equal(list.title, "Medications and medical devices");
  assert.deepEqual(list.code, {
    coding: [{
      system: "http://snomed.info/sct",
      code: "933361000000108",
      display: "Medications and medical devices",
    }],
  });
  assert.deepEqual(list.subject, { reference: "Patient/2" });
  assert.deepEqual(list.entry, [{ item: { reference: "MedicationStatement/med-1" } }]);
  assert.equal(list.emptyReason, undefined);
  assert.equal(list.note, undefined);
  assert.equal((list.extension as Array<{ url: string }>).length, 1);
});

Deno.test("an empty list: emptyReason no-content-recorded and the note", () => {
  const list = clinicalList(primaryLists.allergies, [], { ...base, warnings: new Set() });
  assert.equal(list.entry, undefined);
  assert.deepEqual(list.emptyReason, {
    coding: [{
      system: "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-ListEmptyReasonCode-1",
      code: "no-content-recorded",
      display: "No Content Recorded",
    }],
  });
  assert.deepEqual(list.note, [{ text: "Information not available" }]);
});

Deno.test("warnings: one extension and one note each, in-transit note dated", () => {
  const list = clinicalList(primaryLists.referrals, [{ reference: "ReferralRequest/ref-1" }], {
    ...base,
    warnings: new Set(["data-in-transit", "data-awaiting-filing", "confidential-items"] as const),
    inTransitSince: "2025-02-17",
  });
  const extensions = list.extension as Array<{ url: string; valueCode?: string }>;
  assert.deepEqual(extensions.slice(1).map((e) => e.valueCode), [
    "confidential-items",
    "data-awaiting-filing",
    "data-in-transit",
  ]);
  assert.ok(
    extensions.slice(1).every((e) => e.url.endsWith("Extension-CareConnect-GPC-ListWarningCode-1")),
  );
  assert.deepEqual((list.note as Array<{ text: string }>).map((n) => n.text), [
    "Items excluded due to confidentiality and/or patient preferences.",
    "Patient data may be incomplete as there is data supplied by a third party awaiting review before becoming available.",
    "Patient record transfer from previous GP practice not yet complete; information recorded before 17-Feb-2025 may be missing.",
  ]);
});

Deno.test("secondary lists and titles follow the spec's tables", () => {
  assert.deepEqual(secondaryList("problems-linked-problems-not-relating-to-the-primary-query"), {
    id: "problems-linked-problems-not-relating-to-the-primary-query",
    title: "Problems - linked problems not relating to the primary query",
    system: "https://fhir.hl7.org.uk/STU3/CodeSystem/GPConnect-SecondaryListValues-1",
    code: "problems-linked-problems-not-relating-to-the-primary-query",
    display: "Problems - linked problems not relating to the primary query",
  });
  assert.equal(
    secondaryList("consultations-outbound-referrals-in-consultations").title,
    "Consultations - outbound referrals in consultations",
  );
  assert.equal(primaryLists.uncategorised.title, "Uncategorised data");
  assert.equal(primaryLists.uncategorised.display, "Miscellaneous record");
  assert.equal(primaryLists.diary.title, "Patient recall administration");
  assert.equal(transitDate("2025-12-01"), "01-Dec-2025");
});
