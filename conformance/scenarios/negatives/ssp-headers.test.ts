import assert from "node:assert/strict";
import { baseRequest } from "../base-requests.ts";
import { requireInteraction } from "../catalogue.ts";
import { sspHeaderScenarios } from "./ssp-headers.ts";

const byRule = (shortName: string) =>
  new Map(
    sspHeaderScenarios(baseRequest(requireInteraction(shortName))).map((s) => [
      s.id.split(".").at(-1)!,
      s,
    ]),
  );

Deno.test("a missing header is 400 BAD_REQUEST, and the SSP's own 400 through an SSP", () => {
  const scenario = byRule("read-metadata").get("missing-ssp-traceid")!;
  assert.deepEqual(scenario.mutations, [{ kind: "drop-header", header: "Ssp-TraceID" }]);
  assert.equal(scenario.expect.status, 400);
  assert.equal(scenario.expect.spineCode, "BAD_REQUEST");
  assert.deepEqual(scenario.expect.viaSsp, {
    status: 400,
    spineCode: "MISSING_OR_INVALID_HEADER",
    resourceType: "OperationOutcome",
  });
});

Deno.test("a wrong Ssp-To is the provider's 400 or the SSP's 403 PARTYKEY", () => {
  const scenario = byRule("search-patient").get("to-other-asid")!;
  assert.equal(scenario.expect.status, 400);
  assert.equal(scenario.expect.viaSsp?.status, 403);
  assert.equal(scenario.expect.viaSsp?.spineCode, "PARTYKEY_CHECK_FAILED");
});

Deno.test("an unknown or mis-cased interaction id is the SSP's 415", () => {
  const rules = byRule("get-structured-record");
  for (const rule of ["interaction-unknown", "interaction-miscased"]) {
    assert.equal(rules.get(rule)!.expect.viaSsp?.status, 415, rule);
  }
  const miscased = rules.get("interaction-miscased")!.mutations![0]!;
  assert.deepEqual(miscased, {
    kind: "set-header",
    header: "Ssp-InteractionID",
    value: "urn:nhs:names:services:GPConnect:fhir:operation:gpc.getstructuredrecord-1",
  });
});

Deno.test("another interaction's id is forwarded by the SSP and refused by the provider", () => {
  const scenario = byRule("read-patient").get("interaction-other")!;
  assert.equal(scenario.expect.viaSsp, undefined);
  assert.equal(scenario.expect.status, 400);
});

Deno.test("an unregistered Ssp-From is positive for providers and refused by the SSP", () => {
  const scenario = byRule("read-metadata").get("from-unregistered-asid")!;
  assert.equal(scenario.expect.status, 200);
  assert.equal(scenario.expect.viaSsp?.status, 403);
  assert.equal(byRule("book-appointment").has("from-unregistered-asid"), false);
});
