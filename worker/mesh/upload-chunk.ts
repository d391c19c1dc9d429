/**
 * `POST /{mailbox}/outbox/{messageId}/{chunk}`: upload chunk 2..N (mesh.md §1 #8, §3.2, §9).
 * Checks in mesh-sandbox's order: chunk number (400 for 0 or not a number), `Mex-Chunk-Range`
 * present and equal to the URL's chunk (417), message exists (404), caller is the sender (403),
 * message still uploading (423), chunk ≤ N (406), same N (417), same `Content-Encoding` (417),
 * non-empty body (417 02). Answers 202 with JSON `null` (v2) or `{"messageID","blockID"}` (v1).
 * A chunk sent again before the message completes replaces the earlier copy (client retries).
 *
 * @module
 */
import type { Context } from "hono";
import { storeChunk } from "./chunk-store.ts";
import { parseChunkRange } from "./chunk-range.ts";
import { readMessage } from "./message-commit.ts";
import { storedBytes } from "./message-record.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";
import { checkMexHeaders } from "./mex-headers.ts";
import { declaredLength, declaresEmptyBody, nonEmptyBody } from "./request-body.ts";

/**
 * The handler of `POST /{mailbox}/outbox/{messageId}/{chunk}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.post("/:mailbox/outbox/:messageId/:chunk", …)
 * const world = createMeshWorld();
 * const id = await sendOne(world, "chunk one, ", { "Mex-Chunk-Range": "1:2" });
 * const response = await world.request("A11111OT1", `/messageexchange/A11111OT1/outbox/${id}/2`, {
 *   method: "POST",
 *   headers: { "Mex-Chunk-Range": "2:2", "Content-Type": "application/octet-stream" },
 *   body: "chunk two",
 * });
 * assert.equal(response.status, 202);
 * ```
 */
export function uploadChunk(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const sender = c.get("mailbox");
    const audit = c.get("audit");
    const id = c.req.param("messageId")?.toUpperCase() ?? "";
    audit.messageId = id;
    const chunkText = c.req.param("chunk") ?? "";
    const chunk = /^\d{1,9}$/.test(chunkText) ? Number(chunkText) : 0;
    if (chunk < 1) throw MeshError.plain(400, "Chunk number must be a positive integer");
    checkMexHeaders(c.req.raw.headers);
    const range = parseChunkRange(c.req.header("mex-chunk-range") ?? "");
    if (!range || range.chunk !== chunk) {
      throw MeshError.coded(417, "InvalidHeaderChunks", { messageId: id });
    }
    const stored = await readMessage(services.records, id);
    if (!stored) throw MeshError.coded(404, "20", { messageId: id });
    const record = stored.value;
    audit.workflowId = record.workflowId;
    if (record.sender !== sender.id) throw MeshError.plain(403, "Not the sender of this message");
    if (record.status !== "uploading") {
      throw MeshError.plain(423, "Message is not uploading", { messageId: id });
    }
    if (chunk > record.totalChunks) {
      throw MeshError.plain(406, `Message has ${record.totalChunks} chunks`, { messageId: id });
    }
    if (range.total !== record.totalChunks) {
      throw MeshError.coded(417, "InvalidHeaderChunks", { messageId: id });
    }
    const encoding = (c.req.header("content-encoding") ?? "").trim().toLowerCase();
    if ((encoding === "identity" ? "" : encoding) !== record.contentEncoding) {
      throw MeshError.coded(417, "ContentEncodingChanged", { messageId: id });
    }
    const body = declaresEmptyBody(c.req.raw.headers)
      ? undefined
      : await nonEmptyBody(c.req.raw.body);
    if (!body) throw MeshError.coded(417, "02", { messageId: id });
    const length = declaredLength(c.req.raw.headers);
    const result = await storeChunk(services, id, chunk, body, {
      sender: sender.id,
      alreadyStored: storedBytes(record),
      ...(length !== undefined ? { length } : {}),
    });
    audit.bytes = result.size;
    return c.get("apiVersion") >= 2
      ? c.json(null, 202)
      : c.json({ messageID: id, blockID: chunk }, 202);
  };
}
