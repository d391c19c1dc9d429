import assert from "node:assert/strict";
import { isValidNhsNumber } from "../gpconnect/nhs-number.ts";
import {
  keyOfNhsNumber,
  keyOfPractice,
  nhsNumberOfKey,
  patientOfKey,
  practiceOfKey,
  sdsRecordsOfKey,
} from "./bench-keys.ts";

Deno.test("nhsNumberOfKey() gives distinct valid NHS numbers that map back to their key", () => {
  const seen = new Set<string>();
  for (let n = 1; n <= 5_000; n++) {
    const nhs = nhsNumberOfKey(n);
    assert.ok(isValidNhsNumber(nhs), nhs);
    assert.equal(keyOfNhsNumber(nhs), n);
    seen.add(nhs);
  }
  assert.equal(seen.size, 5_000);
  assert.equal(keyOfNhsNumber("9690937278"), undefined);
});

Deno.test("practiceOfKey() and keyOfPractice() round-trip and ignore real ODS codes", () => {
  assert.equal(practiceOfKey(42), "BX42");
  assert.equal(keyOfPractice("BX42"), 42);
  assert.equal(keyOfPractice("B82617"), undefined);
});

Deno.test("a generated key's patient is registered at the key's practice, whose endpoint is under the provider", () => {
  assert.equal(patientOfKey(7).pds.generalPractitioner?.odsCode, "BX7");
  const { mhs, as } = sdsRecordsOfKey(7, "http://127.0.0.1:9000");
  assert.equal(mhs.address, "http://127.0.0.1:9000/BX7/STU3/1/gpconnect/fhir");
  assert.equal(as.asid, "918999198738");
  assert.equal(as.partyKey, mhs.partyKey);
});
