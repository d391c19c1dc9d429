/**
 * Who a send is for (mesh.md §3.1, §5.2, §5.3): a mailbox id (upper-cased, as MESH does), or a
 * `GPPROVIDER_{nhs}_{dob}_{surname}` address routed by GP Connect automated routing. Unknown
 * mailboxes, routing addresses on a workflow MESH does not route, and routing addresses when no
 * router is configured are unregistered (417 code 12); a mailbox that may not receive the
 * workflow is 417 code 17. A routing failure is not an error here: the message is stored and
 * fails with an EPL REPORT once complete. A router that cannot route at all (PDS down) is a 503
 * with nothing stored, never a 500.
 *
 * @module
 */
import { GpcEdgeError } from "../errors.ts";
import type { GpProviderRouting } from "./gpprovider-routing-types.ts";
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
 *
 * @throws {MeshError} 503 with `Retry-After` when the router could not route at all (PDS
 * unreachable, timing out or throttling): the send fails before anything is stored, so the
 * sender may simply send again (specs/decisions.md M17).
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
  let routing: GpProviderRouting;
  try {
    routing = await route(to, workflowId);
  } catch (error) {
    throw routingUnavailable(error);
  }
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

/** Seconds a sender is asked to wait when PDS gave no `Retry-After` of its own. */
export const routingRetryAfterSeconds = 30;

/**
 * The 503 for a send GPPROVIDER routing could not route: MESH's error shape, event `SEND`, no
 * code (MESH has none for this), a `Retry-After` (PDS's own when it throttled, else
 * {@linkcode routingRetryAfterSeconds}). The cause is kept for the error line, which names only
 * its status and kind: a fetch failure's text can hold the PDS URL, and so the NHS number.
 */
function routingUnavailable(error: unknown): MeshError {
  const pdsRetryAfter = error instanceof GpcEdgeError ? error.headers["Retry-After"] : undefined;
  const retryAfterSeconds = pdsRetryAfter !== undefined && /^\d{1,6}$/.test(pdsRetryAfter)
    ? Number(pdsRetryAfter)
    : routingRetryAfterSeconds;
  const kind = error instanceof GpcEdgeError
    ? `the PDS call failed (${error.status} ${error.issueCode})`
    : error instanceof Error
    ? error.name
    : "unknown failure";
  return MeshError.custom(
    503,
    "SEND",
    "",
    "GPPROVIDER routing is unavailable (PDS could not be asked); nothing was stored: send the " +
      "message again later",
    { retryAfterSeconds, cause: new Error(`GPPROVIDER routing failed: ${kind}`) },
  );
}
