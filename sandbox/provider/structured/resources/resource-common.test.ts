import assert from "node:assert/strict";
import { snomed } from "../../clinical/clinical-codes.ts";
import {
  codeableConcept,
  crossCareSettingIdentifier,
  identifier,
  meta,
  stableUuid,
} from "./resource-common.ts";

Deno.test("stableUuid is deterministic, UUID-shaped and seed-sensitive", () => {
  const a = stableUuid("9690937286/allergy-1");
  assert.equal(a, stableUuid("9690937286/allergy-1"));
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, stableUuid("9690937286/allergy-2"));
});

Deno.test("identifier, meta and codeable concept shapes", () => {
  const context = {
    nhsNumber: "9690937286",
    patientReference: "Patient/2",
    organizationReference: "Organization/1",
  };
  assert.deepEqual(identifier(context, "x"), [{
    system: crossCareSettingIdentifier,
    value: stableUuid("9690937286/x"),
  }]);
  assert.deepEqual(meta("List"), {
    profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-List-1"],
  });
  assert.deepEqual(codeableConcept(snomed("59621000", "Essential hypertension")), {
    coding: [{
      system: "http://snomed.info/sct",
      code: "59621000",
      display: "Essential hypertension",
    }],
    text: "Essential hypertension",
  });
});
