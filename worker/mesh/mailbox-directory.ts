/**
 * Mailboxes and workflow permissions as data (issue 10 item 3): who exists, who may send and
 * receive which workflow, and the receivers endpoint lookup and GPPROVIDER routing resolve to.
 *
 * @module
 */
import type { MeshMailbox } from "./mesh-config.ts";

/** Read-only view of the configured mailboxes. */
export interface MailboxDirectory {
  /** The mailbox with this id (already upper-cased by the caller), if any. */
  get(id: string): MeshMailbox | undefined;
  /** Whether `mailbox` may send `workflowId`. */
  maySend(mailbox: MeshMailbox, workflowId: string): boolean;
  /** Whether `mailbox` may receive `workflowId`. */
  mayReceive(mailbox: MeshMailbox, workflowId: string): boolean;
  /**
   * Mailboxes whose ODS code equals `odsCode` (case-sensitively, like MESH's endpoint lookup)
   * and that may receive `workflowId`, in configuration order.
   */
  receiversFor(odsCode: string, workflowId: string): readonly MeshMailbox[];
  /** Every mailbox that may receive `workflowId`, in configuration order. */
  receiversOf(workflowId: string): readonly MeshMailbox[];
}

/**
 * Builds the directory over a mailbox list.
 *
 * @example
 * ```ts
 * import { defaultMeshConfig } from "./mesh-config.ts";
 * const directory = createMailboxDirectory(defaultMeshConfig.mailboxes);
 * directory.receiversFor("B82617", "GPCONNECT_SEND_DOCUMENT").map((m) => m.id); // ["B82617OT1"]
 * ```
 */
export function createMailboxDirectory(mailboxes: readonly MeshMailbox[]): MailboxDirectory {
  const byId = new Map(mailboxes.map((m) => [m.id, m]));
  const mayReceive = (m: MeshMailbox, workflowId: string) => m.receive.includes(workflowId);
  return {
    get: (id) => byId.get(id),
    maySend: (m, workflowId) => m.send.includes(workflowId),
    mayReceive,
    receiversFor: (odsCode, workflowId) =>
      mailboxes.filter((m) => m.odsCode === odsCode && mayReceive(m, workflowId)),
    receiversOf: (workflowId) => mailboxes.filter((m) => mayReceive(m, workflowId)),
  };
}

/**
 * Mailboxes of `mailboxes` whose ODS code matches and that may receive `workflowId`: what
 * GPPROVIDER routing resolves a practice to (one → deliver, none → EPL-151, several → EPL-150).
 *
 * @example
 * ```ts
 * import { defaultMeshConfig } from "./mesh-config.ts";
 * receiversFor(defaultMeshConfig.mailboxes, "Y88888", "GPCONNECT_SEND_DOCUMENT").length; // 2
 * ```
 */
export function receiversFor(
  mailboxes: readonly MeshMailbox[],
  odsCode: string,
  workflowId: string,
): readonly MeshMailbox[] {
  return createMailboxDirectory(mailboxes).receiversFor(odsCode, workflowId);
}
