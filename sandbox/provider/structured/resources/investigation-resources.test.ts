import assert from "node:assert/strict";
import { clinicalRecordFor } from "../../clinical/clinical-records.ts";
import { investigationResources } from "./investigation-resources.ts";

const record = clinicalRecordFor("9690937286", new Date("2025-03-10T15:00:00Z"))!;
const context = {
  nhsNumber: "9690937286",
  patientReference: "Patient/2",
  organizationReference: "Organization/1",
};

Deno.test("one result: report → result directly; several: a test group header", () => {
  const single = investigationResources(
    context,
    record.investigations.find((i) => i.id === "inv-1")!,
  );
  assert.deepEqual(single.map((r) => r.resourceType), [
    "DiagnosticReport",
    "ProcedureRequest",
    "Specimen",
    "Observation",
  ]);
  assert.deepEqual(single[0]!.result, [{ reference: "Observation/inv-1-result-1" }]);
  const result = single[3]!;
  assert.deepEqual(result.referenceRange, [{
    low: { value: 20 },
    high: { value: 41 },
    text: "20-41",
  }]);

  const group = investigationResources(
    context,
    record.investigations.find((i) => i.id === "inv-2")!,
  );
  assert.deepEqual(group[0]!.result, [{ reference: "Observation/inv-2-group" }]);
  const header = group.find((r) => r.id === "inv-2-group")!;
  assert.deepEqual(
    (header.related as Array<{ target: { reference: string } }>).map((r) => r.target.reference),
    ["Observation/inv-2-result-1", "Observation/inv-2-result-2", "Observation/inv-2-result-3"],
  );
});
