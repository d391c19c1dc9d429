import assert from "node:assert/strict";
import { parameter, type ParameterJson } from "./structured-requests.ts";
import {
  type CallOptions,
  callStructured,
  entryReferences as ids,
  errorOf,
  everyAreaListTitles,
  listTitled as list,
  listWarnings as warnings,
  primaryListTitles,
  resourcesOf as resources,
} from "./structured-test-support.ts";

const practice = "B82617";
const fullRecord = (sensitive: boolean) =>
  parameter("includeFullRecord", { includeSensitiveInformation: { valueBoolean: sensitive } });

function migrate(
  nhsNumber: string,
  parameters: ParameterJson[],
  jwt: { scope?: string; ods?: string } = {},
  options: CallOptions = {},
) {
  return callStructured("migrate", nhsNumber, parameters, {
    jwt: {
      requestedScope: jwt.scope ?? "patient/*.read conf/N",
      requestingOdsCode: jwt.ods ?? practice,
    },
    ...options,
  });
}

Deno.test("migrate: the full record, every clinical area, collection Bundle", async () => {
  const result = await migrate("9690937286", [fullRecord(false)], {}, {
    overrides: { "Ssp-TraceID": "3f0c1c58-0b1d-4a8a-9a55-77c3b2a1e001" },
  });
  assert.equal(result.status, 200, result.text);
  assert.equal(result.body.type, "collection");
  assert.equal(result.body.id, "3f0c1c58-0b1d-4a8a-9a55-77c3b2a1e001");
  assert.deepEqual(primaryListTitles(result.body), everyAreaListTitles);
  assert.equal(ids(list(result.body, "Immunisations")).length, 5, "not given ones and status too");
  assert.equal(
    resources(result.body, "MedicationRequest").filter((r) => r.intent === "order").length,
    14,
  );
  assert.equal(resources(result.body, "OperationOutcome").length, 0);
});

Deno.test("migrate: without includeFullRecord no clinical information is returned", async () => {
  const result = await migrate("9690937286", []);
  assert.equal(result.status, 200);
  assert.equal(resources(result.body, "List").length, 0);
  assert.equal(resources(result.body, "Patient").length, 1);
});

Deno.test("migrate: confidential items only with conf/R and includeSensitiveInformation", async () => {
  const withheld = await migrate("9690938118", [fullRecord(false)], {
    scope: "patient/*.read conf/R",
  });
  const allergies = list(withheld.body, "Allergies and adverse reactions");
  assert.deepEqual(ids(allergies), ["AllergyIntolerance/allergy-1"]);
  assert.deepEqual(warnings(allergies), ["confidential-items", "data-in-transit"]);

  const sensitive = await migrate("9690938118", [fullRecord(true)], {
    scope: "patient/*.read conf/R",
  });
  assert.equal(sensitive.status, 200);
  const all = list(sensitive.body, "Allergies and adverse reactions");
  assert.deepEqual(ids(all), ["AllergyIntolerance/allergy-1", "AllergyIntolerance/allergy-2"]);
  assert.deepEqual(warnings(all), ["data-in-transit"]);
  assert.deepEqual(ids(list(sensitive.body, "Outbound referral")), ["ReferralRequest/ref-1"]);
  assert.deepEqual(ids(list(sensitive.body, "Problems")), ["Condition/prob-1"]);
});

Deno.test("migrate: sensitive information with conf/N → 400 CONFLICTING_VALUES", async () => {
  assert.deepEqual(errorOf(await migrate("9690938118", [fullRecord(true)])), [
    400,
    "CONFLICTING_VALUES",
  ]);
  assert.deepEqual(
    errorOf(await migrate("9690938118", [fullRecord(true)], { scope: "patient/*.read" })),
    [400, "CONFLICTING_VALUES"],
  );
});

Deno.test("migrate: the requester must be the patient's registered practice → 403 NO_RELATIONSHIP", async () => {
  assert.deepEqual(
    errorOf(await migrate("9690937286", [fullRecord(false)], { ods: "A11111" })),
    [403, "NO_RELATIONSHIP"],
  );
});

Deno.test("migrate: parameter and patient errors", async () => {
  const cases: Array<[string, ParameterJson[], number, string]> = [
    ["9690937286", [parameter("includeFullRecord")], 422, "INVALID_PARAMETER"],
    ["9690937286", [fullRecord(false), parameter("includeAllergies")], 422, "INVALID_PARAMETER"],
    [
      "9690937286",
      [parameter("includeFullRecord", { madeUp: { valueBoolean: true } })],
      422,
      "INVALID_PARAMETER",
    ],
    ["9690937286", [fullRecord(false), fullRecord(false)], 422, "INVALID_RESOURCE"],
    [
      "9690937286",
      [parameter("includeFullRecord", { includeSensitiveInformation: { valueString: "no" } })],
      422,
      "INVALID_PARAMETER",
    ],
    ["9690937287", [fullRecord(false)], 400, "INVALID_NHS_NUMBER"],
    ["9999999999", [fullRecord(false)], 404, "PATIENT_NOT_FOUND"],
    ["9690938533", [fullRecord(false)], 404, "PATIENT_NOT_FOUND"],
  ];
  for (const [nhsNumber, parameters, status, code] of cases) {
    assert.deepEqual(
      errorOf(await migrate(nhsNumber, parameters)),
      [status, code],
      JSON.stringify(parameters),
    );
  }
  const dissent = await migrate("9690938576", [fullRecord(false)]);
  assert.equal(dissent.status, 200, "dissent does not stop a migration");
});

Deno.test("migrate: a JWT whose reason is not migration is refused by the duties", async () => {
  const result = await callStructured("migrate", "9690937286", [fullRecord(false)], {
    jwt: { reasonForRequest: "directcare", requestingOdsCode: practice },
  });
  assert.equal(result.status, 400);
  assert.equal(result.body.resourceType, "OperationOutcome");
});
