/**
 * `GET /{mailbox}/inbox/{messageId}[/{chunk}]` and `HEAD /{mailbox}/inbox/{messageId}`: download
 * a message chunk by chunk (mesh.md §1 #3–5, §3.3, §9). 206 for chunks 1..N−1, 200 for chunk N;
 * the body streams from the `blobs` store. A gzip body is served as stored with
 * `Content-Encoding: gzip` when the client accepts gzip, else decompressed on the way out.
 *
 * Errors: unknown message or chunk → 404 code 20; not the recipient → 403 (HEAD: sender or
 * recipient, else 404, like mesh-sandbox); not accepted/acknowledged → 410. A REPORT has an empty
 * body and `mex-Chunk-Range 1:0`.
 *
 * @module
 */
import type { Context } from "hono";
import { readMessage } from "./message-commit.ts";
import { chunkBlobKey } from "./message-record.ts";
import type { MeshEnv, MeshServices } from "./mesh-env.ts";
import { MeshError } from "./mesh-errors.ts";
import { downloadHeaders } from "./download-headers.ts";

/** Whether an `Accept-Encoding` header accepts gzip (a `q=0` refuses it). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? "").split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding?.trim() !== "gzip" && coding?.trim() !== "x-gzip") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * The handler of message and chunk downloads (and HEAD).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";
 * // createMeshApp registers it: app.get("/:mailbox/inbox/:messageId", …) and …/:chunk
 * const world = createMeshWorld();
 * const id = await sendOne(world, "hello");
 * const response = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`);
 * assert.equal(await response.text(), "hello");
 * ```
 */
export function downloadMessage(services: MeshServices) {
  return async (c: Context<MeshEnv>): Promise<Response> => {
    const mailbox = c.get("mailbox");
    const audit = c.get("audit");
    const id = c.req.param("messageId")?.toUpperCase() ?? "";
    audit.messageId = id;
    const chunkText = c.req.param("chunk");
    const chunk = chunkText === undefined ? 1 : /^\d{1,9}$/.test(chunkText) ? Number(chunkText) : 0;
    const head = c.req.method === "HEAD";
    const stored = await readMessage(services.records, id);
    if (!stored) throw MeshError.coded(404, "20", { messageId: id });
    const record = stored.value;
    audit.workflowId = record.workflowId;
    const isRecipient = record.recipient === mailbox.id;
    if (head && !isRecipient) {
      if (record.sender !== mailbox.id) throw MeshError.coded(404, "20", { messageId: id });
    } else {
      if (!isRecipient) throw MeshError.plain(403, "Not the recipient of this message");
      if (record.status !== "accepted" && record.status !== "acknowledged") {
        throw MeshError.plain(410, "Message no longer available for download", { messageId: id });
      }
    }
    const headers = downloadHeaders(record, chunk);
    if (record.type === "REPORT" || head) {
      if (record.type === "DATA" && (chunk < 1 || chunk > record.totalChunks)) {
        throw MeshError.coded(404, "20", { messageId: id });
      }
      headers.set("Content-Type", "application/octet-stream");
      return new Response(head ? null : "", { status: 200, headers });
    }
    const ref = chunk >= 1 ? record.chunks[chunk - 1] : undefined;
    if (!ref) throw MeshError.coded(404, "20", { messageId: id });
    const blob = await services.blobs.get(chunkBlobKey(id, chunk, ref[0]));
    if (!blob) throw MeshError.coded(404, "20", { messageId: id });
    audit.bytes = blob.size;
    const version = c.get("apiVersion");
    headers.set(
      "Content-Type",
      version >= 2 && record.totalChunks < 2 && record.metadata.contentType
        ? record.metadata.contentType
        : "application/octet-stream",
    );
    let body: ReadableStream<Uint8Array> = blob.body;
    let alreadyEncoded = false;
    if (record.contentEncoding === "gzip" && acceptsGzip(c.req.header("accept-encoding"))) {
      headers.set("Content-Encoding", "gzip");
      headers.set("Content-Length", String(blob.size));
      alreadyEncoded = true;
    } else if (record.contentEncoding === "gzip") {
      // The blob store yields plain Uint8Array chunks, which DecompressionStream accepts.
      body = body.pipeThrough(
        new DecompressionStream("gzip") as unknown as ReadableWritablePair<
          Uint8Array<ArrayBuffer>,
          Uint8Array
        >,
      );
    } else {
      headers.set("Content-Length", String(blob.size));
    }
    const init: ResponseInit & { encodeBody?: "manual" } = {
      status: chunk < record.totalChunks ? 206 : 200,
      headers,
      // Workers compress a body themselves to match its Content-Encoding unless told the bytes
      // are encoded already; without this a stored gzip chunk went out gzipped twice. Deno
      // ignores the member (and never compresses a response that has a Content-Encoding).
      ...(alreadyEncoded ? { encodeBody: "manual" as const } : {}),
    };
    return new Response(body, init);
  };
}
