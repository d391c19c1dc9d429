/**
 * Who a send is for (mesh.md §3.1, §5.2, §5.3): a mailbox id (upper-cased, as MESH does), or a
 * `GPPROVIDER_{nhs}_{dob}_{surname}` address routed by GP Connect automated routing. Unknown
 * mailboxes, routing addresses on a workflow MESH does not route, and routing addresses when no
 * router is configured are unregistered (417 code 12); a mailbox that may not receive the
 * workflow is 417 code 17. A routing failure is not an error here: the message is stored and
 * fails with an EPL REPORT once complete.
 *
 * @module
 */
import type { MeshMailbox } from "./mesh-config.ts";
import type { MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";

/** The routing prefix; MESH only honours it in upper case. */
export const gpProviderPrefix = "GPPROVIDER_";

/** Where a message goes. */
export interface ResolvedRecipient {
  /** Recipient mailbox id; `""` when routing failed. */
  readonly mailboxId: string;
  /** Recipient ODS code (`""` when routing failed). */
  readonly odsCode: string;
  /** The routing failure to report once the message is complete. */
  readonly routingFailure: { readonly code: string; readonly description: string } | undefined;
}

/** Whether `to` is a GPPROVIDER routing address (case-sensitive prefix, as MESH). */
export function isGpProviderAddress(to: string): boolean {
  return to.startsWith(gpProviderPrefix);
}

/**
 * Checks a direct recipient or that a routing address may be routed, without routing it (so an
 * empty body is refused before PDS is asked anything).
 *
 * @throws {MeshError} 417 code 12 or 17.
 */
export function checkRecipient(
  services: MeshServices,
  to: string,
  workflowId: string,
): MeshMailbox | "route" {
  if (isGpProviderAddress(to)) {
    if (!services.routeGpProvider || !services.config.gpProviderWorkflows.includes(workflowId)) {
      throw MeshError.coded(417, "12");
    }
    return "route";
  }
  const mailbox = services.directory.get(to.toUpperCase());
  if (!mailbox) throw MeshError.coded(417, "12");
  if (!services.directory.mayReceive(mailbox, workflowId)) {
    throw MeshError.coded(417, "17", {
      description: `Workflow ID not registered for recipient mailbox ${mailbox.id}`,
    });
  }
  return mailbox;
}

/**
 * Resolves the recipient checked by {@linkcode checkRecipient}, routing a GPPROVIDER address.
 * Rejects (and the send fails before anything is stored) only when the router itself fails.
 */
export async function resolveRecipient(
  services: MeshServices,
  checked: MeshMailbox | "route",
  to: string,
  workflowId: string,
): Promise<ResolvedRecipient> {
  if (checked !== "route") {
    return { mailboxId: checked.id, odsCode: checked.odsCode, routingFailure: undefined };
  }
  const route = services.routeGpProvider;
  if (!route) throw MeshError.coded(417, "12");
  const routing = await route(to, workflowId);
  if (routing.kind === "failed") {
    return {
      mailboxId: "",
      odsCode: "",
      routingFailure: { code: routing.code, description: routing.description },
    };
  }
  const mailbox = services.directory.get(routing.mailboxId);
  if (!mailbox || !services.directory.mayReceive(mailbox, workflowId)) {
    // The router named a mailbox this service cannot deliver to: as good as no match.
    return {
      mailboxId: "",
      odsCode: "",
      routingFailure: { code: "EPL-151", description: "No mailbox matched" },
    };
  }
  return { mailboxId: mailbox.id, odsCode: routing.odsCode, routingFailure: undefined };
}
