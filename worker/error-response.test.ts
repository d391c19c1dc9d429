import assert from "node:assert/strict";
import { asGpcEdgeError, fhirErrorResponse, gpConnectOutcomeOf } from "./error-response.ts";
import { GpcEdgeError } from "./errors.ts";

const STU3_PROFILE = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1";
const STU3_SYSTEM = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";
const DSTU2_SYSTEM = "http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1";

Deno.test("asGpcEdgeError() keeps a GpcEdgeError and hides anything else behind a 500", () => {
  const known = GpcEdgeError.gpconnect("BAD_REQUEST");
  assert.equal(asGpcEdgeError(known), known);
  const secret = new TypeError("database password is hunter2");
  const hidden = asGpcEdgeError(secret);
  assert.equal(hidden.status, 500);
  assert.equal(hidden.code, "INTERNAL_SERVER_ERROR");
  assert.equal(hidden.diagnostics, "gpc-edge could not complete the request");
  assert.equal(hidden.cause, secret, "kept for the log, never rendered");
});

Deno.test("gpConnectOutcomeOf() renders a GP Connect error with its Spine code and diagnostics", () => {
  const error = GpcEdgeError.gpconnect("INVALID_NHS_NUMBER", {
    diagnostics: "NHS number 123 is not 10 digits",
    status: 422,
  });
  const outcome = gpConnectOutcomeOf(error, "STU3");
  assert.ok(!("id" in outcome));
  assert.deepEqual(outcome.meta, { profile: [STU3_PROFILE] });
  assert.deepEqual(outcome.issue[0], {
    severity: "error",
    code: "value",
    details: {
      coding: [{ system: STU3_SYSTEM, code: "INVALID_NHS_NUMBER", display: "Invalid NHS number" }],
    },
    diagnostics: "NHS number 123 is not 10 digits",
  });
  assert.equal(
    gpConnectOutcomeOf(error, "DSTU2").issue[0]!.details.coding[0]!.system,
    DSTU2_SYSTEM,
  );
});

Deno.test("fhirErrorResponse() takes the format Accept asks for, else the default", async () => {
  const error = GpcEdgeError.gpconnect("BAD_REQUEST");
  const outcome = gpConnectOutcomeOf(error, "STU3");
  const cases: Array<[string | undefined, "json" | "xml", string]> = [
    [undefined, "json", "application/fhir+json;charset=utf-8"],
    [undefined, "xml", "application/fhir+xml;charset=utf-8"],
    ["*/*", "xml", "application/fhir+xml;charset=utf-8"],
    ["application/fhir+xml", "json", "application/fhir+xml;charset=utf-8"],
    ["application/fhir+json;q=0, */*", "json", "application/fhir+xml;charset=utf-8"],
  ];
  for (const [accept, defaultFormat, contentType] of cases) {
    const response = fhirErrorResponse(error, outcome, {
      accept,
      fhirVersion: "STU3",
      defaultFormat,
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("Content-Type"), contentType, `${accept} ${defaultFormat}`);
    const text = await response.text();
    assert.ok(contentType.includes("xml") ? text.startsWith("<?xml") : text.startsWith("{"));
  }
});

Deno.test("fhirErrorResponse() keeps the error's headers but always sends no-store", async () => {
  const error = GpcEdgeError.gpconnect("NO_RECORD_FOUND", {
    headers: { "Cache-Control": "max-age=60", "Retry-After": "5" },
  });
  const response = fhirErrorResponse(error, gpConnectOutcomeOf(error, "STU3"), {
    accept: undefined,
    fhirVersion: "DSTU2",
    defaultFormat: "json",
  });
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  assert.equal(response.headers.get("Retry-After"), "5");
  assert.equal(response.headers.get("Content-Type"), "application/json+fhir;charset=utf-8");
  await response.body?.cancel();
});
