import assert from "node:assert/strict";
import { patientDemographics, type PdsPatient, ukDate } from "./pds-patient-record.ts";

const today = "2026-05-01";

Deno.test("pds patient: current family names, usual first; old, maiden, nickname and ended ones left out", () => {
  const patient: PdsPatient = {
    resourceType: "Patient",
    name: [
      { use: "official", family: "Official" },
      { use: "old", family: "Killen" },
      { use: "maiden", family: "Maiden" },
      { use: "nickname", family: "Nick" },
      { use: "temp", family: "Ended", period: { start: "2020-01-01", end: "2025-12-31" } },
      { use: "temp", family: "Later", period: { start: "2026-06-01" } },
      { use: "usual", family: "Sanderson", period: { start: "2019-01-01" } },
      { use: "usual", family: "Sanderson" },
      { use: "usual", family: "" },
      { family: "NoUse" },
    ],
    birthDate: "1936-06-21",
  };
  const demographics = patientDemographics(patient, "9732110317", "9732110317", today);
  assert.deepEqual(demographics.familyNames, ["Sanderson", "Official", "NoUse"]);
  assert.equal(demographics.birthDate, "1936-06-21");
  assert.equal(demographics.gpOdsCode, undefined);
});

Deno.test("pds patient: the current practice of several, by period", () => {
  const gp = (value: string, start: string, end?: string) => ({
    identifier: {
      system: "https://fhir.nhs.uk/Id/ods-organization-code",
      value,
      period: { start, ...(end ? { end } : {}) },
    },
  });
  const patient: PdsPatient = {
    generalPractitioner: [gp("A20047", "2001-01-01", "2020-06-30"), gp("B82617", "2020-07-01")],
  };
  assert.equal(patientDemographics(patient, "1", "1", today).gpOdsCode, "B82617");
  assert.equal(patientDemographics(patient, "1", "1", "2019-01-01").gpOdsCode, "A20047");
  const otherSystem: PdsPatient = {
    generalPractitioner: [{ identifier: { system: "urn:other", value: "B82617" } }],
  };
  assert.equal(patientDemographics(otherSystem, "1", "1", today).gpOdsCode, undefined);
});

Deno.test("pds patient: UK civil date", () => {
  assert.equal(ukDate(Date.UTC(2026, 5, 30, 23, 30)), "2026-07-01");
  assert.equal(ukDate(Date.UTC(2026, 0, 31, 23, 30)), "2026-01-31");
});
