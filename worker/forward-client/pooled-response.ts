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

/**
 * A provider's response, with its raw fields and (small bodies) its bytes. Its internal header
 * list is empty (only the `headers` getter has the fields): to answer with it, build a `Response`
 * from `fields`, as a forwarder does anyway to drop hop-by-hop fields.
 */
export class PooledResponse extends Response {
  /** Field lines in order, names as the provider sent them. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** The whole body, when it arrived with the head (else undefined: read `body`). */
  readonly wholeBody: Uint8Array<ArrayBuffer> | undefined;
  #headers: Headers | undefined;

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
  }

  /** The provider's fields as `Headers`, built on first use (the list given to super is empty). */
  override get headers(): Headers {
    return this.#headers ??= new Headers(this.fields as Array<[string, string]>);
  }
}
