/**
 * Reading a whole body into memory under a byte cap: the bytes are counted as they stream, and the
 * read stops (the stream cancelled, so the sender is not left writing into nothing) as soon as the
 * count passes the cap — a body without `Content-Length`, or one that lies, is refused at the cap
 * rather than buffered whole first. Checking a declared `Content-Length` stays with each caller,
 * which knows how strictly to parse it.
 *
 * @module
 */

/**
 * The bytes of `body` (empty when there is none); past `maxBytes` it cancels the stream and throws
 * `onOverflow()`, so each caller keeps its own error.
 *
 * @example
 * ```ts
 * const tooLarge = () => new Error("too large");
 * const bytes = await readCappedStream(new Response("hello").body, 8, tooLarge);
 * bytes.byteLength; // 5
 * await readCappedStream(new Response("hello, world").body, 8, tooLarge).catch((e) => e.message); // "too large"
 * ```
 */
export async function readCappedStream(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  onOverflow: () => Error,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw onOverflow();
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
