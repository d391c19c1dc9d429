import assert from "node:assert/strict";
import {
  ackWorkflowOf,
  eplErrors,
  gpConnectWorkflows,
  gpProviderRoutingWorkflows,
  isGpProviderRoutingWorkflow,
  meshWorkflowIds,
} from "./mesh-workflows.ts";

Deno.test("mesh workflows: every named id is in the catalogue, acks pair both ways", () => {
  const ids = new Set(gpConnectWorkflows.map((workflow) => workflow.id));
  assert.equal(ids.size, 6);
  for (const id of Object.values(meshWorkflowIds)) assert.ok(ids.has(id), id);
  for (const workflow of gpConnectWorkflows) {
    if (workflow.ack) {
      const ack = gpConnectWorkflows.find((w) => w.id === workflow.ack);
      assert.equal(ack?.ackOf, workflow.id);
      assert.equal(ackWorkflowOf(workflow.id), workflow.ack);
    } else {
      assert.ok(workflow.ackOf, workflow.id);
      assert.equal(ackWorkflowOf(workflow.id), undefined);
    }
  }
  assert.equal(ackWorkflowOf("API-DOCS-TEST"), undefined);
});

Deno.test("mesh workflows: GPPROVIDER routing as mesh.md §5.1 lists it", () => {
  assert.equal(gpProviderRoutingWorkflows.size, 10);
  for (
    const id of [
      "GPCONNECT_SEND_DOCUMENT",
      "GPCONNECT_UPDATE_RECORD",
      "GPCONNECT_UPDATE_RECORD_ACK",
      "GPFED_CONSULT_REPORT",
      "GPFED_CONSULT_REPORT_ACK",
      "TOC_FHIR_IP_DISCH",
    ]
  ) assert.equal(isGpProviderRoutingWorkflow(id), true, id);
  for (const id of ["GPCONNECT_SEND_DOCUMENT_ACK", "gpconnect_send_document", "API-DOCS-TEST"]) {
    assert.equal(isGpProviderRoutingWorkflow(id), false, id);
  }
});

Deno.test("mesh workflows: EPL descriptions word for word", () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(eplErrors).map(([code, e]) => [code, e.description])),
    {
      "EPL-150": "Multiple mailboxes matches",
      "EPL-151": "No mailbox matched",
      "EPL-152": "Invalid NHS Number",
      "EPL-153": "NHS Number not found",
      "EPL-154": "NHS Number supplied does not match the demographics",
    },
  );
});
