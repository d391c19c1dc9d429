import assert from "node:assert/strict";
import { meshSubject } from "./mesh-subject.ts";

const parts = {
  title: "Consultation report",
  patientName: "Horace SKELLY",
  nhsNumber: "9690937286",
  locationName: "A11111 consumer organisation",
  odsCode: "A11111",
  version: "2",
};

Deno.test("Mex-Subject follows each workflow's template (mesh.md §5.4)", () => {
  assert.equal(
    meshSubject({ ...parts, workflowId: "GPCONNECT_SEND_DOCUMENT" }),
    "Consultation report for Horace SKELLY, NHS Number: 9690937286, seen at A11111 consumer organisation, A11111, Version: 2",
  );
  assert.equal(
    meshSubject({ ...parts, workflowId: "GPFED_CONSULT_REPORT" }),
    "Consultation report for Horace SKELLY , NHS Number 9690937286, seen at A11111 consumer organisation, ODS Code A11111",
  );
  assert.equal(
    meshSubject({ ...parts, title: "Blood pressure check", workflowId: "GPCONNECT_UPDATE_RECORD" }),
    "Blood pressure check for Horace SKELLY, NHS Number: 9690937286, seen at A11111 consumer organisation, ODS code: A11111, version 2",
  );
});

Deno.test("a confidential consultation's subject leaves out where it happened (GPCM-SD-092)", () => {
  for (
    const workflowId of [
      "GPCONNECT_SEND_DOCUMENT",
      "GPFED_CONSULT_REPORT",
      "GPCONNECT_UPDATE_RECORD",
    ]
  ) {
    const subject = meshSubject({ ...parts, workflowId, confidential: true });
    assert.ok(!subject.includes("A11111"), subject);
    assert.ok(subject.includes("9690937286"), subject);
  }
});
