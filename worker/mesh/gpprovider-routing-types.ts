/**
 * The contract between the MESH mailbox service and GP Connect automated routing (mesh.md §5.3):
 * the service hands a `GPPROVIDER_{nhs}_{dob}_{surname}` address and the workflow id to a
 * {@linkcode RouteGpProvider} function and gets back a mailbox or an EPL failure. The service turns
 * a failure into an `error` message and an EPL REPORT in the sender's inbox; it never answers the
 * send with the failure itself.
 *
 * @module
 */

import type { EplCode } from "../../gpconnect/mesh/mesh-workflows.ts";

/** MESH's GPPROVIDER routing failure codes (mesh.md §5.3), defined once in gpconnect/mesh. */
export type { EplCode };

/** What routing one GPPROVIDER address gave. */
export type GpProviderRouting =
  | {
    /** Exactly one receiving mailbox was found. */
    readonly kind: "routed";
    /** The practice's mailbox, which becomes the message's recipient. */
    readonly mailboxId: string;
    /** The registered practice's ODS code (kept for tracking, not the patient's details). */
    readonly odsCode: string;
  }
  | {
    /** Routing failed; the sender receives a REPORT with this code. */
    readonly kind: "failed";
    /** EPL code for `mex-StatusCode`. */
    readonly code: EplCode;
    /** Text for `mex-StatusDescription`. */
    readonly description: string;
  };

/**
 * Routes a GPPROVIDER address for a workflow. Rejects only when routing could not be attempted
 * (e.g. PDS unreachable); the send is then a 503 with `Retry-After` and nothing stored.
 *
 * @example
 * ```ts
 * const route: RouteGpProvider = (_address, _workflowId) =>
 *   Promise.resolve({ kind: "failed", code: "EPL-153", description: "NHS Number not found" });
 * ```
 */
export type RouteGpProvider = (address: string, workflowId: string) => Promise<GpProviderRouting>;
