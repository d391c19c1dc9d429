/**
 * Waits, as the sending consumer does, for what a practice sends back about one MESH message:
 * each poll first asks tracking for the message's status, then lists the sender's inbox on the
 * workflow (its `_ACK` acknowledgements and MESH's REPORTs about it), downloads what is new,
 * keeps the acknowledgements whose `MessageHeader.response.identifier` names the message (or,
 * for a payload sent unreadable, ITK3's fixed `UNREADABLE-IN-ORIGINAL-MESSAGE`) and acknowledges
 * them in MESH, and the REPORTs linked to it. Tracking is asked before the inbox,
 * so an acknowledgement the practice sent before acknowledging the MESH message is always listed
 * in the same poll that first sees `acknowledged` (mesh.md §5.7: the MESH acknowledgement comes
 * last). Stops when `complete` says so (after one more poll, to catch anything extra) or at the
 * end of the window. Only exchanges that found something are kept as evidence.
 *
 * @module
 */
import type { Exchange } from "../model.ts";
import type { MeshEndpoint } from "./mesh-endpoint.ts";
import { type MeshSend, sendMesh, signedMeshRequest } from "./mesh-call.ts";
import { type AckReading, readAck } from "./itk-ack-reading.ts";

/** An acknowledgement of the message. */
export interface ReceivedAck {
  readonly meshMessageId: string;
  /** `mex-WorkflowID` it came on. */
  readonly workflowId: string | null;
  readonly reading: AckReading;
  /** Milliseconds from the send to the poll that found it. */
  readonly afterMs: number;
}

/** A MESH REPORT about the message (it was not delivered). */
export interface ReceivedReport {
  readonly meshMessageId: string;
  readonly statusCode: string | null;
  readonly description: string | null;
}

/** What came back. */
export interface WatchResult {
  readonly acks: readonly ReceivedAck[];
  readonly reports: readonly ReceivedReport[];
  /** Acknowledgements on the workflow naming some other message (diagnostics). */
  readonly unmatched: readonly string[];
  /** When tracking first said `acknowledged`, ms after the send. */
  readonly acknowledgedAfterMs?: number;
  /** How many of the message's acknowledgements were in the inbox at that poll. */
  readonly acksAtAcknowledgement?: number;
  /** The last tracking status seen. */
  readonly lastStatus?: string;
  /** The window ended before `complete` held. */
  readonly timedOut: boolean;
  readonly exchanges: readonly Exchange[];
}

/** What to watch. */
export interface WatchOptions {
  readonly endpoint: MeshEndpoint;
  readonly send: MeshSend;
  readonly meshMessageId: string;
  readonly messageHeaderId: string;
  /**
   * Also take acknowledgements naming `UNREADABLE-IN-ORIGINAL-MESSAGE`, ITK3's fixed identifier
   * when the original's cannot be read (for a payload sent unreadable on purpose: not JSON, or
   * not an ITK3 message Bundle).
   */
  readonly acceptUnreadable?: boolean;
  readonly workflowId: string;
  readonly sentAt: number;
  /** Whether everything expected has come (given what came, and whether MESH says acknowledged). */
  readonly complete: (acks: readonly ReceivedAck[], acknowledged: boolean) => boolean;
  /** Evidence step label prefix. */
  readonly label: string;
}

/** ITK3's response identifier when the original message's cannot be read. */
export const unreadableIdentifier = "UNREADABLE-IN-ORIGINAL-MESSAGE";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Watches until complete or the window ends.
 *
 * @example
 * ```ts ignore
 * const result = await watchAcknowledgements({ endpoint, send, meshMessageId, messageHeaderId, workflowId, sentAt, complete, label: "first" });
 * ```
 */
export async function watchAcknowledgements(options: WatchOptions): Promise<WatchResult> {
  const { endpoint, send } = options;
  const sender = endpoint.sender;
  const pollMs = Math.min(5000, Math.max(200, Math.round(endpoint.ackWindowMs / 200)));
  const deadline = options.sentAt + endpoint.ackWindowMs;
  const exchanges: Exchange[] = [];
  const acks: ReceivedAck[] = [];
  const reports: ReceivedReport[] = [];
  const unmatched: string[] = [];
  const seen = new Set<string>();
  let acknowledgedAfterMs: number | undefined;
  let acksAtAcknowledgement: number | undefined;
  let lastStatus: string | undefined;
  let finalPoll = false;
  const call = async (method: string, path: string, step: string) =>
    await sendMesh(send, await signedMeshRequest(endpoint, sender, { method, path }), step);

  // Bounded by the window: every round sleeps at least pollMs until the deadline.
  for (;;) {
    const tracking = await call(
      "GET",
      `/${sender.id}/outbox/tracking?messageID=${encodeURIComponent(options.meshMessageId)}`,
      `${options.label}:tracking`,
    );
    const status = (tracking.observed?.json as { status?: unknown } | undefined)?.status;
    const statusText = typeof status === "string" ? status : undefined;
    if (statusText !== lastStatus || tracking.observed === undefined) {
      exchanges.push(tracking.exchange);
    }
    lastStatus = statusText;
    const firstAcknowledged = statusText === "acknowledged" && acknowledgedAfterMs === undefined;
    if (firstAcknowledged) acknowledgedAfterMs = Date.now() - options.sentAt;

    const listing = await call(
      "GET",
      `/${sender.id}/inbox?workflow_filter=${encodeURIComponent(`${options.workflowId}*`)}`,
      `${options.label}:inbox`,
    );
    const ids = (listing.observed?.json as { messages?: unknown } | undefined)?.messages;
    const fresh = Array.isArray(ids)
      ? ids.filter((id): id is string => typeof id === "string" && !seen.has(id))
      : [];
    if (fresh.length > 0 || listing.observed === undefined) exchanges.push(listing.exchange);
    for (const id of fresh) {
      seen.add(id);
      const path = `/${sender.id}/inbox/${encodeURIComponent(id)}`;
      const download = await call("GET", path, `${options.label}:download`);
      const observed = download.observed;
      if (!observed || observed.status !== 200) {
        exchanges.push(download.exchange);
        continue;
      }
      const headers = observed.headers;
      let ours = false;
      if (headers.get("mex-messagetype") === "REPORT") {
        ours = headers.get("mex-linkedmsgid") === options.meshMessageId;
        if (ours) {
          reports.push({
            meshMessageId: id,
            statusCode: headers.get("mex-statuscode"),
            description: headers.get("mex-statusdescription"),
          });
        }
      } else {
        const reading = readAck(observed.json);
        ours = reading?.respondsTo === options.messageHeaderId ||
          (options.acceptUnreadable === true && reading?.respondsTo === unreadableIdentifier);
        if (reading && ours) {
          acks.push({
            meshMessageId: id,
            workflowId: headers.get("mex-workflowid"),
            reading,
            afterMs: Date.now() - options.sentAt,
          });
        } else if (reading && typeof reading.respondsTo === "string") {
          unmatched.push(reading.respondsTo);
        }
      }
      if (!ours) continue;
      exchanges.push(download.exchange);
      const ack = await call("PUT", `${path}/status/acknowledged`, `${options.label}:acknowledge`);
      exchanges.push(ack.exchange);
    }
    if (firstAcknowledged) acksAtAcknowledgement = acks.length;

    if (finalPoll) break;
    if (options.complete(acks, statusText === "acknowledged") || reports.length > 0) {
      finalPoll = true;
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      return result(true);
    }
    await sleep(Math.min(pollMs, left));
  }
  return result(false);

  function result(timedOut: boolean): WatchResult {
    return {
      acks,
      reports,
      unmatched,
      ...(acknowledgedAfterMs === undefined ? {} : { acknowledgedAfterMs }),
      ...(acksAtAcknowledgement === undefined ? {} : { acksAtAcknowledgement }),
      ...(lastStatus === undefined ? {} : { lastStatus }),
      timedOut,
      exchanges,
    };
  }
}
