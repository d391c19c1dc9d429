import assert from "node:assert/strict";
import { richClinicalRecord, richRecordContext } from "../structured-test-support.ts";
import {
  medicationOrder,
  medicationPlan,
  medicationResource,
  medicationStatement,
} from "./medication-resources.ts";

const record = richClinicalRecord();
const context = richRecordContext;

Deno.test("statement → plan → medication, and orders based on the plan", () => {
  const med = record.medications.find((m) => m.id === "med-5")!;
  const statement = medicationStatement(context, med);
  assert.equal(statement.status, "stopped");
  assert.deepEqual(statement.basedOn, [{ reference: "MedicationRequest/med-5-plan" }]);
  assert.deepEqual(statement.medicationReference, { reference: "Medication/med-5-medication" });
  assert.equal((statement.effectivePeriod as { end: string }).end, med.end);
  const plan = medicationPlan(context, med);
  assert.equal(plan.intent, "plan");
  const extensions = plan.extension as Array<{ url: string }>;
  assert.ok(extensions.some((e) => e.url.endsWith("MedicationStatusReason-1")));
  const quantity = (plan.dispenseRequest as { quantity: Record<string, unknown> }).quantity;
  assert.deepEqual(Object.keys(quantity), ["extension", "value", "unit"], "FHIR element order");
  assert.equal(quantity.value, 24);
  const order = medicationOrder(context, med, med.issues[0]!);
  assert.equal(order.intent, "order");
  assert.deepEqual(order.basedOn, [{ reference: "MedicationRequest/med-5-plan" }]);
  assert.equal(medicationResource(med).id, "med-5-medication");
});
