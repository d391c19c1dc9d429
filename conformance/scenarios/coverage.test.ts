import assert from "node:assert/strict";
import type { Requirement, TestCase } from "../model.ts";
import { requirementsNamedBy } from "./coverage.ts";

const requirement = (id: string): Requirement => ({
  id,
  text: "t.",
  source: "s",
  products: ["html"],
});

Deno.test("requirements named by a case or one of its assertions are named; the rest unnamed", () => {
  const cases: TestCase[] = [{
    kind: "scenario",
    readOnly: true,
    scenario: {
      id: "a",
      title: "a",
      product: "html",
      tags: [],
      requirements: ["A"],
      request: {
        interaction: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata",
        path: "/metadata",
      },
      expect: {
        status: 200,
        fhirpath: [{ expression: "true", description: "d", requirement: "C" }],
      },
    },
  }];
  assert.deepEqual(
    requirementsNamedBy([requirement("A"), requirement("B"), requirement("C")], cases),
    { named: ["A", "C"], unnamed: ["B"] },
  );
  assert.deepEqual(requirementsNamedBy([requirement("A")], []), { named: [], unnamed: ["A"] });
});
