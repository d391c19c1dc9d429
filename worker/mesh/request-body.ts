/**
 * Request bodies as streams: a send's body is never read whole (mesh.md §3.2; issue 10 item 4).
 * {@linkcode nonEmptyBody} reads only the first piece, so an empty body is refused (417 code 02)
 * before anything is stored, while the rest still streams into the `blobs` store.
 *
 * @module
 */

/**
 * The body, with its first non-empty piece already read; `undefined` when the body is empty
 * (no body, `Content-Length: 0`, or a chunked body with no bytes).
 *
 * @example
 * ```ts
 * const body = await nonEmptyBody(new Blob(["hello"]).stream());
 * body !== undefined; // true
 * ```
 */
export async function nonEmptyBody(
  body: ReadableStream<Uint8Array> | null,
): Promise<ReadableStream<Uint8Array> | undefined> {
  if (!body) return undefined;
  const reader = body.getReader();
  let first: Uint8Array | undefined;
  // Bounded by the body's own length: each read either ends it or yields bytes.
  while (!first) {
    const { done, value } = await reader.read();
    if (done) {
      reader.releaseLock();
      return undefined;
    }
    if (value.byteLength > 0) first = value;
  }
  let pending: Uint8Array | undefined = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(pending);
        pending = undefined;
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** Whether a request declares an empty body up front. */
export function declaresEmptyBody(headers: Headers): boolean {
  return headers.get("content-length")?.trim() === "0";
}

/** The declared `Content-Length`, when it is a plain non-negative integer. */
export function declaredLength(headers: Headers): number | undefined {
  const text = headers.get("content-length")?.trim();
  return text && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
