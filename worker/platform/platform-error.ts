/**
 * The two kinds of error the platform answers on purpose, as values with a status and a code:
 * {@linkcode PlatformError} for the API routes (rendered as APIM's OperationOutcome, A6) and
 * {@linkcode OAuthError} for `POST /oauth2/token` (APIM identity service's
 * `{ error, error_description, message_id }`, A3).
 *
 * @module
 */
import { type PlatformErrorCode, platformErrorCodes } from "./platform-specs.ts";

/** Options of a {@linkcode PlatformError}. */
export interface PlatformErrorOptions {
  /** `issue.diagnostics`; never a token or stack trace. */
  readonly diagnostics?: string;
  /** Replaces the table's display (APIM puts its fault string there for ACCESS_DENIED). */
  readonly display?: string;
  /** Replaces the table's status. */
  readonly status?: number;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/**
 * An error of the patient-facing API routes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = new PlatformError("ACCESS_DENIED", { display: "Invalid access token" });
 * assert.equal(error.status, 401);
 * ```
 */
export class PlatformError extends Error {
  readonly status: number;
  readonly code: PlatformErrorCode;
  readonly issueCode: string;
  readonly display: string;
  readonly diagnostics: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: PlatformErrorCode, options: PlatformErrorOptions = {}) {
    const row = platformErrorCodes[code];
    super(options.diagnostics ?? options.display ?? row.display, { cause: options.cause });
    this.name = "PlatformError";
    this.code = code;
    this.status = options.status ?? row.status;
    this.issueCode = row.issueCode;
    this.display = options.display ?? row.display;
    this.diagnostics = options.diagnostics;
    this.headers = options.headers ?? {};
  }
}

/**
 * An error of the token endpoint: HTTP status, OAuth `error` and `error_description`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = new OAuthError(
 *   400,
 *   "invalid_request",
 *   "Missing 'kid' header in client_assertion JWT",
 * );
 * assert.equal(error.error, "invalid_request");
 * ```
 */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    error: string,
    description: string,
    options?: { cause?: unknown; headers?: Readonly<Record<string, string>> },
  ) {
    super(description, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OAuthError";
    this.status = status;
    this.error = error;
    this.description = description;
    this.headers = options?.headers ?? {};
  }
}

/** `invalid_request` with status 400 (the most common token endpoint refusal). */
export function invalidRequest(description: string, status = 400): OAuthError {
  return new OAuthError(status, "invalid_request", description);
}
