/**
 * The request body cap (issue 9 item 5; B5 R11). A body whose `Content-Length` is over the cap is
 * refused before anything else is done with it. Any other body — chunked bodies have no length —
 * is counted while it streams on to the upstream: the byte that crosses the cap errors the stream,
 * which aborts the upstream call, and the forward turns that into the audience's 413 (through
 * {@linkcode bodyCapError}). Nothing is buffered, so a 200 MiB upload costs what one chunk costs.
 *
 * The same watch notes a body the consumer broke off (a chunked body cut short, a connection
 * half-closed mid-body): the upstream call then fails too, and {@linkcode bodyBroken} lets the
 * forward blame the consumer (a 400) rather than the provider (a 502 that would also count
 * against the provider's circuit breaker).
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { withRequestBody } from "../request-body-replace.ts";
import { wholeRequestBody } from "../whole-request-body.ts";
import { receivedFields } from "../../gpconnect/header-pairs.ts";

/** Options of {@linkcode requestBodyCap}. */
export interface RequestBodyCapOptions {
  /** The most bytes a request body may have. */
  readonly maxBytes: number;
  /** The error for an oversized body, in the audience's shape (413). */
  readonly refuse: (maxBytes: number) => Error;
}

/** What the watch saw of a request's body: the cap's error, or the body breaking. */
type CapState = { error: Error | undefined; broken?: boolean };

const capState = Symbol("gpc-edge request body cap");

/**
 * The cap error a capped request's body failed with, if it did. The forward asks this when its
 * upstream call fails, because the runtime's `fetch` reports a failed request body as a network
 * error of its own.
 *
 * @example
 * ```ts
 * bodyCapError(new Request("http://x/")); // undefined
 * ```
 */
export function bodyCapError(request: Request): Error | undefined {
  return (request as Request & { [capState]?: CapState })[capState]?.error;
}

/**
 * Whether a capped request's body failed to arrive whole (the consumer broke it off).
 *
 * @example
 * ```ts
 * bodyBroken(new Request("http://x/")); // false
 * ```
 */
export function bodyBroken(request: Request): boolean {
  return (request as Request & { [capState]?: CapState })[capState]?.broken === true;
}

/**
 * `source` passed through, erroring with `refuse()` once more than `maxBytes` have come.
 *
 * @example
 * ```ts
 * const capped = cappedStream(new Response("12345").body!, 4, () => new RangeError("too big"));
 * await new Response(capped).text().catch((e) => e.message); // "too big"
 * ```
 */
export function cappedStream(
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
  refuse: () => Error,
  state: CapState = { error: undefined },
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        state.broken = true;
        controller.error(error);
        return;
      }
      if (chunk.done) {
        controller.close();
        return;
      }
      seen += chunk.value.byteLength;
      if (seen > maxBytes) {
        state.error = refuse();
        controller.error(state.error);
        reader.cancel(state.error).catch(() => {});
        return;
      }
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * Middleware: refuses a declared length over the cap, and replaces `c.req.raw` by a request
 * whose body is counted as it streams.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * new Hono().use(requestBodyCap({
 *   maxBytes: 10 * 1024 * 1024,
 *   refuse: (max) => new RangeError(`over ${max} bytes`),
 * }));
 * ```
 */
export function requestBodyCap(options: RequestBodyCapOptions): MiddlewareHandler {
  const { maxBytes } = options;
  return function cappedBody(c, next) {
    const request = c.req.raw;
    const declared = receivedFields(request.headers).get("content-length");
    // The runtime checked the framing; a list or junk here is not a length to trust.
    if (declared !== undefined && /^\s*[0-9]+\s*$/.test(declared) && Number(declared) > maxBytes) {
      throw options.refuse(maxBytes);
    }
    const whole = wholeRequestBody(request);
    if (whole !== undefined) {
      // Read whole by the server (decision G16): its length is known, nothing to count.
      if (whole.length > maxBytes) throw options.refuse(maxBytes);
    } else if (request.body !== null) {
      const state: CapState = { error: undefined };
      const body = cappedStream(request.body, maxBytes, () => options.refuse(maxBytes), state);
      const capped = withRequestBody(request, body);
      Object.defineProperty(capped, capState, { value: state });
      c.req.raw = capped;
    }
    return next();
  };
}
