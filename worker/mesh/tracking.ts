/**
 * `GET /{mailbox}/outbox/tracking?messageID=…` and the deprecated
 * `GET /{mailbox}/outbox/tracking/{localId}` (mesh.md §1 #9–10, §4.3, §9): a sender follows its own
 * message. Unknown, or not the caller's → 404 (not 403, like Spine); no `messageID` → 400;
 * several messages with one local id → 300. Tracking never shows a GPPROVIDER address: the
 * recipient is the routed mailbox, or empty when routing failed.
 *
 * @module
 */
import type { Context } from "hono";
import { readMessage } from "./message-commit.ts";
import { localIdPrefix, type MessageRecord, storedBytes } from "./message-record.ts";
import { meshStatusTimestamp } from "./download-headers.ts";
import { meshV2MediaType } from "./mesh-api-version.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";

const dayMs = 24 * 60 * 60 * 1000;
const iso = (ms: number | undefined) => ms === undefined ? null : new Date(ms).toISOString();
const stamp = (ms: number | undefined) => ms === undefined ? "" : meshStatusTimestamp(ms);
const title = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The v2 tracking body (mesh-sandbox's `TrackingV2` fields). */
export function trackingV2(
  services: MeshServices,
  record: MessageRecord,
): Record<string, unknown> {
  const recipient = services.directory.get(record.recipient);
  const report = record.type === "REPORT" ? record.error : undefined;
  return {
    message_id: record.id,
    local_id: record.metadata.localId || null,
    workflow_id: record.workflowId,
    filename: record.metadata.fileName || null,
    expiry_time: iso(
      (record.acceptedAt ?? record.createdAt) + services.config.inboxExpiryDays * dayMs,
    ),
    upload_timestamp: iso(record.createdAt),
    recipient: record.recipient || null,
    recipient_name: recipient?.name ?? null,
    recipient_ods_code: record.recipientOdsCode || null,
    recipient_org_code: record.recipientOdsCode || null,
    recipient_org_name: recipient?.name ?? null,
    status: record.status,
    status_success: record.type === "DATA" && !record.error,
    status_event: report?.event ?? null,
    status_timestamp: iso(record.statusAt),
    status_description: report?.description ?? null,
    status_code: report?.code ?? null,
  };
}

/** The v1 tracking body (mesh-sandbox's `TrackingV1` fields). */
export function trackingV1(
  services: MeshServices,
  record: MessageRecord,
): Record<string, unknown> {
  const recipient = services.directory.get(record.recipient);
  const sender = services.directory.get(record.sender);
  const error = record.error;
  const dataError = record.type === "DATA" ? error : undefined;
  const report = record.type === "REPORT" ? error : undefined;
  const m = record.metadata;
  return {
    addressType: "ALL",
    checksum: m.checksum,
    chunkCount: record.totalChunks,
    compressFlag: m.compressed ? "Y" : "",
    contentEncoding: record.contentEncoding,
    downloadTimestamp: stamp(record.acknowledgedAt),
    dtsId: record.id,
    encryptedFlag: m.encrypted ? "Y" : "",
    expiryTime: stamp(
      (record.acceptedAt ?? record.createdAt) + services.config.inboxExpiryDays * dayMs,
    ),
    failureDate: dataError ? stamp(dataError.at) : null,
    failureDiagnostic: dataError?.description ?? null,
    fileName: m.fileName || `${record.id}.dat`,
    fileSize: storedBytes(record),
    isCompressed: m.compressed ? "Y" : "",
    linkedMsgId: error?.linkedMessageId || null,
    localId: m.localId || null,
    meshRecipientOdsCode: record.recipientOdsCode || null,
    messageId: record.id,
    messageType: title(record.type.toLowerCase()),
    partnerId: m.partnerId,
    recipient: record.recipient || null,
    recipientName: recipient?.name ?? null,
    recipientOrgCode: record.recipientOdsCode || null,
    recipientOrgName: recipient?.name ?? null,
    recipientSmtp: "",
    sender: record.sender || null,
    senderName: sender?.name ?? null,
    senderOdsCode: sender?.odsCode ?? null,
    senderOrgCode: sender?.odsCode ?? null,
    senderOrgName: sender?.name ?? null,
    senderSmtp: "",
    status: title(record.status),
    statusCode: report?.code ?? null,
    statusDescription: report?.description ?? null,
    statusEvent: report?.event ?? null,
    statusSuccess: record.type === "DATA" && !error ? "SUCCESS" : "ERROR",
    statusTimestamp: report ? stamp(report.at) : null,
    subject: m.subject || null,
    uploadTimestamp: stamp(record.createdAt),
    version: "1.0",
    workflowId: record.workflowId,
  };
}

function answer(c: Context<MeshEnv>, services: MeshServices, record: MessageRecord, v1: boolean) {
  if (v1 || c.get("apiVersion") < 2) return c.json(trackingV1(services, record));
  return c.body(JSON.stringify(trackingV2(services, record)), 200, {
    "Content-Type": meshV2MediaType,
  });
}

/**
 * The handler of tracking by message id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.get("/:mailbox/outbox/tracking", …)
 * const world = createMeshWorld();
 * const id = await sendOne(world, "hello");
 * const path = `/messageexchange/A11111OT1/outbox/tracking?messageID=${id}`;
 * const response = await world.request("A11111OT1", path);
 * assert.equal(response.status, 200);
 * ```
 */
export function trackMessage(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const id = (c.req.query("messageID") ?? c.req.query("messageId") ?? "").trim().toUpperCase();
    if (id === "") throw MeshError.plain(400, "messageID query parameter is required");
    c.get("audit").messageId = id;
    const stored = await readMessage(services.records, id);
    if (!stored || stored.value.sender !== c.get("mailbox").id) {
      throw MeshError.coded(404, "20", { messageId: id });
    }
    c.get("audit").workflowId = stored.value.workflowId;
    return answer(c, services, stored.value, false);
  };
}

/**
 * The handler of the deprecated tracking by local id (always the v1 body).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.get("/:mailbox/outbox/tracking/:localId", …)
 * const world = createMeshWorld();
 * await sendOne(world, "hello", { "Mex-LocalID": "letter-1" });
 * const path = "/messageexchange/A11111OT1/outbox/tracking/letter-1";
 * const response = await world.request("A11111OT1", path);
 * assert.equal(response.status, 200);
 * ```
 */
export function trackByLocalId(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const localId = c.req.param("localId") ?? "";
    const matches = await services.records.list(localIdPrefix(c.get("mailbox").id, localId), {
      limit: 2,
    });
    if (matches.length > 1) throw MeshError.plain(300, "More than one message has this local id");
    const id = matches[0]?.key.split(":").pop() ?? "";
    const stored = id ? await readMessage(services.records, id) : undefined;
    if (!stored) throw MeshError.coded(404, "20");
    c.get("audit").messageId = id;
    c.get("audit").workflowId = stored.value.workflowId;
    return answer(c, services, stored.value, true);
  };
}
