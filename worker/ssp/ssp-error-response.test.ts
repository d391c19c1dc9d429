import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import type { OperationOutcome } from "../../gpconnect/operation-outcome.ts";
import { sspErrorResponse } from "./ssp-error-response.ts";

const ID = "7f1e1b4e-2f39-4bd0-8d3e-9f8a8f3c7a10";
const SSP_SYSTEM = "http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0";

function sspError(): GpcEdgeError {
  return GpcEdgeError.ssp("ASID_CHECK_FAILED", { fromAsid: "200000000359" });
}

Deno.test("sspErrorResponse() answers an SSP error in XML by default", async () => {
  for (const accept of [undefined, "*/*", "text/html"]) {
    const response = sspErrorResponse(sspError(), { accept, id: ID, fhirVersion: undefined });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    const body = await response.text();
    assert.ok(body.startsWith('<?xml version="1.0" encoding="UTF-8"?><OperationOutcome'), body);
    assert.ok(body.includes(`<id value="${ID}"/>`));
    assert.ok(body.includes('<code value="403"/>'));
    assert.ok(body.includes('<display value="ASID_CHECK_FAILED_MESSAGESENDER_200000000359"/>'));
    assert.ok(!body.includes("<meta>"), "SSP errors carry no profile");
  }
});

Deno.test("sspErrorResponse() answers an SSP error in JSON when JSON is asked for", async () => {
  const response = sspErrorResponse(GpcEdgeError.ssp("FOT_CHECK_FAILED", { from: "1", to: "2" }), {
    accept: "application/fhir+json;charset=utf-8",
    id: ID,
    fhirVersion: undefined,
  });
  assert.equal(response.headers.get("Content-Type"), "application/fhir+json;charset=utf-8");
  const outcome = await response.json() as OperationOutcome;
  assert.equal(outcome.id, ID);
  assert.ok(!("meta" in outcome));
  assert.deepEqual(outcome.issue[0]!.details.coding, [
    {
      system: SSP_SYSTEM,
      code: "403",
      display: "FOT_CHECK_FAILED_MESSAGESENDER_1_MESSAGERECEIVER_2",
    },
  ]);
  assert.equal(outcome.issue[0]!.diagnostics, "FOT_CHECK_FAILED_MESSAGESENDER_1_MESSAGERECEIVER_2");
});

Deno.test("sspErrorResponse() answers a GP Connect error (JWT enforce) in GP Connect's shape, JSON by default", async () => {
  const response = sspErrorResponse(GpcEdgeError.gpconnect("BAD_REQUEST"), {
    accept: undefined,
    id: ID,
    fhirVersion: undefined,
  });
  assert.equal(response.headers.get("Content-Type"), "application/fhir+json;charset=utf-8");
  const outcome = await response.json() as OperationOutcome;
  assert.equal(outcome.issue[0]!.details.coding[0]!.code, "BAD_REQUEST");
  assert.ok(outcome.meta?.profile[0]?.endsWith("GPConnect-OperationOutcome-1"));
});

Deno.test("sspErrorResponse() uses the DSTU2 media types for a DSTU2 interaction", async () => {
  const json = sspErrorResponse(GpcEdgeError.gpconnect("BAD_REQUEST"), {
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
  const xml = sspErrorResponse(sspError(), { accept: undefined, id: ID, fhirVersion: "DSTU2" });
  assert.equal(xml.headers.get("Content-Type"), "application/xml+fhir;charset=utf-8");
  await xml.body?.cancel();
});

Deno.test("sspErrorResponse() carries the error's Retry-After header and status override", async () => {
  const error = GpcEdgeError.ssp("DIRECTORY_UNAVAILABLE", {}, {
    status: 503,
    headers: { "Retry-After": "120" },
  });
  const response = sspErrorResponse(error, {
    accept: "application/fhir+json",
    id: ID,
    fhirVersion: undefined,
  });
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("Retry-After"), "120");
  const outcome = await response.json() as OperationOutcome;
  assert.equal(outcome.issue[0]!.details.coding[0]!.code, "503");
});

Deno.test("sspErrorResponse() turns a non-GpcEdgeError into a 500 with no message or stack", async () => {
  const secret = "database password is hunter2";
  for (const value of [new TypeError(secret), secret, { stack: secret }, undefined]) {
    const response = sspErrorResponse(value, { accept: undefined, id: ID, fhirVersion: undefined });
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.ok(!text.includes("hunter2"), text);
    assert.ok(!text.includes("at "), "no stack frames");
    const outcome = JSON.parse(text) as OperationOutcome;
    assert.equal(outcome.issue[0]!.details.coding[0]!.code, "INTERNAL_SERVER_ERROR");
  }
});
