/**
 * A `Response` whose whole body is bytes already in hand, and says so (issue 15). Reading
 * `Response.body` makes a `ReadableStream` even for a bytes body, with a reader, its requests and
 * promises: about a quarter of what a pooled-client forward left in the heap. The HTTP/1.1
 * writer (response-writer.ts) recognises this class and writes `wholeBody` directly, framed by its
 * length, without touching `body`; any other consumer (`Deno.serve`, Hono, a test's `text()`)
 * sees an ordinary `Response` with that body.
 *
 * @module
 */

/** A `Response` with its body's bytes beside it, for a writer that can send them as they are. */
export class BytesResponse extends Response {
  /** The whole body (the same bytes `body` streams). Not to be changed after construction. */
  readonly wholeBody: Uint8Array<ArrayBuffer>;

  /**
   * @example
   * ```ts
   * const response = new BytesResponse(new TextEncoder().encode("ok"), { status: 200 });
   * response.wholeBody.length; // 2
   * await response.text(); // "ok"
   * ```
   */
  constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit) {
    super(bytes, init);
    this.wholeBody = bytes;
  }
}
