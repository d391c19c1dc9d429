/**
 * What the reference practice does with one message in its inbox (shared/reference/mesh.md §5.7,
 * GP Connect Send Document "overview" steps 2–3), crash-safe step by step:
 *
 * 1. **judge** (only when there is no processing state yet): download; check the structure
 *    (itk-message-check.ts), then that this ITK message (20007) or document (20008) was not
 *    processed before from another MESH message, then the Patient against `mex-To`, the subject
 *    and PDS (20009); a message that passes gets InfAck 20013 and the BusAck of the patient match
 *    (30001, 30002, 30003); a failure gets its negative InfAck and nothing else. Both responses are
 *    built now and the decision is stored — before anything is filed or sent;
 * 2. **file** (30001 only): the documents, under ids derived from the MESH message id (a retry
 *    downloads the message again and rewrites the same documents);
 * 3. **acknowledge**: the InfAck, then the BusAck, each sent once (acknowledgement-sending.ts);
 * 4. only then **acknowledge the MESH message**, which takes it out of the inbox.
 *
 * A crash anywhere resumes at the step after the last one stored; a message delivered again after
 * it was acknowledged is acknowledged again and nothing else. REPORT messages (a response that
 * could not be delivered) are logged and acknowledged.
 *
 * @module
 */
import { ackWorkflowOf, gpConnectWorkflows } from "../../gpconnect/mesh/mesh-workflows.ts";
import { buildItkResponse } from "../../gpconnect/itk/itk-response.ts";
import type { MeshMessageInfo } from "../../client/mesh/mesh-client.ts";
import { type CheckedMessage, checkItkMessage } from "./itk-message-check.ts";
import { documentCount, filedDocumentIds, fileMessage } from "./message-filing.ts";
import { patientDemographicsProblem, type PdsDemographics } from "./patient-demographics-check.ts";
import { matchPatient } from "./patient-match.ts";
import type { PracticeMailbox } from "./practice-mailbox.ts";
import type { PlannedAck, ProcessingState } from "./processing-state.ts";
import { sendPlannedAck } from "./acknowledgement-sending.ts";

/** Where log lines go (never a patient detail in them). */
export interface PracticeLogger {
  log(record: Readonly<Record<string, unknown>>): void;
}

/** What processing needs besides the mailbox. */
export interface ProcessingDeps {
  /** PDS's record of an NHS number (rejects when PDS cannot answer). */
  readonly trace: (nhsNumber: string) => Promise<PdsDemographics>;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly logger: PracticeLogger;
  /**
   * Called after each stored step (`judged`, `filed`, `infAck-sent`, `busAck-sent`,
   * `acknowledged`); tests use it to stop a poller at a chosen point.
   */
  readonly afterStep?: (step: ProcessingStep, meshMessageId: string) => void | Promise<void>;
}

/** The steps whose completion is stored. */
export type ProcessingStep = "judged" | "filed" | "infAck-sent" | "busAck-sent" | "acknowledged";

/** What happened to a message. */
export interface ProcessedMessage {
  readonly mailbox: string;
  readonly messageId: string;
  /** `report` for a REPORT, `skipped` for a workflow the practice does not answer. */
  readonly kind: "message" | "report" | "skipped";
  readonly infAck?: string;
  readonly busAck?: string;
  readonly filed?: readonly string[];
}

/**
 * Processes one inbox message, resuming from its stored state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendGpConnectMessage } from "../../client/mesh-sender/gp-connect-send.ts";
 * import { tracePatient } from "../../client/mesh-sender/pds-patient-trace.ts";
 * import { tracePdsPatient } from "../provider/foundations/pds-trace.ts";
 * import { startMessagingWorld } from "./messaging-test-world.ts";
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
 *   const done = await processMessage(mailbox!, deps, sent.meshMessageId);
 *   assert.equal(done.kind, "message");
 *   assert.equal(done.filed?.length, 1); // filed, then acknowledged
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export async function processMessage(
  mailbox: PracticeMailbox,
  deps: ProcessingDeps,
  messageId: string,
): Promise<ProcessedMessage> {
  const step = async (name: ProcessingStep) => {
    deps.logger.log({ type: "practice-mesh", event: name, mailbox: mailbox.mailboxId, messageId });
    await deps.afterStep?.(name, messageId);
  };
  let state = await mailbox.states.get(messageId);
  let checked: CheckedMessage | undefined;
  if (!state) {
    const downloaded = await mailbox.mesh.downloadBytes(messageId);
    const { info } = downloaded;
    const ackWorkflowId = info.workflowId ? ackWorkflowOf(info.workflowId) : undefined;
    if (info.messageType === "REPORT" || !ackWorkflowId || !info.from) {
      const kind = info.messageType === "REPORT" ? "report" : "skipped";
      deps.logger.log({
        type: "practice-mesh",
        event: kind,
        mailbox: mailbox.mailboxId,
        messageId,
        workflowId: info.workflowId,
        statusCode: info.statusCode,
      });
      if (kind === "report") await mailbox.mesh.acknowledge(messageId);
      return { mailbox: mailbox.mailboxId, messageId, kind };
    }
    const judged = await judge(mailbox, deps, info, downloaded.body, ackWorkflowId);
    state = judged.state;
    checked = judged.checked;
    await mailbox.states.put(state);
    if (judged.bundleIdentifier) {
      await mailbox.states.recordCarrier(judged.bundleIdentifier, messageId);
    }
    await step("judged");
  }

  if (state.filing && !state.filing.filedAt) {
    checked ??= await recheck(mailbox, state);
    await fileMessage(checked, {
      meshMessageId: messageId,
      documentIds: state.filing.documentIds,
      filed: mailbox.filed,
      indexed: state.decidedAt,
    });
    state = { ...state, filing: { ...state.filing, filedAt: deps.now().toISOString() } };
    await mailbox.states.put(state);
    await step("filed");
  }
  if (!state.infAck.sentMessageId) {
    state = await sendPlannedAck(mailbox, state, "infAck");
    await step("infAck-sent");
  }
  if (state.busAck && !state.busAck.sentMessageId) {
    state = await sendPlannedAck(mailbox, state, "busAck");
    await step("busAck-sent");
  }
  await mailbox.mesh.acknowledge(messageId);
  if (!state.acknowledgedAt) {
    state = { ...state, acknowledgedAt: deps.now().toISOString() };
    await mailbox.states.put(state);
    await step("acknowledged");
  }
  return {
    mailbox: mailbox.mailboxId,
    messageId,
    kind: "message",
    infAck: state.infAck.code,
    ...(state.busAck ? { busAck: state.busAck.code } : {}),
    ...(state.filing ? { filed: state.filing.documentIds } : {}),
  };
}

/** Decides the responses (and what to file) for a downloaded message. */
async function judge(
  mailbox: PracticeMailbox,
  deps: ProcessingDeps,
  info: MeshMessageInfo,
  body: Uint8Array,
  ackWorkflowId: string,
): Promise<{ state: ProcessingState; checked?: CheckedMessage; bundleIdentifier?: string }> {
  const decidedAt = deps.now().toISOString();
  const base = {
    meshMessageId: info.messageId,
    workflowId: info.workflowId ?? "",
    ackWorkflowId,
    senderMailbox: info.from ?? "",
    decidedAt,
  };
  const respond = (
    code: string,
    original: { messageHeaderId: string; senderReference: string },
    diagnostics?: string,
  ): PlannedAck => {
    const response = buildItkResponse({
      code,
      ...(diagnostics ? { diagnostics } : {}),
      originalMessageHeaderId: original.messageHeaderId,
      senderReference: original.senderReference,
      responderMailbox: mailbox.mailboxId,
      responder: { odsCode: mailbox.odsCode, name: mailbox.name },
      timestamp: decidedAt,
      newId: deps.newId,
    });
    return { code, bundle: response.bundle, bundleIdentifier: response.bundleIdentifier };
  };

  const check = checkItkMessage(new TextDecoder().decode(body), {
    product: productOf(info.workflowId),
    senderMailbox: info.from ?? "",
  });
  if (!check.ok) {
    const { code, diagnostics } = check.rejection;
    return { state: { ...base, infAck: respond(code, check.rejection, diagnostics) } };
  }
  const message = check.message;
  const rejected = (code: string, diagnostics: string) => ({
    state: { ...base, infAck: respond(code, message, diagnostics) },
    checked: message,
  });
  const carrier = await mailbox.states.firstCarrier(message.bundleIdentifier);
  if (carrier !== undefined && carrier !== info.messageId) {
    return rejected("20007", "A message with this Bundle identifier was processed already");
  }
  const earlier = await mailbox.filed.byIdentifier(message.documentIdentifier);
  if (earlier && earlier.meshMessageId !== info.messageId) {
    return rejected("20008", "A document with this identifier was filed already");
  }
  const problem = await patientDemographicsProblem(message.patient, {
    mexTo: info.to,
    subject: info.subject,
    trace: deps.trace,
  });
  if (problem) return rejected("20009", problem);

  const match = await matchPatient(message.patient.nhsNumber, mailbox.patients);
  const busAck = match.code === "30001"
    ? respond("30001", message)
    : respond(match.code, message, match.diagnostics);
  return {
    state: {
      ...base,
      infAck: respond("20013", message),
      busAck,
      ...(match.code === "30001"
        ? {
          filing: { documentIds: filedDocumentIds(info.messageId, documentCount(message)) },
        }
        : {}),
    },
    checked: message,
    bundleIdentifier: message.bundleIdentifier,
  };
}

/** The checked message again, for filing after a restart (it was judged filable before). */
async function recheck(mailbox: PracticeMailbox, state: ProcessingState): Promise<CheckedMessage> {
  const { info, body } = await mailbox.mesh.downloadBytes(state.meshMessageId);
  const check = checkItkMessage(new TextDecoder().decode(body), {
    product: productOf(info.workflowId),
    senderMailbox: info.from ?? "",
  });
  if (!check.ok) {
    throw new Error(`message ${state.meshMessageId} no longer passes the check it passed`);
  }
  return check.message;
}

function productOf(workflowId: string | undefined) {
  return gpConnectWorkflows.find((workflow) => workflow.id === workflowId)?.product ??
    "send-document";
}
