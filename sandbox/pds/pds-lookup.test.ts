import assert from "node:assert/strict";
import { type FixturePatient, fixturePatients, patientByRole } from "./fixture-patients.ts";
import { lookupPdsRecord } from "./pds-lookup.ts";
import { PdsError } from "./pds-outcome.ts";

function errorCode(patients: readonly FixturePatient[], nhsNumber: string): string | undefined {
  try {
    lookupPdsRecord(patients, nhsNumber);
  } catch (error) {
    if (error instanceof PdsError) return error.code;
    throw error;
  }
  return undefined;
}

Deno.test("lookupPdsRecord: present, superseded, invalidated, absent, invalid", () => {
  const present = lookupPdsRecord(fixturePatients, "9690937278");
  assert.equal(present.patient.role, "no-allergies");
  assert.equal(present.superseded, false);
  const merged = lookupPdsRecord(fixturePatients, patientByRole("superseded").nhsNumber);
  assert.equal(merged.patient.role, "merged");
  assert.equal(merged.superseded, true);
  assert.equal(errorCode(fixturePatients, "9990000190"), "INVALIDATED_RESOURCE");
  assert.equal(errorCode(fixturePatients, "9476718943"), "RESOURCE_NOT_FOUND");
  assert.equal(errorCode(fixturePatients, "9999999999"), "RESOURCE_NOT_FOUND");
  assert.equal(errorCode(fixturePatients, "9000000000"), "INVALID_RESOURCE_ID");
  assert.equal(errorCode(fixturePatients, ""), "INVALID_RESOURCE_ID");
});

Deno.test("lookupPdsRecord: a supersede cycle or dangling target ends in RESOURCE_NOT_FOUND", () => {
  const cycle: FixturePatient[] = [
    {
      role: "a",
      description: "",
      nhsNumber: "9000000009",
      pds: { record: "superseded", supersededBy: "9000000017" },
    },
    {
      role: "b",
      description: "",
      nhsNumber: "9000000017",
      pds: { record: "superseded", supersededBy: "9000000009" },
    },
    {
      role: "c",
      description: "",
      nhsNumber: "9000000025",
      pds: { record: "superseded", supersededBy: "9000000033" },
    },
  ];
  assert.equal(errorCode(cycle, "9000000009"), "RESOURCE_NOT_FOUND");
  assert.equal(errorCode(cycle, "9000000025"), "RESOURCE_NOT_FOUND");
});
