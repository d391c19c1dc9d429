/**
 * What every FHIR-speaking audience's error renderer shares (ARCHITECTURE.md §3.5): turning a
 * thrown value into a {@linkcode GpcEdgeError}, GP Connect's OperationOutcome body for one, and
 * serialising an OperationOutcome as a response in the format the caller accepts, always with
 * `Cache-Control: no-store`. The renderers themselves live with their audience:
 * `directory/directory-error-response.ts` (gpc-edge's own APIs) and `ssp/ssp-error-response.ts`
 * (the SSP). None of them ever puts a stack trace or an unexpected error's message in a body.
 *
 * @module
 */
import { GpcEdgeError } from "./errors.ts";
import { acceptedFhirFormat, type FhirFormat, fhirMediaType } from "../gpconnect/media-type.ts";
import {
  gpConnectOperationOutcome,
  type OperationOutcome,
} from "../gpconnect/operation-outcome.ts";
import type { FhirVersion } from "../gpconnect/specs.ts";
import { fhirJsonToXml } from "../gpconnect/xml.ts";

/**
 * `thrown` as a {@linkcode GpcEdgeError}: itself, or a 500 INTERNAL_SERVER_ERROR (GP Connect
 * audience) whose text says nothing about what failed; the failure is kept as `cause` for the log.
 *
 * @example
 * ```ts
 * asGpcEdgeError(new TypeError("x is undefined")).status; // 500
 * ```
 */
export function asGpcEdgeError(thrown: unknown): GpcEdgeError {
  return thrown instanceof GpcEdgeError ? thrown : GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
    diagnostics: "gpc-edge could not complete the request",
    cause: thrown,
  });
}

/**
 * GP Connect's OperationOutcome (`GPConnect-OperationOutcome-1`, Spine code) for an error.
 *
 * @example
 * ```ts
 * import { GpcEdgeError } from "./errors.ts";
 * gpConnectOutcomeOf(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), "STU3").issue[0]?.code; // "not-found"
 * ```
 */
export function gpConnectOutcomeOf(
  error: GpcEdgeError,
  fhirVersion: FhirVersion,
): OperationOutcome {
  return gpConnectOperationOutcome({
    code: error.code,
    issueCode: error.issueCode,
    display: error.display,
    diagnostics: error.diagnostics,
    severity: error.severity,
    fhirVersion,
  });
}

/** Options for {@linkcode fhirErrorResponse}. */
export interface FhirErrorResponseOptions {
  /** The request's `Accept` header. */
  readonly accept: string | undefined;
  /** FHIR release, for the media type. */
  readonly fhirVersion: FhirVersion;
  /** The format when `Accept` names neither (or accepts anything). */
  readonly defaultFormat: FhirFormat;
}

/**
 * `outcome` as the response to `error`: the error's status and headers, the format `Accept`
 * asks for (else `defaultFormat`), and `Cache-Control: no-store` whatever the error's headers say.
 *
 * @example
 * ```ts
 * import { GpcEdgeError } from "./errors.ts";
 * const error = GpcEdgeError.gpconnect("BAD_REQUEST");
 * fhirErrorResponse(error, gpConnectOutcomeOf(error, "STU3"), {
 *   accept: undefined, fhirVersion: "STU3", defaultFormat: "json",
 * }).status; // 400
 * ```
 */
export function fhirErrorResponse(
  error: GpcEdgeError,
  outcome: OperationOutcome,
  options: FhirErrorResponseOptions,
): Response {
  const asked = acceptedFhirFormat(options.accept, options.fhirVersion);
  const format = asked === "json" || asked === "xml" ? asked : options.defaultFormat;
  const headers = new Headers(error.headers);
  headers.set("Cache-Control", "no-store");
  headers.set("Content-Type", `${fhirMediaType(options.fhirVersion, format)};charset=utf-8`);
  const body = format === "xml"
    ? fhirJsonToXml(outcome as unknown as Record<string, unknown>)
    : JSON.stringify(outcome);
  return new Response(body, { status: error.status, headers });
}
