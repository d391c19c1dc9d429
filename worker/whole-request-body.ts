/**
 * A request body its receiving server already holds whole, as bytes, beside the `Request` (decision
 * G16). Deno's guarded HTTP/1.1 server reads a small `Content-Length` body before it calls the app,
 * as nginx buffers request bodies before it calls an upstream; code that passes the body on (the
 * body cap, the SSP forward) takes these bytes instead of `request.body`, which would build a
 * `ReadableStream` per request (a Deno stream outlives young-generation collections: decision
 * G14). Where nothing marks a request (Workers, `Deno.serve`, a request built by hand) the body is
 * read as a stream, as before.
 *
 * @module
 */

const wholeBody = Symbol("gpc-edge whole request body");

type Marked = Request & { [wholeBody]?: Uint8Array };

/**
 * Marks `request` as carrying `bytes`, the same bytes its body was built from. Returns `request`.
 *
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode("{}");
 * const request = markWholeRequestBody(new Request("http://x/", { method: "POST", body: bytes }), bytes);
 * wholeRequestBody(request)?.length; // 2
 * ```
 */
export function markWholeRequestBody<T extends Request>(request: T, bytes: Uint8Array): T {
  Object.defineProperty(request, wholeBody, { value: bytes });
  return request;
}

/**
 * The whole body its server read, unless none was marked or the body has since been read (its
 * bytes are then the reader's, not to be sent again).
 *
 * @example
 * ```ts
 * wholeRequestBody(new Request("http://x/", { method: "POST", body: "{}" })); // undefined: not marked
 * ```
 */
export function wholeRequestBody(request: Request): Uint8Array | undefined {
  const bytes = (request as Marked)[wholeBody];
  return bytes === undefined || request.bodyUsed ? undefined : bytes;
}
