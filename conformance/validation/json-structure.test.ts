import assert from "node:assert/strict";
import { checkBaseStructure, checkJsonStructure } from "./json-structure.ts";

const problems = (resource: unknown, fhirVersion?: "STU3" | "DSTU2") =>
  checkBaseStructure(resource, fhirVersion ? { fhirVersion } : {}).map((m) =>
    `${m.path}: ${m.message}`
  );

Deno.test("base structure: a sound resource has no messages", () => {
  assert.deepEqual(
    problems({ resourceType: "Patient", name: [{ given: ["A"] }], active: true }),
    [],
  );
});

Deno.test("base structure: resourceType known, FHIR JSON emptiness and nulls", () => {
  assert.deepEqual(problems([]), ["Resource: a resource must be a JSON object"]);
  assert.deepEqual(problems({ id: "1" }), ["Resource: resourceType is missing"]);
  assert.deepEqual(problems({ resourceType: "Conformance" }), [
    "Conformance.resourceType: Conformance is not a STU3 resource type",
  ]);
  assert.deepEqual(problems({ resourceType: "Conformance" }, "DSTU2"), []);
  assert.deepEqual(
    problems({ resourceType: "Patient", name: [], text: {}, gender: " ", active: null, x: [[1]] }),
    [
      "Patient.name: empty array",
      "Patient.text: empty object",
      "Patient.gender: empty or whitespace-only string",
      "Patient.active: null value",
      "Patient.x[0]: array inside an array",
    ],
  );
});

Deno.test("base structure: nulls only where the _name twin carries an extension", () => {
  const extension = { extension: [{ url: "https://example.org/e", valueString: "x" }] };
  assert.deepEqual(
    problems({
      resourceType: "Patient",
      name: [{ given: [null, "B"], _given: [extension, null] }],
    }),
    [],
  );
  assert.deepEqual(
    problems({
      resourceType: "Patient",
      name: [{ given: [null, "B"], _given: [null, null, null] }],
    }),
    [
      "Patient.name[0].given[0]: null without a value or extension in _given[0]",
      "Patient.name[0]._given: _given has 3 items but given has 2",
      "Patient.name[0]._given[0]: null without a value or extension in given[0]",
      "Patient.name[0]._given[2]: null without a value or extension in given[2]",
    ],
  );
});

Deno.test("nested resources are handed over, not walked; checkBaseStructure visits them", () => {
  const nested: string[] = [];
  const bundle = {
    resourceType: "Bundle",
    type: "collection",
    entry: [{ resource: { resourceType: "Patient", name: [] } }],
  };
  assert.deepEqual(checkJsonStructure(bundle, "Bundle", (_, path) => nested.push(path)), []);
  assert.deepEqual(nested, ["Bundle.entry[0].resource"]);
  assert.deepEqual(problems(bundle), ["Bundle.entry[0].resource.name: empty array"]);
});
