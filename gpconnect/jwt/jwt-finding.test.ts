import assert from "node:assert/strict";
import { badRequest, invalidResource, quote } from "./jwt-finding.ts";

Deno.test("badRequest and invalidResource carry status and Spine code", () => {
  assert.deepEqual(badRequest("iat", 'Claim "iat" is missing'), {
    claim: "iat",
    problem: 'Claim "iat" is missing',
    status: 400,
    spineCode: "BAD_REQUEST",
  });
  assert.deepEqual(invalidResource("requesting_device", "x"), {
    claim: "requesting_device",
    problem: "x",
    status: 422,
    spineCode: "INVALID_RESOURCE",
  });
});

Deno.test("quote escapes control characters and cuts long values", () => {
  assert.equal(quote("directcare"), '"directcare"');
  assert.equal(quote("a\nb\u0000"), '"a\\nb\\u0000"');
  assert.equal(quote(42), '"42"');
  assert.equal(quote(undefined), '"undefined"');
  assert.equal(quote("y".repeat(100)), `"${"y".repeat(64)}…"`);
});
