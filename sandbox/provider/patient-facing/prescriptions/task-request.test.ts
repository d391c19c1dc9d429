/** What a reorder body and a cancel patch may carry, each refusal with its code. */
import assert from "node:assert/strict";
import { PfError } from "../pf-error.ts";
import { checkCancelPatch, reorderRequest } from "./task-request.ts";

const task = (extra: Record<string, unknown> = {}) => ({
  resourceType: "Task",
  focus: { reference: "MedicationRequest/2-med-1-plan" },
  for: { reference: "Patient/9690937286" },
  ...extra,
});

function refused(run: () => unknown, status: number, code: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof PfError);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  });
}

Deno.test("reorder request: what the practice takes, and each refusal", () => {
  assert.deepEqual(reorderRequest(task(), "9690937286"), { focusId: "2-med-1-plan" });
  const byIdentifier = task({
    for: { identifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: "9690937286" } },
    note: [{ text: "Before Friday" }],
    input: [{
      type: { coding: [{ code: "preferred-performer" }] },
      valueIdentifier: { system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "FLM49" },
    }],
  });
  assert.deepEqual(reorderRequest(byIdentifier, "9690937286"), {
    focusId: "2-med-1-plan",
    preferredPharmacy: "FLM49",
    note: "Before Friday",
  });
  refused(() => reorderRequest({ resourceType: "Patient" }, "9690937286"), 422, "INVALID_RESOURCE");
  refused(
    () => reorderRequest(task({ status: "completed" }), "9690937286"),
    422,
    "INVALID_RESOURCE",
  );
  refused(() => reorderRequest(task({ intent: "plan" }), "9690937286"), 422, "INVALID_RESOURCE");
  refused(() => reorderRequest(task({ for: undefined }), "9690937286"), 422, "INVALID_RESOURCE");
  refused(() => reorderRequest(task({ focus: undefined }), "9690937286"), 422, "INVALID_RESOURCE");
  refused(
    () => reorderRequest(task({ focus: { reference: "Medication/1" } }), "9690937286"),
    422,
    "REFERENCE_NOT_FOUND",
  );
  refused(
    () => reorderRequest(task({ for: { reference: "Patient/2" } }), "9690937286"),
    422,
    "REFERENCE_NOT_FOUND",
  );
  refused(() => reorderRequest(task(), "9690937294"), 403, "ACCESS_DENIED");
  refused(
    () =>
      reorderRequest(
        task({
          input: [{
            type: { coding: [{ code: "preferred-performer" }] },
            valueIdentifier: { system: "https://example.org", value: "FLM49" },
          }],
        }),
        "9690937286",
      ),
    422,
    "INVALID_RESOURCE",
  );
  refused(
    () =>
      reorderRequest(task({ input: [{ type: { coding: [{ code: "dosage" }] } }] }), "9690937286"),
    422,
    "INVALID_RESOURCE",
  );
  refused(
    () => reorderRequest(task({ note: [{ text: "x".repeat(1001) }] }), "9690937286"),
    422,
    "INVALID_VALUE",
  );
});

Deno.test("cancel patch: exactly replace /status with cancelled", () => {
  checkCancelPatch([{ op: "replace", path: "/status", value: "cancelled" }]);
  for (
    const patch of [
      [],
      {},
      [{ op: "replace", path: "/status", value: "completed" }],
      [{ op: "add", path: "/status", value: "cancelled" }],
      [{ op: "replace", path: "/focus", value: "cancelled" }],
      [{ op: "replace", path: "/status", value: "cancelled", from: "/x" }],
      [
        { op: "replace", path: "/status", value: "cancelled" },
        { op: "replace", path: "/status", value: "cancelled" },
      ],
    ]
  ) {
    refused(() => checkCancelPatch(patch), 422, "INVALID_RESOURCE");
  }
});
