import assert from "node:assert/strict";
import { base64urlDecode } from "../../../gpconnect/base64url.ts";
import { baseRequest } from "../base-requests.ts";
import { requireInteraction } from "../catalogue.ts";
import { jwtTokenScenarios } from "./jwt-token.ts";

const byRule = (shortName: string) =>
  new Map(
    jwtTokenScenarios(baseRequest(requireInteraction(shortName))).map((s) => [
      s.id.split(".").at(-1)!,
      s,
    ]),
  );

Deno.test("a wrong resource type is 422 in 1.x and 400 in DSTU2", () => {
  const stu3 = byRule("read-metadata").get("jwt-device-wrong-resource-type")!;
  assert.equal(stu3.expect.status, 422);
  assert.equal(stu3.expect.spineCode, "INVALID_RESOURCE");
  const dstu2 = byRule("html-metadata").get("jwt-device-wrong-resource-type")!;
  assert.equal(dstu2.expect.status, 400);
  assert.ok(dstu2.requirements.includes("JWT-DSTU2-RESOURCE-TYPE"));
});

Deno.test("replacing the practitioner keeps sub equal to its id, except when testing that", () => {
  const rules = byRule("read-patient");
  const noName = rules.get("jwt-practitioner-no-name")!.mutations!;
  assert.deepEqual(noName.at(-1), { kind: "set-claim", claim: "sub", value: "1" });
  const sub = rules.get("jwt-sub-not-practitioner")!.mutations!;
  assert.deepEqual(sub.at(-1), { kind: "set-claim", claim: "sub", value: "2" });
});

Deno.test("the token structure defects use the well-formed token or fixed texts", () => {
  const rules = byRule("search-patient");
  assert.deepEqual(rules.get("jwt-signature-present")!.mutations, [
    { kind: "set-header", header: "Authorization", value: "Bearer {jwt}c2lnbmF0dXJl" },
  ]);
  const payload = rules.get("jwt-payload-not-json")!.mutations![0]!;
  assert.ok(payload.kind === "set-header");
  const [, json] = payload.value.split(".");
  assert.equal(new TextDecoder().decode(base64urlDecode(json!)), "not json");
});

Deno.test("release-specific rules", () => {
  const stu3 = byRule("get-structured-record");
  assert.ok(stu3.has("jwt-requested-record-sent"));
  assert.ok(stu3.has("jwt-practitioner-unk"));
  assert.ok(stu3.has("jwt-organization-legacy-ods"));
  assert.ok(!byRule("migrate-structured-record").has("jwt-organization-legacy-ods"));
  const dstu2 = byRule("get-care-record");
  for (
    const rule of [
      "jwt-aud-not-fixed",
      "jwt-requested-record-other-patient",
      "jwt-practitioner-no-role",
    ]
  ) {
    assert.ok(dstu2.has(rule), rule);
  }
  assert.ok(!byRule("html-metadata").has("jwt-requested-record-other-patient"));
  assert.ok(!byRule("amend-appointment").has("jwt-bearer-lowercase"));
});
