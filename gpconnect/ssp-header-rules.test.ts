import assert from "node:assert/strict";
import { isAsid, sspHeaderRules } from "./ssp-header-rules.ts";

const valid: Record<string, string> = {
  "Ssp-TraceID": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
  "Ssp-From": "200000000359",
  "Ssp-To": "918999198738",
  "Ssp-InteractionID": "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
  "Authorization": "Bearer eyJhbGciOiJub25lIn0.e30.",
};

Deno.test("sspHeaderRules: the five headers in the SSP's order accept well-formed values", () => {
  assert.deepEqual(sspHeaderRules.map((rule) => rule.name), Object.keys(valid));
  for (const rule of sspHeaderRules) assert.equal(rule.valid(valid[rule.name]!), true, rule.name);
});

Deno.test("sspHeaderRules: each rule rejects a malformed value", () => {
  const malformed: Record<string, string[]> = {
    "Ssp-TraceID": ["not-a-uuid", "3f2504e04f8911d39a0c0305e82c3301"],
    "Ssp-From": ["ABC", "2000000003591", "20000000035 "],
    "Ssp-To": ["91899919873X", ""],
    "Ssp-InteractionID": ["metadata-1", "urn:nhs"],
    "Authorization": ["Basic abc", "Bearer", "Bearer a b"],
  };
  for (const rule of sspHeaderRules) {
    for (const value of malformed[rule.name]!) {
      assert.equal(rule.valid(value), false, `${rule.name}: ${value}`);
    }
  }
});

Deno.test("isAsid: digits only, at most 12; a shorter one is well-formed", () => {
  assert.equal(isAsid("918999198738"), true);
  assert.equal(isAsid("12"), true);
  assert.equal(isAsid(""), false);
  assert.equal(isAsid("9189991987381"), false);
  assert.equal(isAsid("９１８"), false);
  assert.equal(isAsid("-1"), false);
});

Deno.test("the Bearer scheme is case-insensitive", () => {
  const authorization = sspHeaderRules.find((rule) => rule.name === "Authorization")!;
  assert.equal(authorization.valid("bearer x.y."), true);
});
