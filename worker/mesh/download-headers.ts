/**
 * The headers of a download (mesh.md §3.3, §9): message attributes (`mex-From`, `mex-To`,
 * `mex-WorkflowID`, `mex-Chunk-Range n:N`, …) and status headers (`mex-StatusCode 00` for DATA;
 * the error code, event, description and `mex-LinkedMsgID` for a REPORT). Empty values are left
 * out, as MESH does. NHS's Python client learns the chunk count only from `mex-Chunk-Range`.
 *
 * @module
 */
import type { MessageRecord } from "./message-record.ts";

/** `yyyyMMddHHmmss` (UTC), MESH's status timestamp form. */
export function meshStatusTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * The MESH headers for chunk `chunk` of `record` (Content-Encoding and Content-Type are the
 * caller's: they depend on what the client accepts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readMessage } from "./message-commit.ts";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * const world = createMeshWorld();
 * const id = await sendOne(world, "chunk one", { "Mex-Chunk-Range": "1:3" });
 * const stored = await readMessage(world.deps.records, id);
 * const headers = downloadHeaders(stored!.value, 1);
 * assert.equal(headers.get("mex-Chunk-Range"), "1:3");
 * ```
 */
export function downloadHeaders(record: MessageRecord, chunk: number): Headers {
  const m = record.metadata;
  const statusTimestamp = meshStatusTimestamp(record.acceptedAt ?? record.statusAt);
  const entries: Array<[string, string | undefined]> = [
    ["mex-From", record.sender],
    ["mex-To", record.recipient],
    ["mex-WorkflowID", record.workflowId],
    ["mex-Chunk-Range", `${chunk}:${record.totalChunks}`],
    ["mex-Total-Chunks", String(record.totalChunks)],
    ["mex-AddressType", "ALL"],
    ["mex-LocalID", m.localId],
    ["mex-PartnerID", m.partnerId],
    ["mex-FileName", m.fileName || `${record.id}.dat`],
    ["mex-Subject", m.subject],
    ["mex-Version", "1.0"],
    ["mex-MessageType", record.type],
    ["mex-MessageID", record.id],
    ...statusHeaders(record, statusTimestamp),
    ["mex-Content-Compressed", m.compressed ? "Y" : undefined],
    ["mex-Content-Encrypted", m.encrypted ? "Y" : undefined],
    ["mex-Content-Checksum", m.checksum],
    ["mex-Content-Type", m.contentType],
    ["Last-Modified", new Date(record.statusAt).toUTCString()],
    ["Cache-Control", "no-store"],
  ];
  const headers = new Headers();
  for (const [name, value] of entries) if (value) headers.set(name, value);
  return headers;
}

function statusHeaders(
  record: MessageRecord,
  timestamp: string,
): Array<[string, string | undefined]> {
  const error = record.error;
  if (record.type === "DATA" && !error) {
    return [
      ["mex-StatusCode", "00"],
      ["mex-StatusEvent", "TRANSFER"],
      ["mex-StatusDescription", "Transferred to recipient mailbox"],
      ["mex-StatusSuccess", "SUCCESS"],
      ["mex-StatusTimestamp", timestamp],
    ];
  }
  return [
    ["mex-LinkedMsgID", error?.linkedMessageId],
    ["mex-StatusCode", error?.code],
    ["mex-StatusEvent", error?.event],
    ["mex-StatusDescription", error?.description],
    ["mex-StatusSuccess", "ERROR"],
    ["mex-StatusTimestamp", timestamp],
  ];
}
