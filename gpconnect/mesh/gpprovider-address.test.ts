import assert from "node:assert/strict";
import {
  buildGpProviderAddress,
  isGpProviderAddress,
  parseGpProviderAddress,
} from "./gpprovider-address.ts";

Deno.test("gpprovider address: build writes YYYYMMDD by default, DDMMYYYY on request", () => {
  const parts = { nhsNumber: "9690937286", birthDate: "1942-02-03", familyName: " Skelly " };
  assert.equal(buildGpProviderAddress(parts), "GPPROVIDER_9690937286_19420203_Skelly");
  assert.equal(
    buildGpProviderAddress({ ...parts, dateOfBirthFormat: "DDMMYYYY" }),
    "GPPROVIDER_9690937286_03021942_Skelly",
  );
  assert.equal(
    buildGpProviderAddress({ ...parts, familyName: "O'Brien-Smith Van Der Berg" }),
    "GPPROVIDER_9690937286_19420203_O'Brien-Smith Van Der Berg",
  );
});

Deno.test("gpprovider address: build refuses what would not parse back", () => {
  const parts = { nhsNumber: "9690937286", birthDate: "1942-02-03", familyName: "Skelly" };
  for (const birthDate of ["1942-02", "19420203", "1942-2-3"]) {
    assert.throws(() => buildGpProviderAddress({ ...parts, birthDate }), RangeError);
  }
  for (const familyName of ["", "  ", "Sk_elly", "Sk\nelly"]) {
    assert.throws(() => buildGpProviderAddress({ ...parts, familyName }), RangeError);
  }
});

Deno.test("gpprovider address: only an upper-case GPPROVIDER_ prefix asks for routing", () => {
  assert.equal(isGpProviderAddress("GPPROVIDER_9690937286_19420203_SKELLY"), true);
  for (
    const to of ["gpprovider_9690937286_19420203_SKELLY", "GPProvider_1", "B82617OT1", "GPPROVIDER"]
  ) {
    assert.equal(isGpProviderAddress(to), false, to);
    assert.equal(parseGpProviderAddress(to), undefined, to);
  }
});

Deno.test("gpprovider address: parse reads both date formats and keeps the parts as written", () => {
  assert.deepEqual(parseGpProviderAddress("GPPROVIDER_9690937286_19420203_SKELLY"), {
    nhsNumber: "9690937286",
    dateOfBirthText: "19420203",
    dateOfBirth: "1942-02-03",
    dateOfBirthFormat: "YYYYMMDD",
    surname: "SKELLY",
  });
  assert.deepEqual(parseGpProviderAddress("GPPROVIDER_9690937286_03021942_Skelly"), {
    nhsNumber: "9690937286",
    dateOfBirthText: "03021942",
    dateOfBirth: "1942-02-03",
    dateOfBirthFormat: "DDMMYYYY",
    surname: "Skelly",
  });
  // 12/11/2001 is no YYYYMMDD date (month 20), so the legacy reading applies.
  assert.equal(parseGpProviderAddress("GPPROVIDER_1_12112001_X")?.dateOfBirth, "2001-11-12");
  assert.equal(parseGpProviderAddress("GPPROVIDER_1_20000229_X")?.dateOfBirth, "2000-02-29");
  assert.equal(parseGpProviderAddress("GPPROVIDER_1_29022000_X")?.dateOfBirth, "2000-02-29");
});

Deno.test("gpprovider address: impossible or missing dates and parts come back empty", () => {
  for (const dob of ["19000229", "29021900", "19421303", "1942023", "1942-02-03", "", "ABCDEFGH"]) {
    const address = parseGpProviderAddress(`GPPROVIDER_9690937286_${dob}_SKELLY`);
    assert.equal(address?.dateOfBirth, undefined, dob);
    assert.equal(address?.dateOfBirthFormat, undefined, dob);
    assert.equal(address?.dateOfBirthText, dob);
  }
  assert.deepEqual(parseGpProviderAddress("GPPROVIDER_"), {
    nhsNumber: "",
    dateOfBirthText: "",
    dateOfBirth: undefined,
    dateOfBirthFormat: undefined,
    surname: "",
  });
  assert.equal(parseGpProviderAddress("GPPROVIDER_9690937286")?.nhsNumber, "9690937286");
  assert.equal(parseGpProviderAddress("GPPROVIDER_9690937286_19420203")?.surname, "");
  assert.equal(parseGpProviderAddress("GPPROVIDER_9690937286_19420203_A_B ")?.surname, "A_B");
});
