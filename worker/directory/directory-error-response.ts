/**
 * The error renderer of gpc-edge's own APIs (the directory API, and what answers for them: an
 * unknown path, a Worker's invalid configuration): GP Connect's OperationOutcome
 * (`GPConnect-OperationOutcome-1`, Spine codes; ARCHITECTURE.md §3.5) in JSON unless XML is asked
 * for, with the error's status and headers (e.g. `Retry-After`) and the request id echoed as
 * `X-Request-ID`. Anything but a `GpcEdgeError` is a 500 INTERNAL_SERVER_ERROR saying nothing of
 * what failed.
 *
 * @module
 */
import { asGpcEdgeError, fhirErrorResponse, gpConnectOutcomeOf } from "../error-response.ts";
import { isUuid } from "../../gpconnect/uuid.ts";

/** Options for {@linkcode directoryErrorResponse}. */
export interface DirectoryErrorOptions {
  /** The request's `Accept` header. */
  readonly accept: string | undefined;
  /** The request id, echoed as `X-Request-ID`. */
  readonly requestId: string;
}

/**
 * Renders any thrown value as the directory API's error response.
 *
 * @example
 * ```ts
 * import { GpcEdgeError } from "../errors.ts";
 * const response = directoryErrorResponse(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), {
 *   accept: undefined, requestId: crypto.randomUUID(),
 * });
 * response.status; // 404
 * ```
 */
export function directoryErrorResponse(thrown: unknown, options: DirectoryErrorOptions): Response {
  const error = asGpcEdgeError(thrown);
  const response = fhirErrorResponse(error, gpConnectOutcomeOf(error, "STU3"), {
    accept: options.accept,
    fhirVersion: "STU3",
    defaultFormat: "json",
  });
  response.headers.set("X-Request-ID", options.requestId);
  return response;
}

/**
 * The request id of a call to gpc-edge's own APIs: the caller's `X-Request-ID` when it is a UUID
 * (so the caller can correlate, and PDS and SDS get the same id), else a fresh one.
 *
 * @example
 * ```ts
 * directoryRequestId("not-a-uuid", () => "f6b3c2a1-0000-4000-8000-000000000000"); // the fresh one
 * ```
 */
export function directoryRequestId(given: string | undefined, randomUUID: () => string): string {
  return isUuid(given) ? given : randomUUID();
}
