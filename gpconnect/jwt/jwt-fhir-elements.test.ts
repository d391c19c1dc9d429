import assert from "node:assert/strict";
import {
  type ElementContext,
  identifierList,
  identifierValue,
  resourceClaim,
  stringElement,
} from "./jwt-fhir-elements.ts";
import type { JwtFinding } from "./jwt-finding.ts";

function context(): ElementContext & { findings: JwtFinding[] } {
  return { claim: "requesting_device", findings: [] };
}

const statuses = (findings: readonly JwtFinding[]) => findings.map((finding) => finding.status);

Deno.test("resourceClaim: a valid resource is returned with no findings", () => {
  const c = context();
  const device = { resourceType: "Device", model: "m", _model: { extension: [] } };
  assert.equal(resourceClaim(c, device, "Device", "STU3"), device);
  assert.deepEqual(c.findings, []);
});

Deno.test("resourceClaim: the resourceType status depends on the FHIR release", () => {
  for (const [version, status] of [["STU3", 422], ["DSTU2", 400]] as const) {
    const c = context();
    assert.equal(resourceClaim(c, { resourceType: "Patient" }, "Device", version), undefined);
    assert.deepEqual(statuses(c.findings), [status]);
  }
});

Deno.test("resourceClaim: elements of the other release are unknown", () => {
  const stu3 = context();
  assert.ok(resourceClaim(stu3, { resourceType: "Device", expiry: "2030" }, "Device", "STU3"));
  assert.deepEqual(statuses(stu3.findings), [422]);
  const dstu2 = context();
  assert.ok(resourceClaim(dstu2, { resourceType: "Device", safety: [] }, "Device", "DSTU2"));
  assert.deepEqual(statuses(dstu2.findings), [422]);
});

Deno.test("stringElement: missing is 400 only when required, wrong type is 422", () => {
  const c = context();
  assert.equal(stringElement(c, { model: "m" }, "model", true), "m");
  assert.equal(stringElement(c, {}, "model", false), undefined);
  assert.equal(stringElement(c, { model: "" }, "model", true), undefined);
  assert.equal(stringElement(c, { model: {} }, "model", false), undefined);
  assert.deepEqual(c.findings.map((finding) => finding.problem), [
    'Claim "requesting_device" has no "model"',
    'Claim "requesting_device" element "model" must be a string (found object)',
  ]);
});

Deno.test("identifierList and identifierValue read identifiers", () => {
  const c = context();
  const list = identifierList(c, {
    identifier: [{ system: "a", value: "1" }, { system: "b" }, { system: "c", value: "3" }],
  }, true);
  assert.deepEqual(c.findings, []);
  assert.equal(identifierValue(list, ["b", "c"]), "3");
  assert.equal(identifierValue(list, ["z"]), undefined);
  assert.equal(identifierValue(undefined, ["a"]), undefined);
  assert.equal(identifierList(c, {}, false), undefined);
  assert.deepEqual(c.findings, []);
});
