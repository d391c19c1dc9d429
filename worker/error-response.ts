/**
 * The one place error bodies are rendered (ARCHITECTURE.md §3.4): a `GpcEdgeError` becomes an
 * OperationOutcome in its audience's shape. SSP errors answer in XML unless JSON is asked for,
 * like the SSP (gpconnect issue #661); gpc-edge's own APIs answer JSON. Anything else becomes a
 * 500 INTERNAL_SERVER_ERROR without a stack trace. Every error response has
 * `Cache-Control: no-store`.
 *
 * @module
 */
import { GpcEdgeError } from "./errors.ts";
import { acceptedFhirFormat, fhirMediaType } from "../gpconnect/media-type.ts";
import {
  gpConnectOperationOutcome,
  type OperationOutcome,
  sspOperationOutcome,
} from "../gpconnect/operation-outcome.ts";
import { fhirJsonToXml } from "../gpconnect/xml.ts";
import type { FhirVersion } from "../gpconnect/specs.ts";

/** Options for {@linkcode errorResponse}. */
export interface ErrorResponseOptions {
  /** The request's `Accept` header. */
  readonly accept: string | undefined;
  /** FHIR release of the interaction, when known. */
  readonly fhirVersion?: FhirVersion;
  /** Id for the SSP's OperationOutcome. */
  readonly id: string;
}

/**
 * Renders any thrown value as an OperationOutcome response.
 *
 * @example
 * ```ts
 * errorResponse(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), { accept: undefined, id: crypto.randomUUID() });
 * ```
 */
export function errorResponse(thrown: unknown, options: ErrorResponseOptions): Response {
  const error = thrown instanceof GpcEdgeError
    ? thrown
    : GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
      diagnostics: "gpc-edge could not complete the request",
      cause: thrown,
    });
  const version = options.fhirVersion ?? "STU3";
  const outcome = operationOutcomeFor(error, { id: options.id, fhirVersion: version });
  const asked = acceptedFhirFormat(options.accept, version);
  const format = asked === "json" || asked === "xml"
    ? asked
    : error.audience === "ssp"
    ? "xml"
    : "json";
  const headers = new Headers(error.headers);
  headers.set("Cache-Control", "no-store");
  headers.set("Content-Type", `${fhirMediaType(version, format)};charset=utf-8`);
  const body = format === "xml"
    ? fhirJsonToXml(outcome as unknown as Record<string, unknown>)
    : JSON.stringify(outcome);
  return new Response(body, { status: error.status, headers });
}

/** The OperationOutcome body for a {@linkcode GpcEdgeError}, in its audience's shape. */
export function operationOutcomeFor(
  error: GpcEdgeError,
  options: { id: string; fhirVersion?: "STU3" | "DSTU2" },
): OperationOutcome {
  if (error.audience === "ssp") {
    return sspOperationOutcome({
      id: options.id,
      status: error.status,
      issueCode: error.issueCode,
      severity: error.severity,
      display: error.display,
    });
  }
  return gpConnectOperationOutcome({
    code: error.code,
    issueCode: error.issueCode,
    display: error.display,
    diagnostics: error.diagnostics,
    severity: error.severity,
    fhirVersion: options.fhirVersion ?? "STU3",
  });
}
