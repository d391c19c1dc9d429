/**
 * `POST /{mailbox}/outbox`: send a message, or the first chunk of one (mesh.md §1 #7, §3.1,
 * §3.2, §9). Order of checks: headers (400/422/417), `mex-From` and `mex-MessageType` (417 07/11),
 * the sender's permission for the workflow (417 17), the recipient (417 12/17), a non-empty body
 * (417 02), then GPPROVIDER routing, then storage. Answers 202 `{"message_id"}` (v2) or
 * `{"messageID"}` (v1) once the first chunk is committed.
 *
 * @module
 */
import type { Context } from "hono";
import { storeChunk } from "./chunk-store.ts";
import { createMessageId } from "./message-id.ts";
import { localIdKey, messageKey, type MessageRecord } from "./message-record.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";
import { readSendHeaders } from "./mex-headers.ts";
import { checkRecipient, resolveRecipient } from "./recipient.ts";
import { declaredLength, declaresEmptyBody, nonEmptyBody } from "./request-body.ts";
import type { RecordMutation } from "../store/records-store.ts";

/**
 * The handler of `POST /{mailbox}/outbox`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendHeaders } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.post("/:mailbox/outbox", …)
 * const world = createMeshWorld();
 * const response = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
 *   method: "POST",
 *   headers: sendHeaders(),
 *   body: "hello",
 * });
 * assert.equal(response.status, 202);
 * assert.match((await response.json()).message_id, /^\d{20}_[0-9A-F]{6}$/);
 * ```
 */
export function sendMessage(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const sender = c.get("mailbox");
    const audit = c.get("audit");
    const send = readSendHeaders(c.req.raw.headers, services.config.maxChunks);
    audit.workflowId = send.workflowId;
    if (send.from !== undefined && send.from.toUpperCase() !== sender.id) {
      throw MeshError.coded(417, "07");
    }
    if (send.messageType !== undefined && send.messageType.toUpperCase() !== "DATA") {
      throw MeshError.coded(417, "11");
    }
    if (!services.directory.maySend(sender, send.workflowId)) {
      throw MeshError.coded(417, "17", {
        description: `Workflow ID not registered for sender mailbox ${sender.id}`,
      });
    }
    const checked = checkRecipient(services, send.to, send.workflowId);
    const body = declaresEmptyBody(c.req.raw.headers)
      ? undefined
      : await nonEmptyBody(c.req.raw.body);
    if (!body) throw MeshError.coded(417, "02");
    const recipient = await resolveRecipient(services, checked, send.to, send.workflowId);

    const now = services.clock.now();
    const record = await createUploadingRecord(services, (id) => ({
      id,
      type: "DATA",
      sender: sender.id,
      recipient: recipient.mailboxId,
      recipientOdsCode: recipient.odsCode,
      workflowId: send.workflowId,
      status: "uploading",
      totalChunks: send.range.total,
      chunks: Array.from({ length: send.range.total }, () => null),
      contentEncoding: send.contentEncoding,
      metadata: { ...send.metadata, fileName: send.metadata.fileName || `${id}.dat` },
      createdAt: now,
      statusAt: now,
      acceptedAt: undefined,
      acknowledgedAt: undefined,
      routingFailure: recipient.routingFailure,
      error: undefined,
    }));
    audit.messageId = record.id;
    try {
      const length = declaredLength(c.req.raw.headers);
      const stored = await storeChunk(services, record.id, 1, body, {
        sender: sender.id,
        alreadyStored: 0,
        ...(length !== undefined ? { length } : {}),
      });
      audit.bytes = stored.size;
    } catch (error) {
      await discardUploadingRecord(services, record);
      throw error;
    }
    const answer = c.get("apiVersion") >= 2 ? { message_id: record.id } : { messageID: record.id };
    return c.json(answer, 202);
  };
}

/** Commits a new `uploading` record (and its local-id index) under a fresh message id. */
async function createUploadingRecord(
  services: MeshServices,
  build: (id: string) => MessageRecord,
): Promise<MessageRecord> {
  // Bounded: a clash needs the same millisecond, sub-millisecond digits and 24 random bits.
  for (let attempt = 0; attempt < 5; attempt++) {
    const record = build(createMessageId(services.clock.now(), services.randomUUID));
    const mutations: RecordMutation[] = [
      { type: "set", key: messageKey(record.id), value: record },
    ];
    if (record.metadata.localId) {
      mutations.push({
        type: "set",
        key: localIdKey(record.sender, record.metadata.localId, record.id),
        value: {},
      });
    }
    if (await services.records.commit([{ key: messageKey(record.id), version: null }], mutations)) {
      return record;
    }
  }
  throw new Error("Could not allocate a message id");
}

/**
 * Removes the record of a send whose first chunk failed: the client got no message id, so
 * nobody can ever complete it. Best effort; otherwise it is purged with old messages.
 */
async function discardUploadingRecord(services: MeshServices, record: MessageRecord) {
  try {
    const stored = await services.records.get<MessageRecord>(messageKey(record.id));
    if (!stored || stored.value.status !== "uploading") return;
    const mutations: RecordMutation[] = [{ type: "delete", key: messageKey(record.id) }];
    if (record.metadata.localId) {
      mutations.push({
        type: "delete",
        key: localIdKey(record.sender, record.metadata.localId, record.id),
      });
    }
    await services.records.commit(
      [{ key: messageKey(record.id), version: stored.version }],
      mutations,
    );
  } catch {
    // Left for housekeeping.
  }
}
