/**
 * PDS FHIR R4 error bodies (reference pds-sds.md §1.8): an OperationOutcome whose coding system is
 * `https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode`, version `1`. Errors are values:
 * {@linkcode PdsError} carries a code from {@linkcode pdsErrorCodes}; the sandbox renders it once.
 *
 * @module
 */

/** The PDS error coding system. */
export const pdsErrorSystem = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";

/** One row of the PDS error table. */
export interface PdsErrorRow {
  readonly status: number;
  readonly severity: "error" | "information" | "warning";
  readonly issueCode: string;
  readonly display: string;
}

/**
 * PDS's error codes, per reference pds-sds.md §1.8. The sandbox answers with all but the two the
 * API platform adds in front of PDS (429 TOO_MANY_REQUESTS, 503 SERVICE_UNAVAILABLE), which
 * clients' tests inject around it.
 */
export const pdsErrorCodes = {
  INVALID_RESOURCE_ID: {
    status: 400,
    severity: "error",
    issueCode: "value",
    display: "Resource Id is invalid",
  },
  UNSUPPORTED_SERVICE: {
    status: 400,
    severity: "error",
    issueCode: "processing",
    display: "Unsupported Service",
  },
  MISSING_VALUE: {
    status: 400,
    severity: "error",
    issueCode: "required",
    display: "Required value is missing",
  },
  INVALID_VALUE: {
    status: 400,
    severity: "error",
    issueCode: "value",
    display: "Provided value is invalid",
  },
  INVALID_SEARCH_DATA: {
    status: 400,
    severity: "error",
    issueCode: "value",
    display: "Search data is invalid",
  },
  ADDITIONAL_PROPERTIES: {
    status: 400,
    severity: "error",
    issueCode: "invariant",
    display: "Additional properties are not allowed",
  },
  ACCESS_DENIED: {
    status: 401,
    severity: "error",
    issueCode: "forbidden",
    display: "Access Denied - Unauthorised",
  },
  RESOURCE_NOT_FOUND: {
    status: 404,
    severity: "information",
    issueCode: "not-found",
    display: "Resource not found",
  },
  INVALIDATED_RESOURCE: {
    status: 404,
    severity: "error",
    issueCode: "processing",
    display:
      "Resource that has been marked as invalid was requested - invalid resources cannot be retrieved",
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    severity: "error",
    issueCode: "not-supported",
    display: "Method not allowed",
  },
  TOO_MANY_MATCHES: {
    status: 200,
    severity: "information",
    issueCode: "multiple-matches",
    display: "Too Many Matches",
  },
  TOO_MANY_REQUESTS: {
    status: 429,
    severity: "error",
    issueCode: "value",
    display: "Too many requests",
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    severity: "error",
    issueCode: "timeout",
    display: "Service unavailable",
  },
  UNKNOWN_ERROR: {
    status: 500,
    severity: "error",
    issueCode: "unknown",
    display: "Unknown error",
  },
} as const satisfies Record<string, PdsErrorRow>;

/** A PDS error code. */
export type PdsErrorCode = keyof typeof pdsErrorCodes;

/** A PDS OperationOutcome as plain JSON. */
export interface PdsOperationOutcome {
  resourceType: "OperationOutcome";
  issue: Array<{
    severity: string;
    code: string;
    details: {
      coding: Array<{ system: string; version: string; code: string; display: string }>;
    };
    diagnostics?: string;
  }>;
}

/**
 * An error the PDS sandbox answers on purpose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = new PdsError(
 *   "MISSING_VALUE",
 *   "Invalid request with error - X-Request-ID header must be supplied to access this resource",
 * );
 * assert.equal(error.status, 400); // thrown in a route, it is answered as PDS answers
 * ```
 */
export class PdsError extends Error {
  /** The PDS error code. */
  readonly code: PdsErrorCode;
  /** `issue.diagnostics`, when PDS sets one. */
  readonly diagnostics: string | undefined;

  constructor(code: PdsErrorCode, diagnostics?: string) {
    super(diagnostics ?? pdsErrorCodes[code].display);
    this.name = "PdsError";
    this.code = code;
    this.diagnostics = diagnostics;
  }

  /** HTTP status of the error. */
  get status(): number {
    return pdsErrorCodes[this.code].status;
  }
}

/**
 * The PDS OperationOutcome for an error code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(pdsOperationOutcome("RESOURCE_NOT_FOUND").issue[0]?.severity, "information");
 * ```
 */
export function pdsOperationOutcome(code: PdsErrorCode, diagnostics?: string): PdsOperationOutcome {
  const row: PdsErrorRow = pdsErrorCodes[code];
  const outcome: PdsOperationOutcome = {
    resourceType: "OperationOutcome",
    issue: [{
      severity: row.severity,
      code: row.issueCode,
      details: {
        coding: [{ system: pdsErrorSystem, version: "1", code, display: row.display }],
      },
    }],
  };
  if (diagnostics !== undefined) outcome.issue[0]!.diagnostics = diagnostics;
  return outcome;
}
