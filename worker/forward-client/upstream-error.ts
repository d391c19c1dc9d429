/**
 * Why an exchange with a provider failed below HTTP: its answer broke HTTP/1.1 framing (a
 * malformed status line, ambiguous `Content-Length`, `Transfer-Encoding` with `Content-Length`,
 * a bad chunk, a body cut short, bytes nobody asked for), or the connection failed. The
 * connection it happened on is never used again: after a framing error the start of the next
 * response is unknown.
 *
 * @module
 */
import { Http1ProtocolError } from "../http1-server/protocol-error.ts";

/** Short, stable codes for what went wrong. */
export type UpstreamFailureCode =
  | "bad-status-line"
  | "bad-header-line"
  | "bad-framing"
  | "bad-chunk"
  | "body-truncated"
  | "unsolicited-bytes"
  | "head-too-large"
  | "connection-closed"
  | "request-body-mismatch";

/** A provider's answer that could not be read as HTTP/1.1, or a connection that failed. */
export class UpstreamProtocolError extends Error {
  /** What went wrong. */
  readonly code: UpstreamFailureCode;

  /**
   * @example
   * ```ts
   * const error = new UpstreamProtocolError("bad-status-line", "The status line is malformed");
   * error.code; // "bad-status-line"
   * ```
   */
  constructor(code: UpstreamFailureCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UpstreamProtocolError";
    this.code = code;
  }
}

/**
 * The error as this client reports it: the shared HTTP/1.1 pieces (header fields, chunked
 * decoding) throw the server's 400-shaped {@linkcode Http1ProtocolError}, which here means the
 * provider's answer, not a request, was malformed.
 *
 * @example
 * ```ts
 * import { badRequest } from "../http1-server/protocol-error.ts";
 * const error = asUpstreamError(badRequest("bad-chunk", "A chunk size is malformed"));
 * error instanceof UpstreamProtocolError && error.code; // "bad-chunk"
 * ```
 */
export function asUpstreamError(error: unknown): unknown {
  if (!(error instanceof Http1ProtocolError)) return error;
  const code: UpstreamFailureCode = error.code === "bad-chunk" || error.code === "body-truncated"
    ? error.code
    : error.code === "obsolete-line-folding" || error.code === "bad-header-line"
    ? "bad-header-line"
    : error.code === "headers-too-large" || error.code === "too-many-headers" ||
        error.code === "request-line-too-long"
    ? "head-too-large"
    : "bad-framing";
  return new UpstreamProtocolError(code, error.message, { cause: error });
}
