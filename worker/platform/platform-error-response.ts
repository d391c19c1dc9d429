/**
 * The platform's error bodies. API routes answer APIM's OperationOutcome (A6): issue `code`,
 * coding `https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode` version 1, the Spine code
 * and display — or, for a failure that has no Spine code (an internal fault, an upstream that
 * did not speak FHIR), APIM's catch-all: issue code `exception` and the HTTP status as the
 * coding code. The token endpoint answers the identity service's JSON (A3). Both are
 * `Cache-Control: no-store` (R31) and never carry a stack trace or a token (R26).
 *
 * @module
 */
import type { OperationOutcome } from "../../gpconnect/operation-outcome.ts";
import { type OAuthError, PlatformError } from "./platform-error.ts";
import { platformErrorSystem } from "./platform-specs.ts";

/** Codes rendered as APIM's catch-all (coding code = HTTP status). */
const catchAllCodes = new Set(["INTERNAL_SERVER_ERROR", "BAD_GATEWAY"]);

/** HTTP reason phrases for the catch-all display. */
const reasonPhrases: Readonly<Record<number, string>> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** `thrown` as a {@linkcode PlatformError}: itself, or a 500 that says nothing of what failed. */
export function asPlatformError(thrown: unknown): PlatformError {
  if (thrown instanceof PlatformError) return thrown;
  return new PlatformError("INTERNAL_SERVER_ERROR", {
    diagnostics: "gpc-edge could not complete the request",
    cause: thrown,
  });
}

/**
 * APIM's OperationOutcome for an error.
 *
 * @example
 * ```ts
 * import { PlatformError } from "./platform-error.ts";
 * apimOperationOutcome(new PlatformError("ACCESS_DENIED")).issue[0]?.code; // "forbidden"
 * ```
 */
export function apimOperationOutcome(error: PlatformError): OperationOutcome {
  const catchAll = catchAllCodes.has(error.code);
  const coding = {
    system: platformErrorSystem,
    version: "1",
    code: catchAll ? String(error.status) : error.code,
    display: catchAll ? reasonPhrases[error.status] ?? error.display : error.display,
  };
  return {
    resourceType: "OperationOutcome",
    issue: [{
      severity: "error",
      code: catchAll ? "exception" : error.issueCode,
      details: { coding: [coding] },
      ...(error.diagnostics === undefined ? {} : { diagnostics: error.diagnostics }),
    }],
  };
}

/** The response to an API route's error. */
export function platformErrorResponse(error: PlatformError): Response {
  const headers = new Headers(error.headers);
  headers.set("Content-Type", "application/fhir+json");
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(apimOperationOutcome(error)), {
    status: error.status,
    headers,
  });
}

/**
 * The token endpoint's error response: `{ error, error_description, message_id }`.
 *
 * @example
 * ```ts
 * import { OAuthError } from "./platform-error.ts";
 * oauthErrorResponse(new OAuthError(400, "invalid_request", "Missing client_assertion"), crypto.randomUUID()).status; // 400
 * ```
 */
export function oauthErrorResponse(error: OAuthError, messageId: string): Response {
  return new Response(
    JSON.stringify({
      error: error.error,
      error_description: error.description,
      message_id: messageId,
    }),
    {
      status: error.status,
      headers: {
        ...error.headers,
        "Content-Type": "application/json",
        "Cache-Control": "no-store",
      },
    },
  );
}
