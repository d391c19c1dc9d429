import assert from "node:assert/strict";
import { baseRequest } from "../base-requests.ts";
import { requireInteraction } from "../catalogue.ts";
import { mediaTypeScenarios } from "./media-type.ts";

const byRule = (shortName: string) =>
  new Map(
    mediaTypeScenarios(baseRequest(requireInteraction(shortName))).map((s) => [
      s.id.split(".").at(-1)!,
      s,
    ]),
  );

Deno.test("_format wins over Accept, and the response media type says so", () => {
  const scenario = byRule("read-metadata").get("format-accept-json-param-xml")!;
  assert.deepEqual(scenario.mutations, [
    { kind: "set-header", header: "Accept", value: "application/fhir+json" },
    { kind: "set-query", name: "_format", value: "application/fhir+xml" },
  ]);
  assert.equal(scenario.expect.headers?.["Content-Type"], "/^application\\/fhir\\+xml/");
  assert.ok(scenario.requirements.includes("FHIR-FORMAT-PRECEDENCE"));
});

Deno.test("the matrix covers Accept × _format and the Content-Type fallback on GETs", () => {
  const rules = byRule("search-patient");
  for (const accept of ["none", "json", "xml"]) {
    for (const param of ["none", "json", "xml"]) {
      assert.ok(rules.has(`format-accept-${accept}-param-${param}`), `${accept}/${param}`);
    }
  }
  assert.equal(
    rules.get("format-content-type-xml")!.expect.headers?.["Content-Type"],
    "/^application\\/fhir\\+xml/",
  );
  assert.ok(!byRule("get-structured-record").has("format-content-type-xml"));
});

Deno.test("DSTU2 negotiates its own media types", () => {
  const scenario = byRule("get-care-record").get("format-accept-xml-param-none")!;
  assert.deepEqual(scenario.mutations, [
    { kind: "set-header", header: "Accept", value: "application/xml+fhir" },
  ]);
  assert.equal(scenario.expect.validate, undefined);
});

Deno.test("unsupported media types are 415; bodies get a Content-Type negative", () => {
  const rules = byRule("register-patient");
  assert.equal(rules.get("accept-unsupported")!.expect.status, 415);
  assert.equal(rules.get("accept-unsupported")!.expect.viaSsp?.spineCode, "UNSUPPORTED_MEDIA_TYPE");
  assert.equal(rules.get("format-unsupported")!.expect.viaSsp, undefined);
  assert.ok(rules.has("content-type-unsupported"));
  assert.ok(!rules.has("format-accept-xml-param-none"), "no positives on a mutating interaction");
  assert.ok(!byRule("read-metadata").has("content-type-unsupported"));
});
