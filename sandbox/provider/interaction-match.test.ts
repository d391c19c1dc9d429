import assert from "node:assert/strict";
import { interactionMatchesRequest, interactionsAtPath } from "./interaction-match.ts";

const urn = (suffix: string) => `urn:nhs:names:services:gpconnect:${suffix}`;

Deno.test("interactionsAtPath: templates, case sensitivity, unknown paths", () => {
  assert.deepEqual(interactionsAtPath("foundations", "/metadata").map((i) => i.id), [
    urn("fhir:rest:read:metadata-1"),
  ]);
  assert.equal(interactionsAtPath("foundations", "/Metadata").length, 0);
  assert.equal(interactionsAtPath("foundations", "/metadatas").length, 0);
  assert.equal(interactionsAtPath("foundations", "/metadata/").length, 0);
  assert.equal(interactionsAtPath("foundations", "/Patient/").length, 0);
  assert.equal(interactionsAtPath("foundations", "/Patients").length, 0);
  assert.deepEqual(
    interactionsAtPath("foundations", "/Appointment/7").map((i) => i.method).sort(),
    ["GET", "PUT", "PUT"],
  );
  assert.equal(interactionsAtPath("structured", "/Patient/$gpc.getstructuredrecord").length, 1);
  assert.equal(interactionsAtPath("structured", "/Patient/1").length, 0);
  assert.equal(interactionsAtPath("dstu2", "/metadata")[0]?.fhirVersion, "DSTU2");
});

Deno.test("interactionMatchesRequest: id, method and path must agree", () => {
  const read = urn("fhir:rest:read:patient-1");
  assert.equal(interactionMatchesRequest(read, "foundations", "GET", "/Patient/2")?.id, read);
  assert.equal(interactionMatchesRequest(read, "foundations", "PUT", "/Patient/2"), undefined);
  assert.equal(interactionMatchesRequest(read, "foundations", "GET", "/Patient"), undefined);
  assert.equal(interactionMatchesRequest(read, "structured", "GET", "/Patient/2"), undefined);
  assert.equal(
    interactionMatchesRequest(read.toUpperCase(), "foundations", "GET", "/Patient/2"),
    undefined,
  );
  const cancel = urn("fhir:rest:cancel:appointment-1");
  assert.equal(
    interactionMatchesRequest(cancel, "foundations", "PUT", "/Appointment/1")?.id,
    cancel,
  );
  const register = urn("fhir:operation:gpc.registerpatient-1");
  assert.equal(
    interactionMatchesRequest(register, "foundations", "POST", "/Patient/$gpc.registerpatient")?.id,
    register,
  );
});
