/**
 * Sends a planned ITK3 acknowledgement over MESH, once: to the original sender's mailbox
 * (`mex-From`; the ITK3 default when the sender cannot be read, and never a mailbox the payload
 * merely names), on the business workflow's `_ACK` workflow, `Mex-LocalID` = the response
 * Bundle's identifier.
 *
 * Exactly once across crashes: the state records "attempting" before the MESH send and the MESH
 * id after it. A retry that finds an attempt without an id asks MESH whether a message with that
 * local id was sent (tracking by local id) before sending again, so a crash between the send and
 * the state write does not duplicate the acknowledgement. (A MESH without that lookup answers 404
 * or an error, and the acknowledgement is sent again: duplicated only in that crash window.)
 *
 * @module
 */
import { MeshClientError } from "../../client/mesh/mesh-client.ts";
import type { PracticeMailbox } from "./practice-mailbox.ts";
import type { PlannedAck, ProcessingState } from "./processing-state.ts";

/** Which acknowledgement. */
export type AckKind = "infAck" | "busAck";

/**
 * Sends `state[kind]` unless it was sent; returns the updated (stored) state.
 *
 * @example
 * ```ts ignore
 * state = await sendPlannedAck(mailbox, state, "infAck");
 * ```
 */
export async function sendPlannedAck(
  mailbox: PracticeMailbox,
  state: ProcessingState,
  kind: AckKind,
): Promise<ProcessingState> {
  const plan = state[kind];
  if (!plan || plan.sentMessageId !== undefined) return state;
  let sentMessageId = plan.attempting ? await earlierSend(mailbox, plan) : undefined;
  if (sentMessageId === undefined) {
    const attempting: ProcessingState = { ...state, [kind]: { ...plan, attempting: true } };
    await mailbox.states.put(attempting);
    sentMessageId = await mailbox.mesh.send({
      to: state.senderMailbox,
      from: mailbox.mailboxId,
      workflowId: state.ackWorkflowId,
      body: JSON.stringify(plan.bundle),
      subject: `ITK3 response ${plan.code}`,
      localId: plan.bundleIdentifier,
      fileName: `${plan.bundleIdentifier}.json`,
      contentType: "application/fhir+json",
    });
  }
  const sent: ProcessingState = { ...state, [kind]: { ...plan, sentMessageId } };
  await mailbox.states.put(sent);
  return sent;
}

/** The MESH id of an earlier send of `plan`, when MESH has one. */
async function earlierSend(
  mailbox: PracticeMailbox,
  plan: PlannedAck,
): Promise<string | undefined> {
  try {
    const tracked = await mailbox.mesh.trackByLocalId(plan.bundleIdentifier);
    const id = tracked?.messageId ?? tracked?.message_id;
    return typeof id === "string" ? id : undefined;
  } catch (error) {
    // Several messages with this local id: it was sent (more than once already).
    if (error instanceof MeshClientError && error.status === 300) return "(several)";
    return undefined;
  }
}
