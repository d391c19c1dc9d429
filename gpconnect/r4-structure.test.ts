/** The R4 structure check finds what it is for: unknown elements, missing 1..1, bad codes and forms. */
import assert from "node:assert/strict";
import { r4StructureProblems } from "./r4-structure.ts";

Deno.test("r4 structure: each kind of problem is found, a sound resource has none", () => {
  const sound = {
    resourceType: "MedicationRequest",
    id: "1",
    status: "active",
    intent: "plan",
    subject: { reference: "Patient/9690937286" },
    authoredOn: "2026-01-10T10:00:00Z",
  };
  assert.deepEqual(r4StructureProblems(sound), []);
  const problems = (resource: Record<string, unknown>) => r4StructureProblems(resource).join("\n");
  assert.match(problems({ ...sound, medicationCodableConcept: {} }), /not an element/);
  assert.match(problems({ ...sound, intent: undefined }), /intent: required/);
  assert.match(problems({ ...sound, status: "open" }), /not a status code/);
  assert.match(
    problems({ ...sound, subject: { reference: "Patient/1", nhs: "x" } }),
    /not an element of Reference/,
  );
  assert.match(problems({ ...sound, authoredOn: "10/01/2026" }), /not an R4 dateTime/);
  assert.match(problems({ ...sound, note: [] }), /empty arrays/);
  assert.match(problems({ ...sound, note: [{ text: "" }] }), /empty strings/);
  assert.match(
    problems({
      resourceType: "Bundle",
      type: "searchset",
      entry: [{ resource: { ...sound, status: "x" } }],
    }),
    /status/,
  );
  assert.match(problems({ resourceType: "Observation" }), /no structure known/);
  assert.match(
    problems({ resourceType: "OperationOutcome", issue: [{ code: "invalid" }] }),
    /severity and code/,
  );
});
