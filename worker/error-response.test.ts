import assert from "node:assert/strict";
import { errorResponse, operationOutcomeFor } from "./error-response.ts";
import { GpcEdgeError } from "./errors.ts";
import type { OperationOutcome } from "../gpconnect/operation-outcome.ts";

const ID = "7f1e1b4e-2f39-4bd0-8d3e-9f8a8f3c7a10";

function sspError(): GpcEdgeError {
  return GpcEdgeError.ssp("ASID_CHECK_FAILED", { fromAsid: "200000000359" });
}

Deno.test("errorResponse() answers an SSP error in XML by default", async () => {
  for (const accept of [undefined, "*/*", "text/html"]) {
    const response = errorResponse(sspError(), { accept, id: ID });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
    const body = await response.text();
    assert.ok(body.startsWith('<?xml version="1.0" encoding="UTF-8"?><OperationOutcome'), body);
    assert.ok(body.includes(`<id value="${ID}"/>`));
    assert.ok(body.includes('<code value="403"/>'));
    assert.ok(body.includes('<display value="ASID_CHECK_FAILED_MESSAGESENDER_200000000359"/>'));
    assert.ok(!body.includes("<meta>"), "SSP errors carry no profile");
  }
});

Deno.test("errorResponse() answers an SSP error in JSON when JSON is asked for", async () => {
  const response = errorResponse(sspError(), {
    accept: "application/fhir+json;charset=utf-8",
    id: ID,
  });
  assert.equal(response.headers.get("Content-Type"), "application/fhir+json;charset=utf-8");
  const outcome = await response.json() as OperationOutcome;
  assert.equal(outcome.id, ID);
  assert.equal(outcome.issue[0]!.details.coding[0]!.code, "403");
  assert.equal(outcome.issue[0]!.diagnostics, "ASID_CHECK_FAILED_MESSAGESENDER_200000000359");
});

Deno.test("errorResponse() answers a GP Connect error in JSON by default", async () => {
  for (const accept of [undefined, "*/*", "text/html"]) {
    const response = errorResponse(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), { accept, id: ID });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("Content-Type"), "application/fhir+json;charset=utf-8");
    const outcome = await response.json() as OperationOutcome;
    assert.equal(outcome.issue[0]!.details.coding[0]!.code, "PATIENT_NOT_FOUND");
    assert.ok(outcome.meta?.profile[0]?.endsWith("GPConnect-OperationOutcome-1"));
  }
});

Deno.test("errorResponse() answers a GP Connect error in XML when XML is asked for", async () => {
  const response = errorResponse(GpcEdgeError.gpconnect("BAD_REQUEST"), {
    accept: "application/fhir+xml",
    id: ID,
  });
  assert.equal(response.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
  assert.match(await response.text(), /<code value="BAD_REQUEST"\/>/);
  const jsonRefused = errorResponse(GpcEdgeError.gpconnect("BAD_REQUEST"), {
    accept: "application/fhir+json;q=0, */*",
    id: ID,
  });
  assert.equal(jsonRefused.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
  await jsonRefused.body?.cancel();
});

Deno.test("errorResponse() uses the DSTU2 media types when fhirVersion is DSTU2", async () => {
  const json = errorResponse(GpcEdgeError.gpconnect("BAD_REQUEST"), {
    accept: undefined,
    id: ID,
    fhirVersion: "DSTU2",
  });
  assert.equal(json.headers.get("Content-Type"), "application/json+fhir;charset=utf-8");
  const outcome = await json.json() as OperationOutcome;
  assert.equal(
    outcome.meta?.profile[0],
    "http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1",
  );
  const xml = errorResponse(sspError(), { accept: undefined, id: ID, fhirVersion: "DSTU2" });
  assert.equal(xml.headers.get("Content-Type"), "application/xml+fhir;charset=utf-8");
  await xml.body?.cancel();
});

Deno.test("errorResponse() always sends Cache-Control: no-store", async () => {
  const errors = [sspError(), GpcEdgeError.gpconnect("NO_RECORD_FOUND"), new Error("boom")];
  for (const error of errors) {
    const response = errorResponse(error, { accept: undefined, id: ID });
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    await response.body?.cancel();
  }
  // An error's own Cache-Control cannot loosen it.
  const cached = GpcEdgeError.gpconnect("NO_RECORD_FOUND", {
    headers: { "Cache-Control": "max-age=60" },
  });
  const response = errorResponse(cached, { accept: undefined, id: ID });
  assert.equal(response.headers.get("Cache-Control"), "no-store");
  await response.body?.cancel();
});

Deno.test("errorResponse() carries the error's Retry-After header and status override", async () => {
  const error = GpcEdgeError.ssp("DIRECTORY_UNAVAILABLE", {}, {
    status: 503,
    headers: { "Retry-After": "120" },
  });
  const response = errorResponse(error, { accept: "application/fhir+json", id: ID });
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("Retry-After"), "120");
  const outcome = await response.json() as OperationOutcome;
  assert.equal(outcome.issue[0]!.details.coding[0]!.code, "503");
});

Deno.test("errorResponse() turns a non-GpcEdgeError into a 500 with no message or stack", async () => {
  const secret = "database password is hunter2";
  const thrown = new TypeError(secret);
  for (const value of [thrown, secret, { stack: secret }, undefined]) {
    const response = errorResponse(value, { accept: undefined, id: ID });
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.ok(!text.includes("hunter2"), text);
    assert.ok(!text.includes("TypeError"), text);
    assert.ok(!text.includes("at "), "no stack frames");
    const outcome = JSON.parse(text) as OperationOutcome;
    assert.equal(outcome.issue[0]!.details.coding[0]!.code, "INTERNAL_SERVER_ERROR");
    assert.equal(outcome.issue[0]!.code, "processing");
    assert.equal(outcome.issue[0]!.diagnostics, "gpc-edge could not complete the request");
  }
});

const STU3_PROFILE = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1";
const STU3_SYSTEM = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";
const DSTU2_SYSTEM = "http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1";
const SSP_SYSTEM = "http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0";

Deno.test("operationOutcomeFor() renders an SSP error in the SSP shape with the given id", () => {
  const error = GpcEdgeError.ssp("FOT_CHECK_FAILED", { from: "1", to: "2" });
  const outcome = operationOutcomeFor(error, { id: "abc", fhirVersion: "DSTU2" });
  assert.equal(outcome.id, "abc");
  assert.ok(!("meta" in outcome));
  assert.deepEqual(outcome.issue[0]!.details.coding, [
    {
      system: SSP_SYSTEM,
      code: "403",
      display: "FOT_CHECK_FAILED_MESSAGESENDER_1_MESSAGERECEIVER_2",
    },
  ]);
});

Deno.test("operationOutcomeFor() renders a GP Connect error with its Spine code and diagnostics", () => {
  const error = GpcEdgeError.gpconnect("INVALID_NHS_NUMBER", {
    diagnostics: "NHS number 123 is not 10 digits",
    status: 422,
  });
  const outcome = operationOutcomeFor(error, { id: "ignored" });
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
  const dstu2 = operationOutcomeFor(error, { id: "x", fhirVersion: "DSTU2" });
  assert.equal(dstu2.issue[0]!.details.coding[0]!.system, DSTU2_SYSTEM);
});
