/**
 * REPORT messages: how MESH tells a sender, asynchronously, that a message failed (mesh.md §3.3,
 * §4.2, §5.3, §9). A REPORT is addressed to the original sender, comes from no mailbox, has no
 * body (`mex-Chunk-Range 1:0`), carries `mex-StatusCode`/`mex-StatusEvent`/
 * `mex-StatusDescription`/`mex-LinkedMsgID`, and copies workflow id, local id and subject.
 *
 * {@linkcode reportMutations} builds the writes so a failure and its REPORT are one commit;
 * {@linkcode deliverReport} commits a REPORT on its own (admin injection, other callers).
 *
 * @module
 */
import type { RecordMutation, RecordsStore } from "../store/records-store.ts";
import {
  type InboxEntry,
  inboxKey,
  messageKey,
  type MessageMetadata,
  type MessageRecord,
} from "./message-record.ts";
import { createMessageId } from "./message-id.ts";

/** What a REPORT says. */
export interface ReportInput {
  /** The mailbox the REPORT lands in (the failed message's sender). */
  readonly recipient: string;
  /** MESH status code, e.g. `14` or `EPL-154`. */
  readonly code: string;
  /** MESH status event, e.g. `SEND` or `TRANSFER`. */
  readonly event: string;
  /** `mex-StatusDescription`. */
  readonly description: string;
  /** The failed message (`mex-LinkedMsgID`); `""` for none. */
  readonly linkedMessageId: string;
  /** The failed message's workflow id. */
  readonly workflowId: string;
  /** Copied from the failed message. */
  readonly localId?: string;
  /** Copied from the failed message. */
  readonly subject?: string;
  /** Copied from the failed message. */
  readonly fileName?: string;
  /** When the REPORT is made (ms since the epoch); it waits in the inbox as `accepted`. */
  readonly now: number;
}

/** A REPORT record and the writes that deliver it. */
export interface BuiltReport {
  readonly record: MessageRecord;
  readonly mutations: readonly RecordMutation[];
}

/**
 * The REPORT record for `input` with id `id`, and the writes that put it in the inbox.
 *
 * @example
 * ```ts
 * const { record } = reportMutations("20240101120000000000_ABCDEF", {
 *   recipient: "A11111OT1", code: "EPL-154", event: "SEND",
 *   description: "NHS Number supplied does not match the demographics",
 *   linkedMessageId: "20240101115959000000_123456", workflowId: "GPCONNECT_SEND_DOCUMENT", now: 0,
 * });
 * record.type; // "REPORT"
 * ```
 */
export function reportMutations(id: string, input: ReportInput): BuiltReport {
  const metadata: MessageMetadata = {
    subject: input.subject ?? "",
    localId: input.localId ?? "",
    partnerId: "",
    fileName: input.fileName ?? "",
    checksum: "",
    contentType: "",
    compressed: undefined,
    encrypted: undefined,
  };
  const record: MessageRecord = {
    id,
    type: "REPORT",
    sender: "",
    recipient: input.recipient,
    recipientOdsCode: "",
    workflowId: input.workflowId,
    status: "accepted",
    totalChunks: 0,
    chunks: [],
    contentEncoding: "",
    metadata,
    createdAt: input.now,
    statusAt: input.now,
    acceptedAt: input.now,
    acknowledgedAt: undefined,
    routingFailure: undefined,
    error: {
      event: input.event,
      code: input.code,
      description: input.description,
      linkedMessageId: input.linkedMessageId,
      at: input.now,
    },
  };
  const entry: InboxEntry = { workflowId: input.workflowId };
  return {
    record,
    mutations: [
      { type: "set", key: messageKey(id), value: record },
      { type: "set", key: inboxKey(input.recipient, id), value: entry },
    ],
  };
}

/**
 * Delivers a REPORT to `input.recipient`'s inbox in one commit and returns its message id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, inboxIds } from "./mesh-test-kit.ts";
 * const world = createMeshWorld();
 * const id = await deliverReport(world.deps, {
 *   recipient: "A11111OT1",
 *   code: "14",
 *   event: "TRANSFER",
 *   description: "Message not collected by recipient after 5 days",
 *   linkedMessageId: "20261205090000000000_ABCDEF",
 *   workflowId: "GPCONNECT_SEND_DOCUMENT",
 *   now: world.clock.now(),
 * });
 * assert.deepEqual(await inboxIds(world, "A11111OT1"), [id]);
 * ```
 */
export async function deliverReport(
  deps: { readonly records: RecordsStore; readonly randomUUID: () => string },
  input: ReportInput,
): Promise<string> {
  // A fresh id per attempt: a clash with an existing id fails the check, never overwrites.
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = createMessageId(input.now, deps.randomUUID);
    const { mutations } = reportMutations(id, input);
    if (await deps.records.commit([{ key: messageKey(id), version: null }], mutations)) return id;
  }
  throw new Error("Could not allocate a REPORT message id");
}
