/**
 * The one place MESH error bodies are rendered (ARCHITECTURE.md §3.5, mesh.md §3.4, §9). Every
 * answer is JSON, because NHS's Python client parses the body before it looks at the status:
 *
 * - v2: `{"message_id"?, "internal_id", "detail": [{"event", "code", "msg"}]}`, media type
 *   `application/vnd.mesh.v2+json`;
 * - v1: `{"messageID"?, "errorEvent", "errorCode", "errorDescription"}`, `application/json`.
 *
 * Anything that is not a {@linkcode MeshError} becomes a 500 with only the request id. A
 * MeshError's `retryAfterSeconds` becomes a `Retry-After` header (503s).
 *
 * @module
 */
import { type MeshApiVersion, meshV2MediaType } from "./mesh-api-version.ts";
import { MeshError } from "./mesh-errors.ts";

/**
 * Renders `error` as MESH's JSON error body.
 *
 * @example
 * ```ts
 * import { MeshError } from "./mesh-errors.ts";
 * const response = meshErrorResponse(MeshError.coded(417, "12"), 2, "req-1");
 * response.status; // 417
 * ```
 */
export function meshErrorResponse(
  error: unknown,
  version: MeshApiVersion,
  internalId: string,
): Response {
  const known = error instanceof MeshError
    ? error
    : MeshError.plain(500, "An internal error occurred. Please contact support.");
  const body = version >= 2
    ? {
      ...(known.messageId ? { message_id: known.messageId } : {}),
      internal_id: internalId,
      detail: [{ event: known.event, code: known.code, msg: known.description }],
    }
    : {
      ...(known.messageId ? { messageID: known.messageId } : {}),
      errorEvent: known.event,
      errorCode: known.code,
      errorDescription: known.description,
    };
  return new Response(JSON.stringify(body), {
    status: known.status,
    headers: {
      "Content-Type": version >= 2 ? meshV2MediaType : "application/json",
      "Cache-Control": "no-store",
      ...(known.retryAfterSeconds !== undefined
        ? { "Retry-After": String(known.retryAfterSeconds) }
        : {}),
    },
  });
}
