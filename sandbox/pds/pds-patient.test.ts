import assert from "node:assert/strict";
import { patientByRole } from "./fixture-patients.ts";
import { pdsPatientResource } from "./pds-patient.ts";

Deno.test("pdsPatientResource: unrestricted record carries address, telecom and GP", () => {
  const resource = pdsPatientResource(patientByRole("rich-record"), "2025-01-15");
  assert.equal(resource.id, "9690937286");
  assert.ok(Array.isArray(resource.address));
  assert.deepEqual((resource.telecom as Array<Record<string, string>>)[0]?.value, "07700900123");
  const gp = (resource.generalPractitioner as Array<Record<string, unknown>>)[0]!;
  assert.match(String(gp.id), /^[0-9A-F]{8}$/);
  assert.equal(gp.type, "Organization");
});

Deno.test("pdsPatientResource: stable reference ids", () => {
  const a = pdsPatientResource(patientByRole("rich-record"), "2025-01-15");
  const b = pdsPatientResource(patientByRole("rich-record"), "2026-06-01");
  assert.deepEqual(a.generalPractitioner, b.generalPractitioner);
});

Deno.test("pdsPatientResource: R and V redaction", () => {
  const r = pdsPatientResource(patientByRole("pds-restricted"), "2025-01-15");
  assert.deepEqual(r.meta.security, [{
    system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
    code: "R",
    display: "restricted",
  }]);
  assert.equal(r.telecom, undefined);
  assert.ok(r.name);
  const v = pdsPatientResource(patientByRole("pds-very-restricted"), "2025-01-15");
  assert.equal(v.meta.security[0]?.display, "very restricted");
  assert.equal(v.name, undefined);
  assert.equal(v.birthDate, undefined);
  assert.equal(v.gender, "male");
});
