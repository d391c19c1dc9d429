/**
 * GP Connect's MESH workflow ids (`specs/gpconnect-mesh-workflows.json`), the workflows MESH
 * honours a `GPPROVIDER_…` address for (`specs/mesh-workflows.json`) and the EPL routing errors
 * (`specs/mesh-error-codes.json`), from shared/reference/mesh.md §5.1, §5.3. The JSON is imported
 * as a module so the worker bundles into a Cloudflare Worker.
 *
 * @module
 */
import gpConnectWorkflowsDoc from "../../specs/gpconnect-mesh-workflows.json" with { type: "json" };
import routingDoc from "../../specs/mesh-workflows.json" with { type: "json" };
import errorCodesDoc from "../../specs/mesh-error-codes.json" with { type: "json" };

/** A GP Connect messaging product. */
export type MeshProduct = "send-document" | "update-record";

/** One GP Connect MESH workflow. */
export interface GpConnectWorkflow {
  /** The `Mex-WorkflowID`. */
  readonly id: string;
  /** The product it carries. */
  readonly product: MeshProduct;
  /** `1` for Send Document v1.x (GPFED_*), `2` for Send Document v2; Update Record has one. */
  readonly version: string;
  /** For a business workflow: the workflow its ITK3 acknowledgements travel on. */
  readonly ack?: string;
  /** For an acknowledgement workflow: the business workflow it answers. */
  readonly ackOf?: string;
}

/** The routing failures MESH reports as `mex-StatusCode` on a REPORT. */
export type EplCode = "EPL-150" | "EPL-151" | "EPL-152" | "EPL-153" | "EPL-154";

/** How a REPORT words an EPL error. */
export interface EplError {
  /** `mex-StatusEvent` (`SEND`). */
  readonly event: string;
  /** `mex-StatusDescription`, word for word. */
  readonly description: string;
}

/** Every GP Connect MESH workflow (business and acknowledgement). */
export const gpConnectWorkflows: readonly GpConnectWorkflow[] = gpConnectWorkflowsDoc
  .workflows as readonly GpConnectWorkflow[];

/** Workflow ids by name, so code says `meshWorkflowIds.sendDocument` rather than a string. */
export const meshWorkflowIds = {
  consultReport: "GPFED_CONSULT_REPORT",
  consultReportAck: "GPFED_CONSULT_REPORT_ACK",
  sendDocument: "GPCONNECT_SEND_DOCUMENT",
  sendDocumentAck: "GPCONNECT_SEND_DOCUMENT_ACK",
  updateRecord: "GPCONNECT_UPDATE_RECORD",
  updateRecordAck: "GPCONNECT_UPDATE_RECORD_ACK",
} as const;

/** Workflow ids MESH routes a `GPPROVIDER_…` address for (note: not `GPCONNECT_SEND_DOCUMENT_ACK`). */
export const gpProviderRoutingWorkflows: ReadonlySet<string> = new Set(
  routingDoc.gpProviderWorkflows,
);

/** The EPL errors, by code. */
export const eplErrors: Readonly<Record<EplCode, EplError>> = {
  "EPL-150": errorCodesDoc.codes["EPL-150"],
  "EPL-151": errorCodesDoc.codes["EPL-151"],
  "EPL-152": errorCodesDoc.codes["EPL-152"],
  "EPL-153": errorCodesDoc.codes["EPL-153"],
  "EPL-154": errorCodesDoc.codes["EPL-154"],
};

/**
 * Whether MESH honours a `GPPROVIDER_…` address on `workflowId`. A routing address on any other
 * workflow is an unregistered recipient (417 code 12), answered at once.
 *
 * @example
 * ```ts
 * isGpProviderRoutingWorkflow("GPCONNECT_SEND_DOCUMENT"); // true
 * isGpProviderRoutingWorkflow("GPCONNECT_SEND_DOCUMENT_ACK"); // false
 * ```
 */
export function isGpProviderRoutingWorkflow(workflowId: string): boolean {
  return gpProviderRoutingWorkflows.has(workflowId);
}

/**
 * The workflow ITK3 acknowledgements of `workflowId` travel on, or `undefined` when it has none
 * (an acknowledgement workflow, or not GP Connect's).
 *
 * @example
 * ```ts
 * ackWorkflowOf("GPCONNECT_UPDATE_RECORD"); // "GPCONNECT_UPDATE_RECORD_ACK"
 * ```
 */
export function ackWorkflowOf(workflowId: string): string | undefined {
  return gpConnectWorkflows.find((workflow) => workflow.id === workflowId)?.ack;
}
