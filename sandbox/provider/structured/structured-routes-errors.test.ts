import assert from "node:assert/strict";
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import {
  nhsNumberParameter,
  parameter,
  type ParameterJson,
  structuredRequest,
} from "./structured-requests.ts";
import {
  errorOf,
  getStructured as get,
  testIssuedAt as issuedAt,
  testNow,
} from "./structured-test-support.ts";

async function raw(body: string | ParameterJson[]): Promise<[number, string | undefined]> {
  const app = createProviderSandbox({ now: () => testNow });
  const request = typeof body === "string"
    ? structuredRequest("get", [], { issuedAt, rawBody: body })
    : structuredRequest("get", body, { issuedAt });
  const response = await app.request(request);
  const outcome = await response.json();
  return [response.status, outcome.issue?.[0]?.details?.coding?.[0]?.code];
}

Deno.test("the body: not JSON, not Parameters, malformed parameters → 422 INVALID_RESOURCE", async () => {
  assert.deepEqual(await raw("{not json"), [422, "INVALID_RESOURCE"]);
  assert.deepEqual(await raw('<Parameters xmlns="http://hl7.org/fhir"/>'), [
    422,
    "INVALID_RESOURCE",
  ]);
  assert.deepEqual(await raw('{"resourceType":"Patient"}'), [422, "INVALID_RESOURCE"]);
  assert.deepEqual(await raw('{"resourceType":"Parameters","parameter":{}}'), [
    422,
    "INVALID_RESOURCE",
  ]);
  assert.deepEqual(
    await raw('{"resourceType":"Parameters","parameter":[{"valueBoolean":true}]}'),
    [422, "INVALID_RESOURCE"],
  );
  assert.deepEqual(await raw('{"resourceType":"Parameters"}'), [422, "INVALID_PARAMETER"]);
});

Deno.test("patientNHSNumber: missing, wrong system, invalid", async () => {
  assert.deepEqual(await raw([parameter("includeProblems")]), [422, "INVALID_PARAMETER"]);
  assert.deepEqual(
    await raw([nhsNumberParameter("9690937286", identifierSystems.nhsNumberDstu2)]),
    [400, "INVALID_IDENTIFIER_SYSTEM"],
  );
  assert.deepEqual(await raw([nhsNumberParameter("9690937287")]), [400, "INVALID_NHS_NUMBER"]);
  assert.deepEqual(await raw([nhsNumberParameter("96909372")]), [400, "INVALID_NHS_NUMBER"]);
});

Deno.test("patients not served → 404 PATIENT_NOT_FOUND; dissent → 403 NO_PATIENT_CONSENT", async () => {
  const notFound = {
    "9999999999": "not found",
    "9690938533": "sensitive",
    "9690938681": "deceased",
    "9690938142": "inactive",
    "9690938622": "superseded",
    "9476718943": "not on PDS",
    "9990000204": "registered elsewhere",
  };
  for (const [nhsNumber, role] of Object.entries(notFound)) {
    assert.deepEqual(errorOf(await get(nhsNumber)), [404, "PATIENT_NOT_FOUND"], role);
  }
  assert.deepEqual(
    errorOf(await get("9690938576", [parameter("includeProblems")])),
    [403, "NO_PATIENT_CONSENT"],
  );
});

Deno.test("parameter rules answer 422 over HTTP", async () => {
  const cases: Array<[ParameterJson[], number, string]> = [
    [[parameter("includeAllergies")], 422, "INVALID_PARAMETER"],
    [
      [{ name: "includeAllergies", part: [{ name: "includeResolvedAllergies" }] }],
      422,
      "INVALID_PARAMETER",
    ],
    [
      [parameter("includeMedication", { medicationSearchFromDate: { valueDate: "2025-03-11" } })],
      422,
      "INVALID_PARAMETER",
    ],
    [
      [parameter("includeMedication", { medicationSearchFromDate: { valueDate: "2025-03" } })],
      422,
      "INVALID_PARAMETER",
    ],
    [
      [parameter("includeDiaryEntries", { diaryEntriesSearchDate: { valueDate: "2025-03-09" } })],
      422,
      "INVALID_PARAMETER",
    ],
    [
      [parameter("includeReferrals", {
        referralSearchPeriod: { valuePeriod: { start: "2025-02-01", end: "2025-01-01" } },
      })],
      422,
      "INVALID_PARAMETER",
    ],
    [
      [parameter("includeConsultations", {
        consultationSearchPeriod: { valuePeriod: { start: "2024-01-01" } },
        includeNumberOfMostRecent: { valuePositiveInt: 1 },
      })],
      422,
      "INVALID_RESOURCE",
    ],
    [
      [
        parameter("includeConsultations"),
        parameter("includeMedication", { medicationSearchFromDate: { valueDate: "2024-03-10" } }),
      ],
      422,
      "INVALID_PARAMETER",
    ],
    [
      [parameter("includeProblems", { filterStatus: { valueCode: "resolved" } })],
      422,
      "INVALID_PARAMETER",
    ],
    [
      [parameter("includeImmunisations"), parameter("includeImmunisations")],
      422,
      "INVALID_RESOURCE",
    ],
  ];
  for (const [parameters, status, code] of cases) {
    assert.deepEqual(
      errorOf(await get("9690937286", parameters)),
      [status, code],
      JSON.stringify(parameters),
    );
  }
  for (const today of ["2025-03-10"]) {
    const ok = await get("9690937286", [
      parameter("includeMedication", { medicationSearchFromDate: { valueDate: today } }),
      parameter("includeDiaryEntries", { diaryEntriesSearchDate: { valueDate: today } }),
      parameter("includeInvestigations", {
        investigationSearchPeriod: { valuePeriod: { start: today, end: today } },
      }),
    ]);
    assert.equal(ok.status, 200);
  }
});

Deno.test("a request that is not the operation's interaction is refused by the duties", async () => {
  const app = createProviderSandbox({ now: () => testNow });
  const request = structuredRequest("get", [nhsNumberParameter("9690937286")], {
    issuedAt,
    overrides: {
      "Ssp-InteractionID":
        "urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1",
    },
  });
  const response = await app.request(request);
  assert.equal(response.status, 400);
  await response.body?.cancel();
});
