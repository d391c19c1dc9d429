/**
 * The `Response` the pooled client answers with. Beside what any `Response` has, it carries the
 * provider's field lines as parsed (`fields`) and, when the whole body came in with the head,
 * the body's bytes (`wholeBody`): a forwarder that builds its own `Response` reads them instead of
 * iterating `Headers` and piping a stream (issue 15: `Headers` validation and a `ReadableStream`
 * body are much of a forward's cost). `headers` is built from `fields` on first use only.
 *
 * @module
 */
import type { ResponseHead } from "./response-head.ts";

/** A provider's response, with its raw fields and (small bodies) its bytes. */
export class PooledResponse extends Response {
  /** Field lines in order, names as the provider sent them. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** The whole body, when it arrived with the head (else undefined: read `body`). */
  readonly wholeBody: Uint8Array<ArrayBuffer> | undefined;

  /**
   * @example
   * ```ts
   * const response = new PooledResponse(
   *   { status: 200, statusText: "OK", fields: [["Content-Type", "text/plain"]], framing: { kind: "none" }, keepAlive: true },
   *   new TextEncoder().encode("ok"),
   * );
   * response.headers.get("content-type"); // "text/plain"
   * ```
   */
  constructor(
    head: ResponseHead,
    body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null,
  ) {
    super(body, { status: head.status, statusText: head.statusText });
    this.fields = head.fields;
    this.wholeBody = body instanceof Uint8Array ? body : undefined;
    let headers: Headers | undefined;
    // An own accessor: `Response.prototype.headers` would answer the (empty) list given to super.
    Object.defineProperty(this, "headers", {
      get: () => headers ??= new Headers(head.fields as Array<[string, string]>),
      enumerable: true,
    });
  }
}
