import assert from "node:assert/strict";
import { fixturePatients } from "../../pds/fixture-patients.ts";
import { practiceData } from "../practice/practice-data.ts";
import { patientRegister } from "../provider-patients.ts";
import { clinicalRecordFor, nhsNumbersWithClinicalRecords } from "./clinical-records.ts";
import type { ClinicalRecord } from "./clinical-record-types.ts";

const now = new Date("2025-03-10T15:00:00Z");

function items(record: ClinicalRecord) {
  return [
    ...record.allergies,
    ...record.medications,
    ...record.problems,
    ...record.consultations,
    ...record.immunisations,
    ...record.investigations,
    ...record.referrals,
    ...record.uncategorised,
    ...record.diary,
  ];
}

Deno.test("every served fixture patient has a record, and no one else", () => {
  const register = patientRegister(fixturePatients, "B82617");
  const served = register.held.filter((held) => held.record.status === "active");
  for (const held of served) {
    assert.ok(clinicalRecordFor(held.patient.nhsNumber, now), held.patient.role);
  }
  assert.equal(nhsNumbersWithClinicalRecords.length, served.length);
  for (const role of ["9690938533", "9690938681", "9690938142", "9690938622", "9999999999"]) {
    assert.equal(clinicalRecordFor(role, now), undefined, role);
  }
  assert.equal(clinicalRecordFor("toString", now), undefined);
});

Deno.test("each record is internally consistent: unique ids, resolvable links", () => {
  const practitioners = new Set(practiceData.practitioners.map((p) => p.id));
  const locations = new Set(practiceData.locations.map((l) => l.id));
  for (const nhsNumber of nhsNumbersWithClinicalRecords) {
    const record = clinicalRecordFor(nhsNumber, now)!;
    assert.equal(record.nhsNumber, nhsNumber);
    const all = items(record);
    const ids = [
      ...all.map((item) => item.id),
      ...record.medications.flatMap((m) => m.issues.map((issue) => issue.id)),
    ];
    assert.equal(new Set(ids).size, ids.length, `${nhsNumber}: duplicate ids`);
    const known = new Set(all.map((item) => item.id));
    const consultations = new Set(record.consultations.map((c) => c.id));
    const problems = new Set(record.problems.map((p) => p.id));
    for (const item of all) {
      assert.ok(practitioners.has(item.recorderId), `${nhsNumber} ${item.id} recorder`);
      if (item.consultationId) assert.ok(consultations.has(item.consultationId), item.id);
    }
    for (const problem of record.problems) {
      for (const id of problem.relatedItemIds) assert.ok(known.has(id), `${problem.id} → ${id}`);
    }
    for (const consultation of record.consultations) {
      assert.ok(locations.has(consultation.locationId));
      for (const topic of consultation.topics) {
        for (const id of topic.itemIds) assert.ok(known.has(id), `${consultation.id} → ${id}`);
        if (topic.problemId) assert.ok(problems.has(topic.problemId));
      }
    }
  }
});

Deno.test("dates are relative to now: past items before it, diary entries mostly after", () => {
  const today = now.toISOString().slice(0, 10);
  for (const nhsNumber of nhsNumbersWithClinicalRecords) {
    const record = clinicalRecordFor(nhsNumber, now)!;
    for (const item of items(record)) {
      assert.ok(item.recordedAt < today, `${nhsNumber} ${item.id} recorded ${item.recordedAt}`);
    }
    for (const medication of record.medications) {
      for (const issue of medication.issues) assert.ok(issue.date < today);
    }
  }
  const rich = clinicalRecordFor("9690937286", now)!;
  assert.ok(rich.diary.filter((entry) => entry.date > today).length >= 3);
  assert.ok(rich.diary.some((entry) => entry.date < today));
  assert.equal(rich.allergies.find((a) => a.id === "allergy-1")?.onset, "2015-03-13T09:30:00Z");
});

Deno.test("the record moves with the clock and is deterministic for a day", () => {
  const later = new Date(now.getTime() + 400 * 24 * 60 * 60 * 1000);
  const a = clinicalRecordFor("9690937286", now)!;
  const b = clinicalRecordFor("9690937286", later)!;
  assert.notEqual(a.medications[0]!.start, b.medications[0]!.start);
  assert.equal(
    (Date.parse(b.medications[0]!.start) - Date.parse(a.medications[0]!.start)) / 86_400_000,
    400,
  );
  const sameDay = clinicalRecordFor("9690937286", new Date("2025-03-10T00:00:01Z"))!;
  assert.deepEqual(sameDay, a);
});

Deno.test("role data: NKA, resolved, confidential, awaiting filing, in transit", () => {
  assert.equal(clinicalRecordFor("9690937375", now)!.noKnownAllergies, true);
  assert.equal(clinicalRecordFor("9690937278", now)!.noKnownAllergies, false);
  assert.equal(clinicalRecordFor("9690937278", now)!.allergies.length, 0);
  const ended = clinicalRecordFor("9690938126", now)!;
  assert.ok(ended.allergies.every((a) => a.clinicalStatus === "resolved" && a.endDate));
  const confidential = clinicalRecordFor("9690938118", now)!;
  assert.ok(confidential.allergies.some((a) => a.confidential));
  assert.ok(confidential.allergies.some((a) => !a.confidential));
  assert.ok(clinicalRecordFor("9690937294", now)!.investigations.some((i) => i.awaitingFiling));
  const transit = clinicalRecordFor("9690938096", now)!;
  assert.equal(transit.inTransit, true);
  assert.equal(transit.inTransitSince, "2025-02-17");
  const rich = clinicalRecordFor("9690937286", now)!;
  assert.ok(rich.medications.some((m) => m.prescriptionType === "acute"));
  assert.ok(rich.medications.some((m) => m.prescriptionType === "repeat"));
  assert.ok(rich.immunisations.some((i) => i.notGiven));
  assert.ok(rich.problems.some((p) => p.status === "inactive"));
  assert.ok(rich.problems.some((p) => p.relatedItemIds.some((id) => id.startsWith("allergy-"))));
});
