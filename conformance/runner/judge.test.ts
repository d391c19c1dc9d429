import assert from "node:assert/strict";
import type { Expectation, ProfileValidator } from "../model.ts";
import type { ObservedResponse } from "./exchange.ts";
import { cacheControlRequirement, judge, type JudgeContext } from "./judge.ts";
import { operationOutcome } from "./test-support.ts";

const SSP_SYSTEM = "http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0";

function observed(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ObservedResponse {
  return {
    status,
    headers: new Headers({
      "cache-control": "no-store",
      "content-type": "application/fhir+json",
      ...headers,
    }),
    text: JSON.stringify(body),
    body,
  };
}

// A tiny FHIRPath stand-in: `<element> = '<value>'` on top-level elements.
const fhirPathHolds = (resource: unknown, expression: string) => {
  const match = /^(\w+) = '(.*)'$/.exec(expression);
  if (!match) throw new Error(`unsupported ${expression}`);
  return (resource as Record<string, unknown>)[match[1] ?? ""] === match[2];
};

const context: JudgeContext = {
  requirement: "REQ-1",
  viaSsp: false,
  fhirPathHolds,
  traceId: "trace-1",
};

function outcome(
  expect: Expectation,
  response: ObservedResponse,
  extra: Partial<JudgeContext> = {},
) {
  return judge(expect, response, { ...context, ...extra });
}

const failed = (result: ReturnType<typeof judge>) => result.assertions.filter((a) => !a.passed);

Deno.test("status: one or a list; a miss says expected and actual", () => {
  assert.equal(failed(outcome({ status: [200, 201] }, observed(201, {}))).length, 0);
  const miss = failed(outcome({ status: 200 }, observed(404, operationOutcome("NO_RECORD_FOUND"))));
  assert.equal(miss.length, 1);
  assert.match(miss[0]?.message ?? "", /expected 200, got 404 \(NO_RECORD_FOUND/);
  assert.equal(miss[0]?.requirement, "REQ-1");
});

Deno.test("resourceType, Bundle.type and Bundle.id = Ssp-TraceID pass and fail", () => {
  const bundle = { resourceType: "Bundle", type: "searchset", id: "trace-1" };
  const expect: Expectation = {
    status: 200,
    resourceType: "Bundle",
    bundleType: "searchset",
    bundleIdIsTraceId: true,
  };
  assert.equal(failed(outcome(expect, observed(200, bundle))).length, 0);
  const wrong = failed(
    outcome(expect, observed(200, { resourceType: "Patient", type: "collection", id: "x" })),
  );
  assert.deepEqual(wrong.map((a) => a.description), [
    "resourceType is Bundle",
    "Bundle.type is searchset",
    "Bundle.id equals the request's Ssp-TraceID",
  ]);
});

Deno.test("spineCode: any 1.x coding system, lists of variants, lenient spellings", () => {
  const expect = (spineCode: string | string[]): Expectation => ({ status: 403, spineCode });
  for (
    const system of [
      "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1",
      "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1",
      "https://fhir.nhs.uk/spine-error-or-warning-code-1",
    ]
  ) {
    assert.equal(
      failed(
        outcome(expect("ACCESS DENIED"), observed(403, operationOutcome("ACCESS_DENIED", system))),
      ).length,
      0,
    );
  }
  assert.equal(
    failed(
      outcome(
        expect("NO_ORGANISATION_CONSENT"),
        observed(403, operationOutcome("NO_ORGANISATIONAL_CONSENT")),
      ),
    ).length,
    0,
  );
  assert.equal(
    failed(
      outcome(
        expect(["BAD_REQUEST", "INVALID_RESOURCE"]),
        observed(403, operationOutcome("INVALID_RESOURCE")),
      ),
    ).length,
    0,
  );
  const wrong = failed(
    outcome(expect("NO_PATIENT_CONSENT"), observed(403, operationOutcome("ACCESS DENIED"))),
  );
  assert.match(wrong[0]?.message ?? "", /got ACCESS DENIED/);
  const unknownSystem = failed(
    outcome(expect("ACCESS DENIED"), observed(403, operationOutcome("ACCESS DENIED", "urn:other"))),
  );
  assert.match(unknownSystem[0]?.message ?? "", /no Spine error code/);
});

Deno.test("headers: exact or /regex/; missing headers fail", () => {
  const expect: Expectation = {
    status: 200,
    headers: { "Content-Type": "/^application\\/fhir\\+json/", ETag: 'W/"1"', Location: "x" },
  };
  const result = failed(outcome(expect, observed(200, {}, { etag: 'W/"1"' })));
  assert.deepEqual(result.map((a) => a.message), ["no Location header"]);
});

Deno.test("fhirpath: own requirement or the scenario's; errors and missing bodies fail", () => {
  const expect: Expectation = {
    status: 200,
    fhirpath: [
      { expression: "type = 'collection'", description: "a collection", requirement: "STR-1" },
      { expression: "id = 'nope'", description: "the id" },
      { expression: "bad(", description: "broken" },
    ],
  };
  const result = outcome(expect, observed(200, { type: "collection", id: "x" }));
  const fp = result.assertions.filter((a) => a.description.includes("["));
  assert.deepEqual(fp.map((a) => [a.passed, a.requirement]), [[true, "STR-1"], [false, "REQ-1"], [
    false,
    "REQ-1",
  ]]);
  assert.match(fp[2]?.message ?? "", /FHIRPath error/);
  const noBody = failed(judge(expect, { ...observed(200, undefined), body: undefined }, context));
  assert.ok(noBody.every((a) => a.message === "no FHIR body" || a.description.startsWith("Cache")));
});

Deno.test("profile and validate: errors fail the test and every message is recorded", () => {
  const seen: Array<{ profile?: string }> = [];
  const validator: ProfileValidator = {
    profiles: [],
    validate(_resource, options) {
      seen.push(options ?? {});
      return [
        { severity: "warning", path: "Patient.name", message: "odd", rule: "pattern" },
        ...(options?.profile === "bad"
          ? [{
            severity: "error" as const,
            path: "Patient.id",
            message: "missing",
            rule: "cardinality",
          }]
          : []),
      ];
    },
  };
  const ok = outcome({ status: 200, validate: true }, observed(200, { resourceType: "Patient" }), {
    validator,
  });
  assert.equal(failed(ok).length, 0);
  assert.equal(ok.validation.length, 1);
  const bad = outcome({ status: 200, profile: "bad" }, observed(200, { resourceType: "Patient" }), {
    validator,
  });
  assert.match(failed(bad)[0]?.message ?? "", /1 error\(s\): Patient.id: missing/);
  assert.equal(bad.validation.length, 2);
  assert.deepEqual(seen, [{}, { profile: "bad" }]);
  const none = failed(
    outcome({ status: 200, validate: true }, observed(200, { resourceType: "Patient" })),
  );
  assert.match(none[0]?.message ?? "", /no profile validator/);
});

Deno.test("Cache-Control: no-store is asserted on provider responses with its requirement", () => {
  const missing = failed(
    outcome({ status: 200 }, observed(200, {}, { "cache-control": "max-age=60" })),
  );
  assert.equal(missing[0]?.requirement, cacheControlRequirement);
  assert.equal(
    failed(outcome({ status: 200 }, observed(200, {}, { "cache-control": "private, no-store" })))
      .length,
    0,
  );
});

Deno.test("viaSsp: an SSP-raised error is judged by the override alone, display against the pattern", () => {
  const expect: Expectation = {
    status: 400,
    spineCode: "BAD_REQUEST",
    resourceType: "OperationOutcome",
    validate: true,
    fhirpath: [{ expression: "id = 'never'", description: "provider shape" }],
    viaSsp: { status: 403, spineCode: "PARTYKEY_CHECK_FAILED", resourceType: "OperationOutcome" },
  };
  const sspError = operationOutcome(
    "403",
    SSP_SYSTEM,
    "PARTYKEY_INTERACTION_CHECK_FAILED_MESSAGERECEIVER_999999999999",
  );
  const response = observed(403, sspError, { "cache-control": "" });
  const viaSsp = outcome(expect, response, { viaSsp: true });
  assert.deepEqual(failed(viaSsp), []);
  assert.ok(viaSsp.assertions.every((a) => !a.description.startsWith("Cache-Control")));
  // Not through an SSP, or a provider-shaped answer through one: the direct expectation.
  assert.ok(failed(outcome(expect, response, { viaSsp: false })).length > 0);
  const provider = observed(400, operationOutcome("BAD_REQUEST"));
  assert.equal(
    failed(outcome({ ...expect, validate: false, fhirpath: [] }, provider, { viaSsp: true }))
      .length,
    0,
  );
});

Deno.test("viaSsp spineCode: a table row, a <pattern>, a /regex/ or a prefix; mismatches fail", () => {
  const judgeDisplay = (spineCode: string, display: string) =>
    failed(outcome(
      { status: 400, viaSsp: { status: 415, spineCode } },
      observed(415, operationOutcome("415", SSP_SYSTEM, display)),
      { viaSsp: true },
    )).length === 0;
  assert.ok(judgeDisplay("UNKNOWN_INTERACTION", "ASID_CHECK_FAILED_MESSAGESENDER_200000000359"));
  assert.ok(
    judgeDisplay(
      "ASID_CHECK_FAILED_MESSAGESENDER_<fromAsid>",
      "ASID_CHECK_FAILED_MESSAGESENDER_200000000359",
    ),
  );
  assert.ok(judgeDisplay("/^ASID_CHECK_FAILED_/", "ASID_CHECK_FAILED_MESSAGESENDER_1"));
  assert.ok(judgeDisplay("ASID_CHECK_FAILED_MESSAGESENDER", "ASID_CHECK_FAILED_MESSAGESENDER_1"));
  assert.ok(!judgeDisplay("PARTYKEY_CHECK_FAILED", "ASID_CHECK_FAILED_MESSAGESENDER_1"));
  assert.ok(judgeDisplay("UNSUPPORTED_MEDIA_TYPE", "Unsupported_Media_Type"));
  assert.ok(!judgeDisplay("UNSUPPORTED_MEDIA_TYPE", "Unsupported_Media_Type_Extra"));
});

Deno.test("no viaSsp given: an SSP error is judged by the direct expectation (and fails it)", () => {
  const response = observed(
    400,
    operationOutcome("400", SSP_SYSTEM, "MISSING_OR_INVALID_HEADER_Ssp-To"),
  );
  const result = failed(
    outcome({ status: 400, spineCode: "BAD_REQUEST" }, response, { viaSsp: true }),
  );
  assert.deepEqual(result.map((a) => a.description), ["Spine error code is BAD_REQUEST"]);
});

Deno.test("built-in checks credit their own requirements, not the scenario's first", () => {
  const validator: ProfileValidator = {
    profiles: [],
    validate:
      () => [{ severity: "error", path: "Bundle.identifier", message: "empty", rule: "structure" }],
  };
  const expect: Expectation = {
    status: 200,
    bundleType: "collection",
    bundleIdIsTraceId: true,
    validate: true,
    headers: { ETag: 'W/"2"', "Content-Type": "application/fhir+json" },
  };
  const body = { resourceType: "Bundle", type: "searchset", id: "other" };
  const credited = (requirements?: string[]) =>
    failed(outcome(expect, observed(200, body, { etag: 'W/"1"', "content-type": "text/plain" }), {
      requirement: "JWT-SCOPE-CONF",
      validator,
      ...(requirements ? { requirements } : {}),
    })).map((a) => a.requirement);
  assert.deepEqual(credited(), [
    "STR-BUNDLE-COLLECTION",
    "FHIR-BUNDLE-ID-TRACEID",
    "HTTP-ETAG-VERSIONID",
    "FHIR-RESPONSE-MEDIA-TYPE",
    "FHIR-PROFILE-CONFORMANCE",
  ]);
  // A scenario naming a narrower rule for a built-in check gets it; INVALID-… is no profile rule.
  assert.deepEqual(
    credited(["JWT-SCOPE-CONF", "STR-BUNDLE-ID-TRACEID", "FND-REGISTER-INVALID-BODY", "X-PROFILE"]),
    [
      "STR-BUNDLE-COLLECTION",
      "STR-BUNDLE-ID-TRACEID",
      "HTTP-ETAG-VERSIONID",
      "FHIR-RESPONSE-MEDIA-TYPE",
      "X-PROFILE",
    ],
  );
});

const slotSearch = {
  interaction: "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1",
  fhirVersion: "STU3" as const,
  method: "GET",
  url:
    "http://127.0.0.1/B82617/STU3/1/gpconnect/Slot?start=ge2025-01-16&end=le2025-01-17&status=free&_include=Slot:schedule",
};

Deno.test("media type: a non-FHIR Content-Type fails under its own requirement", () => {
  const result = failed(
    outcome({ status: 200 }, observed(200, {}, { "content-type": "application/json" }), {
      request: slotSearch,
    }),
  );
  assert.deepEqual(result.map((a) => a.requirement), ["FHIR-RESPONSE-MEDIA-TYPE"]);
  assert.match(result[0]?.message ?? "", /application\/json/);
});

Deno.test("response checks run on an accepted success only, with their own requirements", () => {
  const slot = (id: string, day: string) => ({
    resourceType: "Slot",
    id,
    meta: { profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Slot-1"] },
    status: "free",
    schedule: { reference: "Schedule/1" },
    start: `${day}T09:00:00+00:00`,
    end: `${day}T09:10:00+00:00`,
  });
  const schedule = {
    resourceType: "Schedule",
    id: "1",
    meta: { profile: ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Schedule-1"] },
  };
  const bundle = (day: string) => ({
    resourceType: "Bundle",
    type: "searchset",
    entry: [{ resource: slot("s1", day) }, { resource: schedule }],
  });
  const ok = outcome({ status: 200 }, observed(200, bundle("2025-01-16")), { request: slotSearch });
  assert.deepEqual(failed(ok), []);
  assert.ok(ok.assertions.some((a) => a.requirement === "RESP-SEARCH-WINDOW" && a.passed));
  const outside = failed(
    outcome({ status: 200 }, observed(200, bundle("2025-01-20")), { request: slotSearch }),
  );
  assert.deepEqual(outside.map((a) => a.requirement), ["RESP-SEARCH-WINDOW"]);
  // A negative expecting 400 that got 200: only the status fails, no cascade of checks.
  const negative = failed(
    outcome({ status: 400 }, observed(200, bundle("2025-01-20")), { request: slotSearch }),
  );
  assert.deepEqual(negative.map((a) => a.requirement), ["REQ-1"]);
});
