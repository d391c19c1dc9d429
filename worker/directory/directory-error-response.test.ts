import assert from "node:assert/strict";
import { GpcEdgeError } from "../errors.ts";
import type { OperationOutcome } from "../../gpconnect/operation-outcome.ts";
import { directoryErrorResponse, directoryRequestId } from "./directory-error-response.ts";

const ID = "7f1e1b4e-2f39-4bd0-8d3e-9f8a8f3c7a10";

Deno.test("directoryErrorResponse() answers GP Connect's OperationOutcome in JSON by default", async () => {
  for (const accept of [undefined, "*/*", "text/html"]) {
    const response = directoryErrorResponse(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), {
      accept,
      requestId: ID,
    });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("Content-Type"), "application/fhir+json;charset=utf-8");
    assert.equal(response.headers.get("Cache-Control"), "no-store");
    assert.equal(response.headers.get("X-Request-ID"), ID);
    const outcome = await response.json() as OperationOutcome;
    assert.equal(outcome.issue[0]!.details.coding[0]!.code, "PATIENT_NOT_FOUND");
    assert.ok(outcome.meta?.profile[0]?.endsWith("GPConnect-OperationOutcome-1"));
  }
});

Deno.test("directoryErrorResponse() answers XML when XML is asked for", async () => {
  const response = directoryErrorResponse(GpcEdgeError.gpconnect("BAD_REQUEST"), {
    accept: "application/fhir+xml",
    requestId: ID,
  });
  assert.equal(response.headers.get("Content-Type"), "application/fhir+xml;charset=utf-8");
  assert.match(await response.text(), /<code value="BAD_REQUEST"\/>/);
});

Deno.test("directoryErrorResponse() turns a non-GpcEdgeError into a 500 with no message or stack", async () => {
  const secret = "database password is hunter2";
  for (const value of [new TypeError(secret), secret, { stack: secret }, undefined]) {
    const response = directoryErrorResponse(value, { accept: undefined, requestId: ID });
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.ok(!text.includes("hunter2"), text);
    assert.ok(!text.includes("TypeError"), text);
    const outcome = JSON.parse(text) as OperationOutcome;
    assert.equal(outcome.issue[0]!.details.coding[0]!.code, "INTERNAL_SERVER_ERROR");
    assert.equal(outcome.issue[0]!.code, "processing");
    assert.equal(outcome.issue[0]!.diagnostics, "gpc-edge could not complete the request");
  }
});

Deno.test("directoryRequestId() keeps a UUID the caller sent and makes one otherwise", () => {
  const fresh = () => "00000000-0000-4000-8000-000000000001";
  assert.equal(directoryRequestId(ID, fresh), ID);
  for (const given of [undefined, "", "abc", `${ID} `]) {
    assert.equal(directoryRequestId(given, fresh), fresh());
  }
});
