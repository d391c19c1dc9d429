/**
 * What a MESH download's headers say about a message (shared/reference/mesh.md §3.3, §9): the
 * attributes NHS's clients read, the chunk range, and for a REPORT its status fields.
 *
 * @module
 */

/** A downloaded message's attributes. */
export interface MeshMessageInfo {
  readonly messageId: string;
  /** `DATA` or `REPORT`. */
  readonly messageType: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly workflowId: string | undefined;
  readonly fileName: string | undefined;
  readonly localId: string | undefined;
  readonly subject: string | undefined;
  readonly contentType: string | undefined;
  /** This response's chunk number. */
  readonly chunk: number;
  /** The message's chunk count (0 for a REPORT, which has no body). */
  readonly totalChunks: number;
  /** REPORT (and DATA) status: `mex-StatusCode`, e.g. `00`, `14`, `EPL-154`. */
  readonly statusCode: string | undefined;
  readonly statusEvent: string | undefined;
  readonly statusDescription: string | undefined;
  /** `SUCCESS` or `ERROR`. */
  readonly statusSuccess: string | undefined;
  /** For a REPORT: the message it reports on. */
  readonly linkedMessageId: string | undefined;
}

/**
 * Reads `n:N` from `Mex-Chunk-Range`; a missing header means one chunk (what MESH's Python client
 * assumes, §9). Throws `RangeError` on a malformed one.
 */
export function chunkRangeOf(headers: Headers): { chunk: number; total: number } {
  const range = headers.get("Mex-Chunk-Range");
  if (range === null || range === "") return { chunk: 1, total: 1 };
  const match = /^([0-9]+):([0-9]+)$/.exec(range.trim());
  if (!match) throw new RangeError(`malformed Mex-Chunk-Range ${JSON.stringify(range)}`);
  return { chunk: Number(match[1]), total: Number(match[2]) };
}

/**
 * The message attributes of a download response.
 *
 * @example
 * ```ts
 * const info = meshMessageInfo("20240101120000000000_ABCDEF", new Headers({
 *   "Mex-MessageType": "DATA", "Mex-Chunk-Range": "1:3",
 * }));
 * info.totalChunks; // 3
 * ```
 */
export function meshMessageInfo(messageId: string, headers: Headers): MeshMessageInfo {
  const get = (name: string) => {
    const value = headers.get(name);
    return value === null || value === "" ? undefined : value;
  };
  const { chunk, total } = chunkRangeOf(headers);
  return {
    messageId: get("Mex-MessageID") ?? messageId,
    messageType: get("Mex-MessageType") ?? "DATA",
    from: get("Mex-From"),
    to: get("Mex-To"),
    workflowId: get("Mex-WorkflowID"),
    fileName: get("Mex-FileName"),
    localId: get("Mex-LocalID"),
    subject: get("Mex-Subject"),
    contentType: get("Mex-Content-Type") ?? get("Content-Type"),
    chunk,
    totalChunks: total,
    statusCode: get("Mex-StatusCode"),
    statusEvent: get("Mex-StatusEvent"),
    statusDescription: get("Mex-StatusDescription"),
    statusSuccess: get("Mex-StatusSuccess"),
    linkedMessageId: get("Mex-LinkedMsgID"),
  };
}
