import assert from "node:assert/strict";
import type { Scenario, TestCase } from "../model.ts";
import { describeCase, selectTestCases } from "./selection.ts";

const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const search = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";

function scenario(
  id: string,
  interaction: string,
  tags: string[],
  requirements: string[],
): TestCase {
  const s: Scenario = {
    id,
    title: id,
    product: "foundations",
    tags,
    requirements,
    request: { interaction, path: "/metadata" },
    expect: {
      status: 200,
      fhirpath: [{ expression: "true", description: "t", requirement: "X-NARROW" }],
    },
  };
  return { kind: "scenario", scenario: s, readOnly: true };
}

const cases: TestCase[] = [
  scenario("read-metadata.neg.jwt-iss-missing", metadata, ["negative", "jwt"], ["JWT-CLAIM-ISS"]),
  scenario("read-metadata.gen.format-accept-any", metadata, ["positive", "format"], [
    "FHIR-FORMAT-ACCEPT",
  ]),
  scenario("search-patient.neg.jwt-iss-missing", search, ["negative", "jwt"], ["JWT-CLAIM-ISS"]),
  {
    kind: "flow",
    readOnly: false,
    flow: {
      id: "fnd.flow.x",
      title: "x",
      product: "foundations",
      tags: ["flow"],
      requirements: ["FND-PATIENT-READ"],
      steps: [{
        name: "a",
        request: { interaction: search, path: "/Patient" },
        expect: { status: 200 },
      }],
    },
  },
];
const ids = (selection: Parameters<typeof selectTestCases>[1]) =>
  selectTestCases(cases, selection).map((c) => describeCase(c).id);

Deno.test("an empty selection picks everything, in order", () => {
  assert.equal(ids({}).length, cases.length);
  assert.equal(ids({ tags: [] }).length, cases.length);
});

Deno.test("OR within a kind, AND across kinds", () => {
  assert.deepEqual(ids({ tags: ["format", "flow"] }), [
    "read-metadata.gen.format-accept-any",
    "fnd.flow.x",
  ]);
  assert.deepEqual(ids({ tags: ["jwt"], interactions: ["search-patient"] }), [
    "search-patient.neg.jwt-iss-missing",
  ]);
  assert.deepEqual(ids({ products: ["structured"] }), []);
});

Deno.test("interactions by URN or short name; requirements incl. assertion requirements", () => {
  assert.deepEqual(ids({ interactions: [metadata] }), ids({ interactions: ["read-metadata"] }));
  assert.deepEqual(ids({ interactions: ["search-patient"] }), [
    "search-patient.neg.jwt-iss-missing",
    "fnd.flow.x",
  ]);
  assert.equal(ids({ requirements: ["X-NARROW"] }).length, 3);
});

Deno.test("ids accept * globs and nothing else is special", () => {
  assert.deepEqual(ids({ ids: ["*.neg.jwt-*"] }), [
    "read-metadata.neg.jwt-iss-missing",
    "search-patient.neg.jwt-iss-missing",
  ]);
  assert.deepEqual(ids({ ids: ["fnd.flow.x", "read-metadata.*"] }), [
    "read-metadata.neg.jwt-iss-missing",
    "read-metadata.gen.format-accept-any",
    "fnd.flow.x",
  ]);
  assert.deepEqual(ids({ ids: ["fnd.flow.?"] }), []);
});
