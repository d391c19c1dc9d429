/**
 * Waits for what comes back after a GP Connect message (shared/reference/mesh.md §4.2, §5.3, §5.7):
 * the ITK3 InfAck and BusAck on the `_ACK` workflow (matched on `MessageHeader.response.identifier`
 * = the sent `MessageHeader.id`), or a MESH REPORT whose `Mex-LinkedMsgID` is the sent message (an
 * EPL routing failure, or non-collection). Senders must tell a person when either is missing or
 * negative (GPCM-SD-094/095), so every ending is a value the caller reports.
 *
 * Messages in the inbox that are not about this message are left there (another sender process
 * may be waiting for them) and not downloaded twice; the ones that are, are acknowledged.
 *
 * @module
 */
import { type ItkResponseView, readItkResponse } from "../../gpconnect/itk/itk-response-read.ts";
import type { MeshClient } from "../mesh/mesh-client.ts";

/** A MESH error report about the sent message. */
export interface MeshReport {
  readonly code: string | undefined;
  readonly event: string | undefined;
  readonly description: string | undefined;
}

/** How the wait ended. */
export type AcknowledgementOutcome =
  /** InfAck 20013 and BusAck 30001. */
  | "positive"
  /** A negative InfAck or BusAck (no further response follows). */
  | "negative"
  /** A MESH REPORT (e.g. EPL-153). */
  | "report"
  /** Not everything came within the timeout. */
  | "timeout";

/** What came back. */
export interface Acknowledgements {
  readonly outcome: AcknowledgementOutcome;
  readonly infAck?: ItkResponseView;
  readonly busAck?: ItkResponseView;
  readonly report?: MeshReport;
}

/** What {@linkcode awaitAcknowledgements} needs. */
export interface AwaitOptions {
  /** The sent MESH message (a REPORT links to it). */
  readonly meshMessageId: string;
  /** The sent `MessageHeader.id` (responses name it). */
  readonly messageHeaderId: string;
  readonly timeoutMs: number;
  /** Between inbox polls (default 1000 ms). */
  readonly pollIntervalMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told of each response or report as it arrives. */
  readonly onArrival?: (arrival: { response?: ItkResponseView; report?: MeshReport }) => void;
}

/**
 * Polls the sender's inbox until the acknowledgements are in, one is negative, a REPORT arrives or
 * the timeout passes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startMessagingWorld } from "../../sandbox/practice-mesh/messaging-test-world.ts";
 * import { sendGpConnectMessage } from "./gp-connect-send.ts";
 * import { tracePatient } from "./pds-patient-trace.ts";
 * // gpc-edge's MESH, PDS and the reference practice on free ports (`task start` on 8080…).
 * const world = await startMessagingWorld();
 * try {
 *   const mesh = world.mesh("A11111OT1");
 *   const identity = {
 *     mailboxId: "A11111OT1",
 *     odsCode: "A11111",
 *     organizationName: "A11111 consumer organisation",
 *     practitioner: { family: "Clinician", given: ["Jo"] },
 *   };
 *   const patient = await tracePatient("9690937286", { pdsBaseUrl: world.pdsUrl });
 *   const pdf = new TextEncoder().encode("%PDF-1.7\n");
 *   const sent = await sendGpConnectMessage(mesh, identity, {
 *     product: "send-document",
 *     patient,
 *     title: "Consultation report",
 *     attachments: [{ contentType: "application/pdf", data: pdf, title: "Consultation report" }],
 *   }, { now: () => new Date(), newId: () => crypto.randomUUID() });
 *   await world.poller({ logger: { log() {} } }).pollOnce(); // the practice answers
 *   const acks = await awaitAcknowledgements(mesh, {
 *     meshMessageId: sent.meshMessageId,
 *     messageHeaderId: sent.ids.messageHeaderId,
 *     timeoutMs: 60_000,
 *   });
 *   assert.equal(acks.outcome, "positive");
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export async function awaitAcknowledgements(
  mesh: MeshClient,
  options: AwaitOptions,
): Promise<Acknowledgements> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const interval = options.pollIntervalMs ?? 1000;
  const deadline = now() + options.timeoutMs;
  const notOurs = new Set<string>();
  let infAck: ItkResponseView | undefined;
  let busAck: ItkResponseView | undefined;
  const result = (outcome: AcknowledgementOutcome, report?: MeshReport): Acknowledgements => ({
    outcome,
    ...(infAck ? { infAck } : {}),
    ...(busAck ? { busAck } : {}),
    ...(report ? { report } : {}),
  });

  for (;;) {
    for (const id of await mesh.inbox()) {
      if (notOurs.has(id)) continue;
      const { info, body } = await mesh.downloadBytes(id);
      if (info.messageType === "REPORT") {
        if (info.linkedMessageId !== options.meshMessageId) {
          notOurs.add(id);
          continue;
        }
        const report = {
          code: info.statusCode,
          event: info.statusEvent,
          description: info.statusDescription,
        };
        await mesh.acknowledge(id);
        options.onArrival?.({ report });
        return result("report", report);
      }
      const read = info.workflowId?.endsWith("_ACK")
        ? readItkResponse(new TextDecoder().decode(body))
        : undefined;
      if (!read?.ok || read.response.respondsTo !== options.messageHeaderId) {
        notOurs.add(id);
        continue;
      }
      const response = read.response;
      if (response.level === "business") busAck = response;
      else infAck = response;
      await mesh.acknowledge(id);
      options.onArrival?.({ response });
      if (!response.positive) return result("negative");
      if (infAck && busAck) return result("positive");
    }
    const left = deadline - now();
    if (left <= 0) return result("timeout");
    await sleep(Math.min(interval, left));
  }
}
