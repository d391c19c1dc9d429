/**
 * One problem found in a GP Connect JWT, as a value: which claim, what is wrong, and the HTTP
 * status and Spine code a rejection would carry. Shared by the decoder and the claim checks.
 *
 * Status policy (reference gpconnect-ssp.md §2.3, §4.2, §4.3, §8.1):
 * - **400 BAD_REQUEST**: the Authorization header, token structure, JOSE header, every scalar claim
 *   (missing, null, empty, wrong JSON type, wrong value), a missing resource claim, a resource that
 *   lacks an element GP Connect requires (ODS code, SDS user id, name, device model…), and, for
 *   DSTU2 only, a resource claim with the wrong `resourceType` (PT-0.7 `JWT.feature`).
 * - **422 INVALID_RESOURCE**: a resource claim (`requesting_device`, `requesting_organization`,
 *   `requesting_practitioner`) that is not a FHIR resource of the expected type: not a JSON object,
 *   wrong `resourceType` (1.x; PT-1.6), an unknown element (PT's "invalid Device" adds one), or an
 *   element of the wrong JSON type.
 *
 * @module
 */

/** The Spine code a finding maps to (GPC-1.6 error page, reference §4.2). */
export type JwtSpineCode = "BAD_REQUEST" | "INVALID_RESOURCE";

/** One problem in a GP Connect JWT. Never carries the raw token. */
export interface JwtFinding {
  /**
   * Where the problem is: `authorization`, `token`, `header`, or a claim name such as `iat` or
   * `requesting_device`.
   */
  readonly claim: string;
  /** Sentence-case message without a trailing period; values in double quotes. */
  readonly problem: string;
  /** HTTP status a rejection would use. */
  readonly status: 400 | 422;
  /** Spine error code a rejection would use. */
  readonly spineCode: JwtSpineCode;
}

/** A 400 BAD_REQUEST finding. */
export function badRequest(claim: string, problem: string): JwtFinding {
  return { claim, problem, status: 400, spineCode: "BAD_REQUEST" };
}

/** A 422 INVALID_RESOURCE finding. */
export function invalidResource(claim: string, problem: string): JwtFinding {
  return { claim, problem, status: 422, spineCode: "INVALID_RESOURCE" };
}

const maxQuotedLength = 64;

/**
 * A value quoted for a message: JSON-escaped (no control characters reach a log line) and cut to
 * 64 characters so a hostile claim cannot flood diagnostics.
 *
 * @example
 * ```ts
 * quote("notdirectcare"); // "\"notdirectcare\""
 * ```
 */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  const cut = text.length > maxQuotedLength ? `${text.slice(0, maxQuotedLength)}…` : text;
  return JSON.stringify(cut);
}
