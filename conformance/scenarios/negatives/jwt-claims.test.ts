import assert from "node:assert/strict";
import { baseRequest } from "../base-requests.ts";
import { requireInteraction } from "../catalogue.ts";
import { jwtClaimScenarios } from "./jwt-claims.ts";

const byRule = (shortName: string) =>
  new Map(
    jwtClaimScenarios(baseRequest(requireInteraction(shortName))).map((s) => [
      s.id.split(".").at(-1)!,
      s,
    ]),
  );

const claims = [
  "iss",
  "sub",
  "aud",
  "exp",
  "iat",
  "reason-for-request",
  "requested-scope",
  "requesting-device",
  "requesting-organization",
  "requesting-practitioner",
];

Deno.test("every required claim is missing, null and mistyped in turn", () => {
  const rules = byRule("read-patient");
  for (const claim of claims) {
    for (const defect of ["missing", "null", "wrong-type"]) {
      assert.ok(rules.has(`jwt-${claim}-${defect}`), `${claim} ${defect}`);
    }
  }
  assert.ok(!rules.has("jwt-requested-record-missing"));
  assert.ok(byRule("get-care-record").has("jwt-requested-record-missing"));
});

Deno.test("a mistyped resource claim accepts 400 or 422; scalar claims are 400", () => {
  const rules = byRule("read-metadata");
  assert.deepEqual(rules.get("jwt-requesting-device-wrong-type")!.expect.status, [400, 422]);
  assert.equal(rules.get("jwt-iss-wrong-type")!.expect.status, 400);
});

Deno.test("exp − iat of 299 and 301 are refused; 200 s in the future is accepted", () => {
  const rules = byRule("search-slots");
  assert.deepEqual(rules.get("jwt-exp-iat-299")!.mutations, [
    { kind: "set-claim", claim: "iat", value: "{epoch}" },
    { kind: "set-claim", claim: "exp", value: "{epoch+299}" },
  ]);
  const future = rules.get("jwt-iat-future-200")!;
  assert.equal(future.expect.status, 200);
  assert.ok(future.tags.includes("positive"));
});

Deno.test("scopes and reasons follow the interaction", () => {
  const migrate = byRule("migrate-structured-record");
  assert.deepEqual(migrate.get("jwt-reason-other")!.mutations?.at(-1), {
    kind: "set-claim",
    claim: "reason_for_request",
    value: "directcare",
  });
  const register = byRule("register-patient");
  assert.deepEqual(register.get("jwt-scope-other-access")!.mutations, [
    { kind: "set-claim", claim: "requested_scope", value: "patient/*.read" },
  ]);
  assert.ok(byRule("read-metadata").has("jwt-scope-conf-r"));
  assert.ok(byRule("get-care-record").has("jwt-scope-conf-suffix"));
  assert.ok(!byRule("get-care-record").has("jwt-scope-conf-r"));
});
