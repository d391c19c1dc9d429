/**
 * The message state machine (mesh.md §4.1): uploading → accepted → acknowledged, or
 * uploading → error (GPPROVIDER routing failed), or accepted → undeliverable (not collected in
 * time). Each transition is a pure function giving the new record and every write that goes with
 * it (inbox index, pending index, REPORT), so the caller applies them in one compare-and-set
 * commit: a message is in an inbox exactly when its record says `accepted`.
 *
 * @module
 */
import type { RecordMutation } from "../store/records-store.ts";
import {
  allChunksStored,
  type InboxEntry,
  inboxKey,
  messageKey,
  type MessageRecord,
  pendingKey,
} from "./message-record.ts";
import { reportMutations } from "./mesh-report.ts";
import { meshErrorDescription, meshErrorEvent } from "./mesh-errors.ts";

/** A transition's result: the new record and the writes to commit together. */
export interface Transition {
  readonly record: MessageRecord;
  readonly mutations: readonly RecordMutation[];
  /** The REPORT delivered with it, if any. */
  readonly reportId?: string;
}

/**
 * Completes an upload whose chunks are all stored: `accepted` and in the recipient's inbox, or,
 * after a GPPROVIDER routing failure, `error` with an EPL REPORT in the sender's inbox.
 *
 * @throws {Error} if a chunk is missing or the message is not uploading (a programming error).
 */
export function completeUpload(record: MessageRecord, now: number, reportId: string): Transition {
  if (record.status !== "uploading" || !allChunksStored(record)) {
    throw new Error(`Message ${record.id} cannot complete from ${record.status}`);
  }
  const failure = record.routingFailure;
  if (failure) {
    const error = {
      event: "SEND",
      code: failure.code,
      description: failure.description,
      linkedMessageId: record.id,
      at: now,
    };
    const failed: MessageRecord = { ...record, status: "error", statusAt: now, error };
    const report = reportMutations(reportId, {
      recipient: record.sender,
      code: failure.code,
      event: "SEND",
      description: failure.description,
      linkedMessageId: record.id,
      workflowId: record.workflowId,
      localId: record.metadata.localId,
      subject: record.metadata.subject,
      now,
    });
    return {
      record: failed,
      mutations: [{ type: "set", key: messageKey(record.id), value: failed }, ...report.mutations],
      reportId,
    };
  }
  const accepted: MessageRecord = { ...record, status: "accepted", statusAt: now, acceptedAt: now };
  const entry: InboxEntry = { workflowId: record.workflowId };
  return {
    record: accepted,
    mutations: [
      { type: "set", key: messageKey(record.id), value: accepted },
      { type: "set", key: inboxKey(record.recipient, record.id), value: entry },
      ...(record.type === "DATA"
        ? [{
          type: "set" as const,
          key: pendingKey(record.id),
          value: { recipient: record.recipient },
        }]
        : []),
    ],
  };
}

/**
 * Acknowledges an accepted message: out of the inbox, `acknowledged`. `undefined` when the
 * message is in any other state (MESH answers 200 and changes nothing).
 */
export function acknowledge(record: MessageRecord, now: number): Transition | undefined {
  if (record.status !== "accepted") return undefined;
  const acknowledged: MessageRecord = {
    ...record,
    status: "acknowledged",
    statusAt: now,
    acknowledgedAt: now,
  };
  return {
    record: acknowledged,
    mutations: [
      { type: "set", key: messageKey(record.id), value: acknowledged },
      { type: "delete", key: inboxKey(record.recipient, record.id) },
      { type: "delete", key: pendingKey(record.id) },
    ],
  };
}

/**
 * Expires an accepted DATA message nobody collected: `undeliverable`, out of the inbox, and a
 * REPORT with code 14 to its sender. `undefined` when it is no longer accepted.
 */
export function expireUndelivered(
  record: MessageRecord,
  now: number,
  days: number,
  reportId: string,
): Transition | undefined {
  if (record.status !== "accepted" || record.type !== "DATA") return undefined;
  const description = meshErrorDescription("14", { days: String(days) });
  const event = meshErrorEvent("14");
  const undeliverable: MessageRecord = {
    ...record,
    status: "undeliverable",
    statusAt: now,
    error: { event, code: "14", description, linkedMessageId: record.id, at: now },
  };
  const report = record.sender === "" ? undefined : reportMutations(reportId, {
    recipient: record.sender,
    code: "14",
    event,
    description,
    linkedMessageId: record.id,
    workflowId: record.workflowId,
    localId: record.metadata.localId,
    subject: record.metadata.subject,
    now,
  });
  return {
    record: undeliverable,
    mutations: [
      { type: "set", key: messageKey(record.id), value: undeliverable },
      { type: "delete", key: inboxKey(record.recipient, record.id) },
      { type: "delete", key: pendingKey(record.id) },
      ...(report?.mutations ?? []),
    ],
    ...(report ? { reportId } : {}),
  };
}
