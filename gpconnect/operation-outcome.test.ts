import assert from "node:assert/strict";
import { gpConnectOperationOutcome, sspOperationOutcome } from "./operation-outcome.ts";

const STU3_PROFILE = "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1";
const STU3_SYSTEM = "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";
const DSTU2_PROFILE = "http://fhir.nhs.net/StructureDefinition/gpconnect-operationoutcome-1";
const DSTU2_SYSTEM = "http://fhir.nhs.net/ValueSet/gpconnect-error-or-warning-code-1";
const SSP_SYSTEM = "http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0";
const SSP_METHOD_SYSTEM = "https://fhir.nhs.uk/StructureDefinition/spine-operationoutcome-1";

Deno.test("gpConnectOperationOutcome() builds the STU3 GPConnect-OperationOutcome-1 shape", () => {
  assert.deepEqual(
    gpConnectOperationOutcome({
      code: "PATIENT_NOT_FOUND",
      issueCode: "not-found",
      display: "Patient record not found",
      diagnostics: "No patient 9690937278",
    }),
    {
      resourceType: "OperationOutcome",
      meta: { profile: [STU3_PROFILE] },
      issue: [{
        severity: "error",
        code: "not-found",
        details: {
          coding: [{
            system: STU3_SYSTEM,
            code: "PATIENT_NOT_FOUND",
            display: "Patient record not found",
          }],
        },
        diagnostics: "No patient 9690937278",
      }],
    },
  );
});

Deno.test("gpConnectOperationOutcome() uses the DSTU2 profile and system for DSTU2", () => {
  const outcome = gpConnectOperationOutcome({
    code: "BAD_REQUEST",
    issueCode: "invalid",
    display: "Bad request",
    fhirVersion: "DSTU2",
  });
  assert.deepEqual(outcome.meta, { profile: [DSTU2_PROFILE] });
  assert.equal(outcome.issue[0]!.details.coding[0]!.system, DSTU2_SYSTEM);
});

Deno.test("gpConnectOperationOutcome() leaves diagnostics out when not given", () => {
  for (const diagnostics of [{}, { diagnostics: undefined }]) {
    const outcome = gpConnectOperationOutcome({
      code: "BAD_REQUEST",
      issueCode: "invalid",
      display: "Bad request",
      ...diagnostics,
    });
    assert.ok(!("diagnostics" in outcome.issue[0]!));
    assert.ok(!("id" in outcome));
  }
});

Deno.test("gpConnectOperationOutcome() takes a severity and defaults it to error", () => {
  const fields = { code: "X", issueCode: "invalid", display: "X" };
  assert.equal(gpConnectOperationOutcome(fields).issue[0]!.severity, "error");
  assert.equal(
    gpConnectOperationOutcome({ ...fields, severity: "warning" }).issue[0]!.severity,
    "warning",
  );
});

Deno.test("sspOperationOutcome() has an id, no meta, the status as code and display as diagnostics", () => {
  const display = "ASID_CHECK_FAILED_MESSAGESENDER_200000000359";
  assert.deepEqual(
    sspOperationOutcome({
      id: "0d5f4bd5-8c9a-4c6e-9a50-7c3b9f0f1a11",
      status: 403,
      issueCode: "forbidden",
      severity: "error",
      display,
    }),
    {
      resourceType: "OperationOutcome",
      id: "0d5f4bd5-8c9a-4c6e-9a50-7c3b9f0f1a11",
      issue: [{
        severity: "error",
        code: "forbidden",
        details: { coding: [{ system: SSP_SYSTEM, code: "403", display }] },
        diagnostics: display,
      }],
    },
  );
});

Deno.test("sspOperationOutcome() uses the spine-operationoutcome-1 system for 405", () => {
  const outcome = sspOperationOutcome({
    id: "1",
    status: 405,
    issueCode: "forbidden",
    severity: "fatal",
    display: "405: Method Not Allowed",
  });
  assert.ok(!("meta" in outcome));
  assert.deepEqual(outcome.issue[0]!.details.coding, [
    { system: SSP_METHOD_SYSTEM, code: "405", display: "405: Method Not Allowed" },
  ]);
  assert.equal(outcome.issue[0]!.severity, "fatal");
});
