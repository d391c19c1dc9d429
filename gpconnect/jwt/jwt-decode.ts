/**
 * Decodes the unsecured GP Connect JWT from an `Authorization` header value and reports every
 * structural problem it finds (reference gpconnect-ssp.md §2.1; DEMO `WebTokenFactory.java`).
 * Pure and runtime-neutral; never throws; never echoes the token. The token's parts are read by
 * the generic compact JWS reader ({@linkcode readCompactJws}); the rules below are GP Connect's.
 *
 * Rules, all 400 BAD_REQUEST (§2.3, §4.3 "every JWT defect … not base64 → 400"):
 * - scheme `Bearer` (case-insensitive), one or more spaces or tabs, then the token;
 * - exactly three dot-separated parts, the last (signature) empty, i.e. a trailing `.`;
 * - each of header and payload is unpadded base64url (no `=`, `+`, `/`) of UTF-8 JSON;
 * - the JOSE header is exactly `{"alg":"none","typ":"JWT"}`: both keys required, no others;
 * - the payload is a JSON object.
 *
 * @module
 */
import type { JsonObject } from "../json-object.ts";
import { type JwsProblem, readCompactJws } from "./jws-compact.ts";
import { badRequest, type JwtFinding, quote } from "./jwt-finding.ts";

/** What {@linkcode decodeBearerJwt} could read, and what was wrong. */
export interface DecodedJwt {
  /** The JOSE header when it decoded to a JSON object. */
  readonly header: Record<string, unknown> | undefined;
  /** The payload claims when they decoded to a JSON object (even if the header is bad). */
  readonly claims: Record<string, unknown> | undefined;
  /** Structural problems, in the order: authorization, token, header, payload. */
  readonly findings: readonly JwtFinding[];
}

const schemeShape = /^[A-Za-z][A-Za-z0-9._~+-]{0,19}$/;

/**
 * Splits `Bearer <token>` and decodes the token's header and payload.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gpConnectJwt } from "./gpc-jwt.ts";
 * const token = gpConnectJwt({ requestedScope: "patient/*.read" });
 * const { claims, findings } = decodeBearerJwt(`Bearer ${token}`);
 * assert.deepEqual(findings, []);
 * assert.equal(claims?.requested_scope, "patient/*.read");
 * ```
 */
export function decodeBearerJwt(authorization: string): DecodedJwt {
  const findings: JwtFinding[] = [];
  const token = bearerToken(authorization, findings);
  if (token === undefined) return { header: undefined, claims: undefined, findings };

  const reading = readCompactJws(token);
  const partCount = reading.problems.find((problem) => problem.code === "part-count");
  if (partCount) {
    findings.push(badRequest("token", partCount.problem));
    return { header: undefined, claims: undefined, findings };
  }
  // GP Connect's tokens are unsecured: the signature part is present and empty.
  if (reading.parts.length === 2) {
    findings.push(badRequest("token", 'Token must end with "." (an empty signature part)'));
  } else if (reading.parts[2] !== "") {
    findings.push(badRequest("token", 'Token signature must be empty for alg "none"'));
  }
  // Decoding problems of both parts first, then what the decoded JSON is, as always reported.
  for (const problem of reading.problems) {
    if (isPartProblem(problem) && problem.code !== "not-object") {
      findings.push(badRequest(problem.part, problem.problem));
    }
  }
  if (reading.header) checkJoseHeader(reading.header, findings);
  for (const problem of reading.problems) {
    if (isPartProblem(problem) && problem.code === "not-object") {
      findings.push(badRequest(problem.part, problem.problem));
    }
  }
  return { header: reading.header, claims: reading.payload, findings };
}

/** A problem of the header or payload part (the signature's are GP Connect's own rule). */
function isPartProblem(problem: JwsProblem): problem is JwsProblem & {
  readonly part: "header" | "payload";
} {
  return problem.part === "header" || problem.part === "payload";
}

/** The token after a case-insensitive `Bearer` scheme, or undefined with a finding. */
function bearerToken(authorization: string, findings: JwtFinding[]): string | undefined {
  const value = authorization.trim();
  if (value === "") {
    findings.push(badRequest("authorization", "Authorization header is empty"));
    return undefined;
  }
  const gap = value.search(/[ \t]/);
  const scheme = gap < 0 ? value : value.slice(0, gap);
  if (scheme.toLowerCase() !== "bearer") {
    // Quote the scheme only when it looks like one; otherwise it may be a token or credentials.
    const found = gap > 0 && schemeShape.test(scheme) ? ` (found ${quote(scheme)})` : "";
    findings.push(badRequest("authorization", `Authorization scheme must be "Bearer"${found}`));
    return undefined;
  }
  const token = gap < 0 ? "" : value.slice(gap).trimStart();
  if (token === "") {
    findings.push(badRequest("authorization", "Authorization header has no bearer token"));
    return undefined;
  }
  return token;
}

/** Header must be exactly `{"alg":"none","typ":"JWT"}`. */
function checkJoseHeader(header: JsonObject, findings: JwtFinding[]): void {
  if (!("alg" in header)) {
    findings.push(badRequest("header", 'JOSE header has no "alg"'));
  } else if (header.alg !== "none") {
    findings.push(
      badRequest("header", `JOSE header "alg" must be "none" (found ${quote(header.alg)})`),
    );
  }
  if (!("typ" in header)) {
    findings.push(badRequest("header", 'JOSE header has no "typ"'));
  } else if (header.typ !== "JWT") {
    findings.push(
      badRequest("header", `JOSE header "typ" must be "JWT" (found ${quote(header.typ)})`),
    );
  }
  const extra = Object.keys(header).filter((key) => key !== "alg" && key !== "typ");
  if (extra.length > 0) {
    findings.push(
      badRequest("header", `JOSE header has unexpected keys ${extra.map(quote).join(", ")}`),
    );
  }
}
