/**
 * Errors the reference provider answers on purpose: a GP Connect Spine error code from the
 * error-code table (`specs/error-codes.json`), rendered as `GPConnect-OperationOutcome-1`
 * (or the DSTU2 shape on the DSTU2 root).
 *
 * @module
 */
import type { FhirFormat } from "../../gpconnect/media-type.ts";
import { gpConnectOperationOutcome } from "../../gpconnect/operation-outcome.ts";
import {
  type FhirVersion,
  type GpConnectErrorCode,
  gpConnectErrorCodes,
} from "../../gpconnect/specs.ts";
import { fhirResponse } from "./fhir-format.ts";

/**
 * A provider error: Spine code and diagnostics; status and issue type come from the table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const error = new ProviderError("PATIENT_NOT_FOUND", "No patient with logical id 99");
 * assert.equal(error.status, 404); // the status comes from the Spine code's row
 * ```
 */
export class ProviderError extends Error {
  /** The Spine error code. */
  readonly code: GpConnectErrorCode;
  /** `issue.diagnostics`. */
  readonly diagnostics: string | undefined;
  /** HTTP status: the table's, unless overridden (415 BAD_REQUEST for an unsupported format). */
  readonly status: number;

  constructor(code: GpConnectErrorCode, diagnostics?: string, status?: number) {
    super(diagnostics ?? gpConnectErrorCodes[code].display);
    this.name = "ProviderError";
    this.code = code;
    this.diagnostics = diagnostics;
    this.status = status ?? gpConnectErrorCodes[code].status;
  }
}

/** The response for a {@linkcode ProviderError} in the negotiated format. */
export function providerErrorResponse(
  error: ProviderError,
  format: FhirFormat,
  fhirVersion: FhirVersion,
): Response {
  const row = gpConnectErrorCodes[error.code];
  const outcome = gpConnectOperationOutcome({
    code: error.code,
    issueCode: row.issueCode,
    display: row.display,
    diagnostics: error.diagnostics,
    fhirVersion,
  });
  return fhirResponse(outcome as unknown as Record<string, unknown>, {
    format,
    fhirVersion,
    status: error.status,
  });
}
