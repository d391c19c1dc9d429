/**
 * The directory's errors (`GpcEdgeError`, GP Connect audience) as the platform answers them
 * (R22, R23; A6 done better): PDS "no such patient", restricted, no current GP, invalidated →
 * 404 PATIENT_NOT_FOUND with the reason; an SDS miss → 404 "ODS code not found"; PDS or SDS down
 * → 502, too slow → 504 (R14), throttled → 503 with `Retry-After` (PDS's throttling is not the
 * consumer's rate limit).
 * Raw PDS bodies are never passed through.
 *
 * @module
 */
import { GpcEdgeError } from "../../errors.ts";
import { PlatformError } from "../platform-error.ts";

/**
 * `thrown` from a directory lookup as a `PlatformError` (anything else is rethrown).
 *
 * @example
 * ```ts
 * import { GpcEdgeError } from "../../errors.ts";
 * directoryError(GpcEdgeError.gpconnect("PATIENT_NOT_FOUND"), "PDS").status; // 404
 * ```
 */
export function directoryError(thrown: unknown, what: "PDS" | "SDS"): PlatformError {
  if (!(thrown instanceof GpcEdgeError)) throw thrown;
  const options = {
    ...(thrown.diagnostics === undefined ? {} : { diagnostics: thrown.diagnostics }),
    cause: thrown,
  };
  switch (thrown.code) {
    case "PATIENT_NOT_FOUND":
      return new PlatformError("PATIENT_NOT_FOUND", options);
    case "INVALID_NHS_NUMBER":
      return new PlatformError("INVALID_NHS_NUMBER", options);
    case "NO_RECORD_FOUND":
      return new PlatformError("ODS_CODE_NOT_FOUND", options);
    case "INVALID_PARAMETER":
      return new PlatformError(what === "SDS" ? "ODS_CODE_NOT_FOUND" : "BAD_GATEWAY", options);
  }
  if (thrown.status === 429 || thrown.status === 503) {
    return new PlatformError("SERVICE_UNAVAILABLE", {
      ...options,
      headers: { "Retry-After": thrown.headers["Retry-After"] ?? "1" },
    });
  }
  if (thrown.status === 504) return new PlatformError("GATEWAY_TIMEOUT", options);
  return new PlatformError("BAD_GATEWAY", options);
}
