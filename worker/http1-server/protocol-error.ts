/**
 * A request the server refuses before (or while) the app sees it: malformed framing, limits,
 * smuggling attempts. Each carries the status it is answered with; the connection is always
 * closed afterwards, because after a framing error the next request's start is unknown.
 *
 * @module
 */

/** Why a request was refused: a short, stable, kebab-case code (safe to show the client). */
export type Http1RejectionCode =
  | "bad-request-line"
  | "unsupported-version"
  | "bad-request-target"
  | "request-line-too-long"
  | "headers-too-large"
  | "too-many-headers"
  | "bad-header-line"
  | "obsolete-line-folding"
  | "bad-line-ending"
  | "bad-host"
  | "missing-host"
  | "duplicate-host"
  | "bad-content-length"
  | "content-length-with-transfer-encoding"
  | "bad-transfer-encoding"
  | "bad-chunk"
  | "body-truncated"
  | "expectation-failed";

/** A refused request: the status to answer and why. */
export class Http1ProtocolError extends Error {
  /** 400, 414, 417 or 431. */
  readonly status: number;
  /** Why, for the client and the logs. */
  readonly code: Http1RejectionCode;
  /** The request line's method and target, when the refusal came after reading them. */
  requestLine: { readonly method: string; readonly target: string } | undefined;

  /**
   * A refusal with its status, code and a fixed message (never an echo of the request).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * const refusal = new Http1ProtocolError(400, "bad-host", "Host is not host[:port]");
   * assert.equal(refusal.code, "bad-host");
   * ```
   */
  constructor(status: number, code: Http1RejectionCode, message: string) {
    super(message);
    this.name = "Http1ProtocolError";
    this.status = status;
    this.code = code;
    this.requestLine = undefined;
  }
}

/** Shorthand for the common 400. */
export function badRequest(code: Http1RejectionCode, message: string): Http1ProtocolError {
  return new Http1ProtocolError(400, code, message);
}
