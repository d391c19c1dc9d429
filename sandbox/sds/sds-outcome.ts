/**
 * SDS FHIR API error bodies (reference pds-sds.md §2.4, SDS `request/error_handler.py`): an
 * OperationOutcome whose `id` is the correlation id and whose coding system is
 * `https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1` (no `version`, unlike PDS).
 *
 * @module
 */

/** The SDS error coding system. */
export const sdsErrorSystem = "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1";

/** Spine codes SDS uses, with their displays (SDS `error_handler.py` `SpineCodings`). */
export const sdsSpineCodings = {
  BAD_REQUEST: "Bad request",
  NO_RECORD_FOUND: "No record found",
  NOT_IMPLEMENTED: "Not implemented",
  MISSING_OR_INVALID_HEADER: "There is a required header missing or invalid",
  ACCESS_DENIED: "Access has been denied to process this request",
  INTERNAL_SERVER_ERROR: "Unexpected internal server error",
} as const;

/** A Spine code SDS uses. */
export type SdsSpineCode = keyof typeof sdsSpineCodings;

/**
 * An error the SDS sandbox answers on purpose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = SdsError.badRequest("Illegal query parameter 'foo'");
 * assert.equal(error.status, 400); // thrown in a route, it is answered as SDS answers
 * ```
 */
export class SdsError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Spine code. */
  readonly code: SdsSpineCode;
  /** FHIR issue type. */
  readonly issueCode: string;
  /** `issue.diagnostics`. */
  readonly diagnostics: string;
  /** Extra response headers (`Allow` on 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: SdsSpineCode,
    issueCode: string,
    diagnostics: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(diagnostics);
    this.name = "SdsError";
    this.status = status;
    this.code = code;
    this.issueCode = issueCode;
    this.diagnostics = diagnostics;
    this.headers = headers;
  }

  /**
   * 400 BAD_REQUEST with Tornado's diagnostics text: `HTTP 400: Bad Request (<message>)` for a
   * log message, `HTTP 400: <reason>` for a custom reason.
   */
  static badRequest(message: string, kind: "log" | "reason" = "log"): SdsError {
    const diagnostics = kind === "log"
      ? `HTTP 400: Bad Request (${message})`
      : `HTTP 400: ${message}`;
    return new SdsError(400, "BAD_REQUEST", "required", diagnostics);
  }
}

/** An SDS OperationOutcome as plain JSON. */
export interface SdsOperationOutcome {
  resourceType: "OperationOutcome";
  id: string;
  issue: Array<{
    severity: "error";
    code: string;
    details: { coding: Array<{ system: string; code: string; display: string }> };
    diagnostics: string;
  }>;
}

/** The OperationOutcome for an {@linkcode SdsError}, identified by the correlation id. */
export function sdsOperationOutcome(error: SdsError, correlationId: string): SdsOperationOutcome {
  return {
    resourceType: "OperationOutcome",
    id: correlationId,
    issue: [{
      severity: "error",
      code: error.issueCode,
      details: {
        coding: [{
          system: sdsErrorSystem,
          code: error.code,
          display: sdsSpineCodings[error.code],
        }],
      },
      diagnostics: error.diagnostics,
    }],
  };
}
