import assert from "node:assert/strict";
import { evaluateFhirPath, FhirPathError, fhirPathHolds } from "./fhirpath-assert.ts";

const bundle = {
  resourceType: "Bundle",
  type: "searchset",
  entry: [
    {
      resource: {
        resourceType: "Patient",
        id: "2",
        birthDate: "1942-02-03",
        deceasedBoolean: false,
      },
    },
    { resource: { resourceType: "Organization", id: "1", name: "Practice" } },
  ],
};

Deno.test("evaluateFhirPath: collections, STU3 types and choice elements", () => {
  assert.deepEqual(evaluateFhirPath(bundle, "Bundle.entry.resource.ofType(Patient).birthDate"), [
    "1942-02-03",
  ]);
  assert.deepEqual(evaluateFhirPath(bundle, "entry.resource.ofType(Patient).deceased"), [false]);
  assert.deepEqual(evaluateFhirPath(bundle, "entry.resource.name"), ["Practice"]);
  assert.deepEqual(evaluateFhirPath(bundle, "entry.resource.telecom"), []);
  assert.equal(JSON.stringify(bundle).includes("__"), false, "the resource is not modified");
});

Deno.test("fhirPathHolds: true, or a non-empty collection of trues", () => {
  assert.equal(fhirPathHolds(bundle, "entry.count() = 2"), true);
  assert.equal(
    fhirPathHolds(bundle, "entry.resource.ofType(Patient).birthDate < @2000-01-01"),
    true,
  );
  assert.equal(fhirPathHolds(bundle, "entry.resource.id = '9'"), false);
  assert.equal(fhirPathHolds(bundle, "entry.resource.telecom.exists()"), false);
  assert.equal(fhirPathHolds(bundle, "entry.resource.where(id = '9')"), false, "empty");
  assert.equal(fhirPathHolds(bundle, "entry.resource.id"), false, "not booleans");
});

Deno.test("an invalid expression is a FhirPathError naming it", () => {
  assert.throws(
    () => evaluateFhirPath(bundle, "entry.((("),
    (error: unknown) =>
      error instanceof FhirPathError && error.expression === "entry.(((" &&
      error.message.startsWith('Invalid FHIRPath expression "entry.((("'),
  );
  assert.throws(() => fhirPathHolds(bundle, "entry.noSuchFunction(1)"), FhirPathError);
});
