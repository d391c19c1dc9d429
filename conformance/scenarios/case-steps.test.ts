import assert from "node:assert/strict";
import type { Flow, Requirement, Scenario } from "../model.ts";
import { caseItem, itemSteps, namedRequirements } from "./case-steps.ts";
import { requirementsNamedBy } from "./coverage.ts";
import { describeCase } from "./selection.ts";

const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
const search = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1";
const check = (requirement: string) => ({ expression: "true", description: "d", requirement });

const scenario: Scenario = {
  id: "s",
  title: "s",
  product: "foundations",
  tags: [],
  requirements: ["A"],
  request: { interaction: metadata, path: "/metadata" },
  expect: { status: 200, fhirpath: [check("A")], viaSsp: { status: 403, fhirpath: [check("B")] } },
};

const flow: Flow = {
  id: "f",
  title: "f",
  product: "foundations",
  tags: [],
  requirements: ["C"],
  steps: [{
    name: "one",
    request: { interaction: search, path: "/Patient" },
    expect: { status: 200 },
  }],
  teardown: [{
    name: "two",
    request: { interaction: metadata, path: "/metadata" },
    expect: { status: 200, fhirpath: [check("D")] },
  }],
};

Deno.test("a scenario is its own step; a flow's steps come before its teardown", () => {
  assert.deepEqual(itemSteps(scenario), [scenario]);
  assert.deepEqual(itemSteps(flow).map((step) => step.request.interaction), [search, metadata]);
  assert.equal(caseItem({ kind: "flow", flow, readOnly: false }), flow);
});

Deno.test("named requirements: its own, then its assertions', viaSsp and teardown included, once", () => {
  assert.deepEqual(namedRequirements(scenario), ["A", "B"]);
  assert.deepEqual(namedRequirements(flow), ["C", "D"]);
  const requirements: Requirement[] = ["A", "B", "C", "D", "E"].map((id) => ({
    id,
    text: "t.",
    source: "s",
    products: ["foundations"],
  }));
  const cases = [
    { kind: "scenario" as const, scenario, readOnly: true },
    { kind: "flow" as const, flow, readOnly: false as const },
  ];
  assert.deepEqual(requirementsNamedBy(requirements, cases).unnamed, ["E"]);
  assert.deepEqual(describeCase(cases[1]!).interactions, [search, metadata]);
});
