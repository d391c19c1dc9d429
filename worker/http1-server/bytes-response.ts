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

import { appendHeaders } from "../../gpconnect/header-pairs.ts";
import { fillCheckedFields } from "./checked-fields.ts";

/** A `Response` with its body's bytes beside it, for a writer that can send them as they are. */
export class BytesResponse extends Response {
  /** The whole body (the same bytes `body` streams). Not to be changed after construction. */
  readonly wholeBody: Uint8Array<ArrayBuffer>;

  /**
   * @param bytes the whole body
   * @param init status, status text and fields
   * @param checkedFields given instead of `init.headers`: field lines an HTTP/1.1 parser of
   * gpc-edge read and checked (a provider's answer through the pooled client), filled without
   * Deno's checks of each value again (checked-fields.ts)
   *
   * @example
   * ```ts
   * const response = new BytesResponse(new TextEncoder().encode("ok"), { status: 200 });
   * response.wholeBody.length; // 2
   * await response.text(); // "ok"
   * ```
   */
  constructor(
    bytes: Uint8Array<ArrayBuffer>,
    init: ResponseInit,
    checkedFields?: ReadonlyArray<readonly [string, string]>,
  ) {
    // The fields are added after construction: Deno 2.9's `Response` constructor, given a body
    // and any field but Content-Type, costs ~5 µs instead of ~0.3 and leaves objects that
    // survive young-generation collections until a full one (issue 15, measured with
    // --trace-gc-nvp). Appending the same fields afterwards gives the same response.
    super(bytes, { status: init.status ?? 200, statusText: init.statusText ?? "" });
    this.wholeBody = bytes;
    if (checkedFields !== undefined) fillCheckedFields(this.headers, checkedFields);
    else if (init.headers !== undefined) appendHeaders(this.headers, init.headers);
  }
}
