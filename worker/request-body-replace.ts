/**
 * Replacing a request's body (the gateway's body cap counts bytes as they stream) without losing
 * what the runtime's server knows of the request. `new Request(request, { body })` copies the
 * runtime's own view of the URL and method; a server whose requests keep the URL and method as
 * sent outside that view (Deno's guarded HTTP/1.1 server: worker/http1-server/http1-request.ts)
 * implements {@linkcode REPLACE_REQUEST_BODY} instead, and {@linkcode withRequestBody} uses it.
 *
 * @module
 */

/** The method a request implements when `new Request(request, { body })` would lose something. */
export const REPLACE_REQUEST_BODY: unique symbol = Symbol("gpc-edge.replaceRequestBody");

/** A request that replaces its own body. */
interface BodyReplaceable {
  [REPLACE_REQUEST_BODY](body: ReadableStream<Uint8Array> | null): Request;
}

/**
 * `request` with `body` instead of its own: its own {@linkcode REPLACE_REQUEST_BODY} when it has
 * one, else `new Request(request, { body })`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const request = new Request("http://edge.example/x", { method: "POST", body: "a" });
 * const replaced = withRequestBody(request, new Response("b").body);
 * assert.equal(await replaced.text(), "b");
 * assert.equal(replaced.url, "http://edge.example/x");
 * ```
 */
export function withRequestBody(
  request: Request,
  body: ReadableStream<Uint8Array> | null,
): Request {
  const replaceable = request as Request & Partial<BodyReplaceable>;
  if (typeof replaceable[REPLACE_REQUEST_BODY] === "function") {
    return replaceable[REPLACE_REQUEST_BODY](body);
  }
  return new Request(request, { body, duplex: "half" } as RequestInit);
}
