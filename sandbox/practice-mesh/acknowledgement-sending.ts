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
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendGpConnectMessage } from "../../client/mesh-sender/gp-connect-send.ts";
 * import { tracePatient } from "../../client/mesh-sender/pds-patient-trace.ts";
 * import { tracePdsPatient } from "../provider/foundations/pds-trace.ts";
 * import { processMessage } from "./message-processing.ts";
 * import { startMessagingWorld } from "./messaging-test-world.ts";
 * import { processingStates } from "./processing-state.ts";
 * // gpc-edge's MESH, PDS and the practice's store on free ports; a Send Document sent to it.
 * const world = await startMessagingWorld();
 * try {
 *   const patient = await tracePatient("9690937286", { pdsBaseUrl: world.pdsUrl });
 *   const sent = await sendGpConnectMessage(world.mesh("A11111OT1"), {
 *     mailboxId: "A11111OT1",
 *     odsCode: "A11111",
 *     organizationName: "A11111 consumer organisation",
 *     practitioner: { family: "Clinician", given: ["Jo"] },
 *   }, {
 *     product: "send-document",
 *     patient,
 *     title: "Consultation report",
 *     attachments: [{
 *       contentType: "application/pdf",
 *       data: new TextEncoder().encode("%PDF-1.7\n"),
 *       title: "Consultation report",
 *     }],
 *   }, { now: () => new Date(), newId: () => crypto.randomUUID() });
 *   const [mailbox] = world.poller().mailboxes; // B82617OT1
 *   const deps = {
 *     trace: (nhs: string) => tracePdsPatient(nhs, { pdsBaseUrl: world.pdsUrl, fetch }),
 *     now: () => new Date(),
 *     newId: () => crypto.randomUUID(),
 *     logger: { log() {} },
 *   };
 *   await processMessage(mailbox!, deps, sent.meshMessageId); // plans and sends both
 *   const states = processingStates(world.store, "B82617");
 *   const state = (await states.get(sent.meshMessageId))!;
 *   // Sent already: nothing goes out again, and the stored state comes back.
 *   const again = await sendPlannedAck(mailbox!, state, "infAck");
 *   assert.deepEqual(again, state);
 * } finally {
 *   await world.close();
 * }
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
