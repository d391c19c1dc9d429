import assert from "node:assert/strict";
import { richClinicalRecord, richRecordContext } from "../structured-test-support.ts";
import { investigationResources } from "./investigation-resources.ts";

const record = richClinicalRecord();
const context = richRecordContext;

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
