import assert from "node:assert/strict";
import { clinicalRecordFor } from "../clinical/clinical-records.ts";
import type { MedicationItem } from "../clinical/clinical-record-types.ts";
import {
  activeOnOrAfter,
  inPeriod,
  matchingConsultations,
  matchingMedications,
  matchingProblems,
} from "./area-filters.ts";

const record = clinicalRecordFor("9690937286", new Date("2025-03-10T15:00:00Z"))!;

const medication = (fields: Partial<MedicationItem>): MedicationItem => ({
  ...record.medications[0]!,
  ...fields,
});

Deno.test("inPeriod compares whole days, both ends inclusive and optional", () => {
  assert.ok(inPeriod("2025-01-01T23:59:00Z", { start: "2025-01-01", end: "2025-01-01" }));
  assert.ok(!inPeriod("2024-12-31T23:59:00Z", { start: "2025-01-01" }));
  assert.ok(inPeriod("2000-01-01", undefined));
  assert.ok(!inPeriod("2025-01-02", { end: "2025-01-01" }));
});

Deno.test("a medication is active to its end; an acute without end only on its start day", () => {
  const from = "2025-01-10";
  assert.ok(activeOnOrAfter(medication({ start: "2024-01-01", end: "2025-01-10" }), from));
  assert.ok(!activeOnOrAfter(medication({ start: "2024-01-01", end: "2025-01-09" }), from));
  const { end: _end, ...ongoing } = medication({ start: "2020-01-01" });
  assert.ok(activeOnOrAfter({ ...ongoing, prescriptionType: "repeat" }, from));
  assert.ok(!activeOnOrAfter({ ...ongoing, prescriptionType: "acute" }, from));
  assert.ok(activeOnOrAfter({ ...ongoing, start: "2025-01-10", prescriptionType: "acute" }, from));
  assert.ok(activeOnOrAfter({ ...ongoing, prescriptionType: "repeat-dispensing" }, from));
  assert.equal(matchingMedications(record, undefined).length, record.medications.length);
});

Deno.test("consultations by period and by most recent", () => {
  assert.deepEqual(
    matchingConsultations(record, { mostRecent: 3 }).map((c) => c.id),
    ["cons-1", "cons-5", "cons-2"],
  );
  assert.deepEqual(
    matchingConsultations(record, { period: { start: "2025-02-08", end: "2025-02-08" } }).map((c) =>
      c.id
    ),
    ["cons-1"],
  );
});

Deno.test("problems match any pair", () => {
  assert.deepEqual(matchingProblems(record, [{}]).length, 5);
  assert.deepEqual(
    matchingProblems(record, [{ status: "inactive", significance: "minor" }]).map((p) => p.id),
    ["prob-4"],
  );
});
