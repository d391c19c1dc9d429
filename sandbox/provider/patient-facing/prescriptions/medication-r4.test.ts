/**
 * The Prescriptions resources against R4's structure (r4-structure.ts: no UK Core or R4 profile
 * package is available) and UK Core's minimum viable content (Simplifier "GP Connect (Patient
 * Facing) Prescriptions", UKCore-MedicationRequest / -MedicationStatement / -Task pages), and
 * against the structured record they come from: the same medications, the same identifiers,
 * confidential items withheld, dates moving with the clock.
 */
import assert from "node:assert/strict";
import { fixturePatients } from "../../../pds/fixture-patients.ts";
import { clinicalRecordFor } from "../../clinical/clinical-records.ts";
import { practiceData } from "../../practice/practice-data.ts";
import { patientRegister } from "../../provider-patients.ts";
import { identifier } from "../../structured/resources/resource-common.ts";
import { r4StructureProblems } from "../../../../gpconnect/r4-structure.ts";
import { patientMedication } from "./medication-r4.ts";
import { practitionerRole } from "./practitioner-role-r4.ts";
import { taskResource } from "./task-resource.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const register = patientRegister(fixturePatients, "B82617");
const now = new Date("2026-03-04T09:00:00Z");

Deno.test("prescriptions R4 resources: R4 structure and UK Core minimum content for every served patient", () => {
  let checked = 0;
  for (const held of register.held.filter((entry) => entry.record.status === "active")) {
    const medication = patientMedication(held, practiceData, now);
    for (const resource of [...medication.statements, ...medication.requests]) {
      assert.deepEqual(
        r4StructureProblems(resource),
        [],
        `${held.patient.nhsNumber} ${resource.id}`,
      );
      const json: Json = resource;
      assert.ok(
        json.meta.profile[0].startsWith("https://fhir.hl7.org.uk/StructureDefinition/UKCore-"),
      );
      assert.ok(json.identifier[0].value);
      assert.ok(json.medicationCodeableConcept.coding[0].code);
      assert.equal(json.subject.reference, `Patient/${held.patient.nhsNumber}`);
      if (json.resourceType === "MedicationRequest") {
        for (
          const field of [
            "status",
            "intent",
            "category",
            "authoredOn",
            "requester",
            "courseOfTherapyType",
          ]
        ) {
          assert.ok(json[field] !== undefined, `${json.id} ${field}`);
        }
        const role = practitionerRole(
          practiceData,
          "B82617",
          json.requester.reference.split("/")[1],
        );
        assert.ok(role, json.requester.reference);
      }
      checked++;
    }
  }
  assert.ok(checked > 20);
  for (const practitioner of practiceData.practitioners) {
    assert.deepEqual(
      r4StructureProblems(practitionerRole(practiceData, "B82617", practitioner.id)!),
      [],
    );
  }
  const task = taskResource({
    id: "t1",
    versionId: 1,
    patientNhsNumber: "9690937286",
    focusId: "2-med-1-plan",
    focusDisplay: "Amlodipine 5mg tablets",
    status: "requested",
    authoredOn: now.toISOString(),
    lastModified: now.toISOString(),
    requestId: crypto.randomUUID(),
    actorNhsNumber: "9690937294",
    preferredPharmacy: "FLM49",
    note: "Before Friday please",
  });
  assert.deepEqual(r4StructureProblems(task), []);
  for (
    const field of [
      "id",
      "status",
      "intent",
      "code",
      "focus",
      "for",
      "authoredOn",
      "lastModified",
      "requester",
    ]
  ) {
    assert.ok((task as Json)[field] !== undefined, field);
  }
});

Deno.test("prescriptions R4 resources: the structured record's medications, identifiers and plans; confidential withheld; dates follow the clock", () => {
  const held = register.byNhsNumber("9690937286")!;
  const record = clinicalRecordFor("9690937286", now)!;
  const medication = patientMedication(held, practiceData, now);
  assert.equal(medication.statements.length, record.medications.length);
  for (const item of record.medications) {
    const statement: Json = medication.statements.find((s) => s.id === `2-${item.id}`);
    assert.ok(statement, item.id);
    const context = { nhsNumber: "9690937286", patientReference: "Patient/2" } as Json;
    assert.deepEqual(statement.identifier, identifier(context, item.id));
    assert.equal(statement.status, item.status);
    assert.equal(statement.effectivePeriod.start, item.start);
    const plan: Json = medication.requests.find((r) =>
      r.id === statement.basedOn[0].reference.split("/")[1]
    );
    assert.equal(plan.intent, "plan");
    assert.equal(plan.medicationCodeableConcept.coding[0].code, item.code.code);
    const course = plan.courseOfTherapyType.coding[0].code;
    assert.equal(
      course,
      {
        acute: "acute",
        repeat: "continuous",
        "repeat-dispensing": "continuous-repeat-dispensing",
      }[item.prescriptionType],
    );
    const orders = medication.requests.filter((r: Json) =>
      r.basedOn?.[0]?.reference === `MedicationRequest/${plan.id}`
    );
    assert.equal(orders.length, item.issues.length);
  }
  // 9690938118's Dolutegravir is confidential in the record: not shared here either.
  const confidential = patientMedication(register.byNhsNumber("9690938118")!, practiceData, now);
  const withheld = clinicalRecordFor("9690938118", now)!.medications.filter((m) => m.confidential);
  assert.ok(withheld.length > 0);
  for (const item of withheld) {
    assert.ok(
      !confidential.statements.some((s: Json) =>
        s.medicationCodeableConcept.text === item.code.display
      ),
    );
  }
  const later = patientMedication(held, practiceData, new Date(now.getTime() + 10 * 86_400_000));
  const shift = (list: typeof medication.requests) =>
    list.map((r: Json) => Date.parse(r.authoredOn));
  assert.deepEqual(
    shift(later.requests).map((t, i) => t - shift(medication.requests)[i]!),
    medication.requests.map(() => 10 * 86_400_000),
  );
});
