/**
 * The SSP's error renderer (ARCHITECTURE.md §3.5). The errors the SSP raises itself use the SSP's
 * OperationOutcome (an `id`, no profile, the HTTP status as the code, the display pattern), in XML
 * unless JSON is asked for, like the live SSP (gpconnect issue #661). The errors it raises in the
 * provider's stead (a JWT rejected in `enforce` mode) use GP Connect's OperationOutcome, in JSON
 * unless XML is asked for, as a provider would answer. Anything else is a 500
 * INTERNAL_SERVER_ERROR (GP Connect's shape) saying nothing of what failed. Media types follow the
 * interaction's FHIR release once it is known (STU3 before).
 *
 * @module
 */
import { asGpcEdgeError, fhirErrorResponse, gpConnectOutcomeOf } from "../error-response.ts";
import { sspOperationOutcome } from "../../gpconnect/operation-outcome.ts";
import type { FhirVersion } from "../../gpconnect/specs.ts";

/** Options for {@linkcode sspErrorResponse}. */
export interface SspErrorOptions {
  /** The request's `Accept` header. */
  readonly accept: string | undefined;
  /** The interaction's FHIR release, once the interaction is known. */
  readonly fhirVersion: FhirVersion | undefined;
  /** `OperationOutcome.id` of an SSP error. */
  readonly id: string;
}

/**
 * Renders any thrown value as the SSP's error response.
 *
 * @example
 * ```ts
 * import { GpcEdgeError } from "../errors.ts";
 * const response = sspErrorResponse(GpcEdgeError.ssp("ASID_CHECK_FAILED", { fromAsid: "200000000359" }), {
 *   accept: undefined, fhirVersion: undefined, id: crypto.randomUUID(),
 * });
 * response.headers.get("Content-Type"); // "application/fhir+xml;charset=utf-8"
 * ```
 */
export function sspErrorResponse(thrown: unknown, options: SspErrorOptions): Response {
  const error = asGpcEdgeError(thrown);
  const fhirVersion = options.fhirVersion ?? "STU3";
  if (error.audience === "ssp") {
    const outcome = sspOperationOutcome({
      id: options.id,
      status: error.status,
      issueCode: error.issueCode,
      severity: error.severity,
      display: error.display,
    });
    return fhirErrorResponse(error, outcome, {
      accept: options.accept,
      fhirVersion,
      defaultFormat: "xml",
    });
  }
  return fhirErrorResponse(error, gpConnectOutcomeOf(error, fhirVersion), {
    accept: options.accept,
    fhirVersion,
    defaultFormat: "json",
  });
}
