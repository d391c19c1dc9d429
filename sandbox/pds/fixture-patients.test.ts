import assert from "node:assert/strict";
import { isValidNhsNumber } from "../../gpconnect/nhs-number.ts";
import {
  fixturePatients,
  patientByNhsNumber,
  patientByRole,
  resolveFixtureDate,
} from "./fixture-patients.ts";

/** An independent modulus 11 check (reference pds-sds.md §5), not the worker's implementation. */
function mod11(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, i) => total + digit * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === digits[9];
}

Deno.test("fixture: every NHS number passes the modulus 11 check", () => {
  for (const patient of fixturePatients) {
    assert.ok(mod11(patient.nhsNumber), `${patient.role} ${patient.nhsNumber}`);
    assert.ok(isValidNhsNumber(patient.nhsNumber), `${patient.role} ${patient.nhsNumber}`);
    if (patient.pds.supersededBy !== undefined) {
      assert.ok(mod11(patient.pds.supersededBy), `${patient.role} → ${patient.pds.supersededBy}`);
    }
  }
});

Deno.test("fixture: the independent check rejects known-bad numbers", () => {
  assert.equal(mod11("9000000000"), false);
  assert.equal(mod11("9690937279"), false);
  assert.equal(mod11("943476591"), false);
  assert.equal(mod11("9434765919"), true);
});

Deno.test("fixture: roles and NHS numbers are unique", () => {
  const roles = new Set(fixturePatients.map((patient) => patient.role));
  const numbers = new Set(fixturePatients.map((patient) => patient.nhsNumber));
  assert.equal(roles.size, fixturePatients.length);
  assert.equal(numbers.size, fixturePatients.length);
});

Deno.test("fixture: invented numbers are 999-prefixed, test-pack ones keep their pack key", () => {
  for (const patient of fixturePatients) {
    if (patient.testPackKey === undefined) {
      assert.ok(patient.nhsNumber.startsWith("999"), patient.role);
    }
  }
});

Deno.test("fixture: superseded numbers point at a present record", () => {
  const superseded = fixturePatients.filter((patient) => patient.pds.record === "superseded");
  assert.ok(superseded.length >= 2);
  for (const patient of superseded) {
    const target = patientByNhsNumber(patient.pds.supersededBy ?? "");
    assert.equal(target?.pds.record, "present", patient.role);
  }
  assert.equal(patientByRole("superseded").pds.supersededBy, "9690938614");
});

Deno.test("fixture: the roles the brief names exist with their numbers", () => {
  const expected: Record<string, string> = {
    "no-allergies": "9690937278",
    "rich-record": "9690937286",
    "sensitive": "9690938533",
    "sensitive-2": "9690938541",
    "superseded": "9690938622",
    "merged": "9690938614",
    "in-transit": "9690938096",
    "not-on-pds": "9476718943",
    "opted-out": "9690938576",
    "deceased": "9690938681",
    "no-appointments": "9690938134",
    "inactive": "9690938142",
    "large-document": "9690937308",
    "placeholder": "9866105660",
    "not-found": "9999999999",
  };
  for (const [role, nhsNumber] of Object.entries(expected)) {
    assert.equal(patientByRole(role).nhsNumber, nhsNumber, role);
  }
  assert.equal(patientByRole("no-allergies").name?.family, "SAMUAL");
  assert.equal(patientByRole("rich-record").name?.given[0], "Horace");
});

Deno.test("fixture: PDS edge cases have the behaviour their role names", () => {
  assert.equal(patientByRole("pds-restricted").pds.security, "R");
  assert.equal(patientByRole("pds-very-restricted").pds.security, "V");
  assert.equal(patientByRole("sensitive").pds.security, "R");
  assert.equal(patientByRole("pds-invalidated").pds.record, "invalidated");
  assert.equal(patientByRole("pds-no-gp").pds.generalPractitioner, undefined);
  assert.ok(patientByRole("pds-gp-ended").pds.generalPractitioner?.end);
  assert.equal(patientByRole("pds-gp-future").pds.generalPractitioner?.start, "today+30");
  assert.ok(patientByRole("pds-deceased").pds.deceasedDateTime);
  assert.ok(patientByRole("deceased").pds.deceasedDateTime?.startsWith("1993"));
  assert.equal(patientByRole("deceased").pds.generalPractitioner?.odsCode, "B82617");
  assert.equal(
    patientByRole("registered-other-practice").pds.generalPractitioner?.odsCode,
    "A20047",
  );
  assert.equal(patientByRole("registered-no-endpoints").pds.generalPractitioner?.odsCode, "Y99999");
  assert.equal(
    patientByRole("registered-several-endpoints").pds.generalPractitioner?.odsCode,
    "Y88888",
  );
  assert.equal(patientByRole("not-on-pds").pds.record, "absent");
  assert.equal(patientByRole("not-found").pds.record, "absent");
});

Deno.test("fixture: test-pack GP registrations are open and started in the past", () => {
  for (const patient of fixturePatients) {
    const gp = patient.pds.generalPractitioner;
    if (patient.testPackKey === undefined || gp === undefined) continue;
    assert.equal(gp.odsCode, "B82617", patient.role);
    assert.equal(gp.end, undefined, patient.role);
    assert.match(gp.start, /^(19|20)\d\d-\d\d-\d\d$/, patient.role);
  }
});

Deno.test("fixture: patientByRole throws on an unknown role", () => {
  assert.throws(() => patientByRole("no-such-role"), RangeError);
});

Deno.test("resolveFixtureDate: absolute and relative dates", () => {
  assert.equal(resolveFixtureDate("2004-05-12", "2025-01-15"), "2004-05-12");
  assert.equal(resolveFixtureDate("today", "2025-01-15"), "2025-01-15");
  assert.equal(resolveFixtureDate("today+30", "2025-01-15"), "2025-02-14");
  assert.equal(resolveFixtureDate("today-15", "2025-01-15"), "2024-12-31");
  assert.throws(() => resolveFixtureDate("today+1", "not-a-date"), RangeError);
});

Deno.test("fixture: the pds-no-gp pool is twelve more PDS-only patients without a GP", () => {
  const pool = fixturePatients.filter((patient) => patient.candidateFor !== undefined);
  assert.equal(pool.length, 12);
  const role = patientByRole("pds-no-gp");
  for (const patient of pool) {
    assert.equal(patient.candidateFor, "pds-no-gp", patient.role);
    assert.match(patient.nhsNumber, /^999000\d{4}$/, patient.role);
    assert.equal(patient.pds.record, "present", patient.role);
    assert.equal(patient.pds.security, "U", patient.role);
    assert.equal(patient.pds.generalPractitioner, undefined, patient.role);
    assert.equal(patient.provider, undefined, patient.role);
    // What the register flow sends: every candidate has the demographics the role's patient has.
    assert.ok(patient.name?.prefix?.[0] && patient.name.given[0] && patient.name.family);
    assert.ok(patient.gender && patient.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate));
    assert.notEqual(patient.name.family, role.name?.family);
  }
});
