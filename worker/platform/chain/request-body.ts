/**
 * Reading a request body under a cap (R11): a `Content-Length` over the cap is refused before
 * anything is read, and a body without one (chunked) is counted while it streams and refused as
 * soon as it passes the cap — 413 before any upstream call. The body is then held (≤ 1 MiB) so
 * the patient binding can read it and the forward can send the same bytes.
 *
 * @module
 */
import { readCappedStream } from "../../gateway/read-capped-stream.ts";
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
  return await readCappedStream(request.body, maxBytes, () => tooLarge(maxBytes));
}
