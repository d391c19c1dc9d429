/**
 * Reading a request body under a cap (R11): a `Content-Length` over the cap is refused before
 * anything is read, and a body without one (chunked) is counted while it streams and refused as
 * soon as it passes the cap — 413 before any upstream call. The body is then held (≤ 1 MiB) so
 * the patient binding can read it and the forward can send the same bytes.
 *
 * @module
 */
import { PlatformError } from "../platform-error.ts";

function tooLarge(maxBytes: number): PlatformError {
  return new PlatformError("PAYLOAD_TOO_LARGE", {
    diagnostics: `The request body exceeds the ${maxBytes} byte limit`,
  });
}

/**
 * The request's body bytes (empty when it has none); throws 413 past `maxBytes`.
 *
 * @example
 * ```ts
 * const bytes = await readCappedBody(new Request("http://x/", { method: "POST", body: "{}" }), 1024);
 * bytes.byteLength; // 2
 * ```
 */
export async function readCappedBody(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > maxBytes) {
    await request.body?.cancel();
    throw tooLarge(maxBytes);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
