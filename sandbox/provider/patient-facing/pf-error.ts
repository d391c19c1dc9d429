/**
 * The practice's patient-facing errors and their two renderings (A6, provider-generated): STU3
 * `GPConnect-OperationOutcome-1` for Access Record and Appointment Management, R4
 * `UKCore-OperationOutcome` with the R4 Spine code system (and `meta.lastUpdated`, as User
 * Permissions does) for Prescriptions and User Permissions.
 *
 * @module
 */
import { gpConnectOperationOutcome } from "../../../gpconnect/operation-outcome.ts";

/** The R4 Spine error code system (Prescriptions, User Permissions). */
export const r4ErrorSystem = "https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode";
/** UK Core's OperationOutcome profile. */
export const ukCoreOperationOutcomeProfile =
  "https://fhir.hl7.org.uk/StructureDefinition/UKCore-OperationOutcome";

/** A patient-facing error: HTTP status, Spine code, FHIR issue code. */
export class PfError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 415 | 422 | 429 | 503,
    readonly code: string,
    readonly issueCode: string,
    readonly display: string,
    readonly diagnostics: string,
    /** Extra response headers (e.g. `Retry-After` of a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(diagnostics);
  }
}

/** 403 ACCESS_DENIED: `what` belongs to someone else, or the user's level does not allow it. */
export const accessDenied = (diagnostics: string): PfError =>
  new PfError(403, "ACCESS_DENIED", "forbidden", "Access denied", diagnostics);

/** 400 BAD_REQUEST. */
export const badRequest = (diagnostics: string): PfError =>
  new PfError(400, "BAD_REQUEST", "invalid", "Bad request", diagnostics);

/** 422 INVALID_RESOURCE: a body that is not the resource the operation takes. */
export const invalidResource = (diagnostics: string): PfError =>
  new PfError(422, "INVALID_RESOURCE", "invalid", "Invalid resource", diagnostics);

/**
 * 503: the store stayed busy (or failed) through every attempt; nothing was written, so the
 * client's retry with the same `X-Request-ID` is safe.
 */
export const storeBusy = (): PfError =>
  new PfError(
    503,
    "INTERNAL_SERVER_ERROR",
    "transient",
    "Service temporarily unavailable",
    "The practice's Task store is busy; nothing was written, retry",
    { "Retry-After": "1" },
  );

/** The R4 OperationOutcome of an error. */
export function r4OperationOutcome(error: PfError, now: Date): Record<string, unknown> {
  return {
    resourceType: "OperationOutcome",
    meta: { lastUpdated: now.toISOString(), profile: [ukCoreOperationOutcomeProfile] },
    issue: [{
      severity: "error",
      code: error.issueCode,
      details: {
        coding: [{ system: r4ErrorSystem, version: "1", code: error.code, display: error.display }],
      },
      diagnostics: error.diagnostics,
    }],
  };
}

/**
 * The response of an error, in the FHIR version of the product it happened in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const response = pfErrorResponse(accessDenied("Not yours"), "R4", new Date());
 * assert.equal(response.status, 403);
 * ```
 */
export function pfErrorResponse(error: PfError, version: "STU3" | "R4", now: Date): Response {
  const body = version === "R4" ? r4OperationOutcome(error, now) : gpConnectOperationOutcome({
    code: error.code,
    issueCode: error.issueCode,
    display: error.display,
    diagnostics: error.diagnostics,
  });
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "Content-Type": "application/fhir+json", ...error.headers },
  });
}
