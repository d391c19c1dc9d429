/**
 * Judges a GP Connect JWT against one interaction: decodes it ({@linkcode decodeBearerJwt}),
 * checks the scalar claims here and the FHIR-resource claims in
 * {@linkcode checkResourceClaims}, and returns every finding plus an audit summary. Pure and
 * runtime-neutral; the caller decides whether to reject (first finding) or only log (all).
 *
 * Scalar claim rules, each failure 400 BAD_REQUEST (reference gpconnect-ssp.md §2.2, §2.3, §4.3,
 * §8.3–8.4; PT `JWT.feature`):
 * - `iss`, `sub`, `aud`, `reason_for_request`, `requested_scope`: present, a string, not blank.
 * - `sub` equals `requesting_practitioner.id` (DEMO → 400).
 * - `aud`: 1.x any value (PT itself sends `https://authorize.fhir.nhs.net/token/`, §8.3); DSTU2
 *   exactly {@linkcode dstu2JwtAudience}, no trailing slash (GPC-0.7 "MUST be fixed to"; DEMO 0.7
 *   compares with `equals`, so a provider would reject the slash anyway).
 * - `exp`, `iat`: non-negative integers (epoch seconds); `exp − iat` exactly 300 (PT 299/301/−1
 *   → 400); `exp` not before now − leeway (expired); `iat` may be in the future (PT-1.6 and
 *   PT-0.7.4 accept +200 s, issue #188) but not beyond now + leeway + {@linkcode maxFutureIatSeconds}.
 * - `reason_for_request` one of the interaction's values (`directcare`; `migration` for migrate).
 * - `requested_scope` the interaction's scope; 1.x may add ` conf/N` or ` conf/R` (§2.2).
 *
 * Finding order is stable: authorization, token, header, payload, then iss, sub, aud, exp, iat,
 * reason_for_request, requested_scope, requested_record, requesting_device,
 * requesting_organization, requesting_practitioner.
 *
 * @module
 */
import type { Interaction } from "../specs.ts";
import { decodeBearerJwt } from "./jwt-decode.ts";
import { jsonType } from "../json-object.ts";
import { badRequest, type JwtFinding, quote } from "./jwt-finding.ts";
import { checkResourceClaims, type ResourceClaimsSummary } from "./jwt-resource-claims.ts";

export type { JwtFinding } from "./jwt-finding.ts";

/** The only `aud` a DSTU2 (0.x) JWT may carry (GPC-0.7 audit page). */
export const dstu2JwtAudience = "https://authorize.fhir.nhs.net/token";

/** `exp` must be exactly this many seconds after `iat` (§2.2, §8.4). */
export const jwtLifetimeSeconds = 300;

/**
 * How far beyond now + leeway `iat` may lie. PT accepts +200 s; one token lifetime bounds how long
 * a consumer with a fast clock can stretch a token's validity.
 */
export const maxFutureIatSeconds = 300;

/** What {@linkcode checkGpConnectJwt} judges a token against. */
export interface JwtCheckContext {
  /** The interaction named by `Ssp-InteractionID` (only its JWT fields are read). */
  readonly interaction: Pick<Interaction, "fhirVersion" | "requestedScope" | "reasonForRequest">;
  /** The current time in epoch seconds (the injected clock). */
  readonly nowSeconds: number;
  /** Clock-skew allowance in seconds for `exp` and `iat`. */
  readonly leewaySeconds: number;
}

/** Who asked, for the audit log; each field present only when the token carried it readably. */
export interface JwtAuditSummary extends ResourceClaimsSummary {
  /** `reason_for_request` as sent. */
  readonly reasonForRequest?: string;
  /** `requested_scope` as sent. */
  readonly requestedScope?: string;
}

/** The judgement of one token. Never contains the raw token. */
export interface JwtCheckResult {
  /** The decoded payload, when it was a JSON object. */
  readonly claims: Record<string, unknown> | undefined;
  /** Every problem, in a stable order; empty when the token is valid. */
  readonly findings: readonly JwtFinding[];
  /** Audit identities read from the token, even when it has findings. */
  readonly summary: JwtAuditSummary;
}

/**
 * Checks the raw `Authorization` header value against GP Connect's JWT rules for the interaction.
 * Never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findInteraction } from "../specs.ts";
 * import { gpConnectJwt } from "./gpc-jwt.ts";
 * const metadata = "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1";
 * const interaction = findInteraction(metadata)!;
 * const nowSeconds = Math.floor(Date.now() / 1000);
 * const authorization = `Bearer ${
 *   gpConnectJwt({ requestedScope: interaction.requestedScope, issuedAt: nowSeconds })
 * }`;
 * const result = checkGpConnectJwt(authorization, { interaction, nowSeconds, leewaySeconds: 5 });
 * assert.deepEqual(result.findings, []); // else findings[0] is what enforce mode answers with
 * ```
 */
export function checkGpConnectJwt(authorization: string, context: JwtCheckContext): JwtCheckResult {
  const decoded = decodeBearerJwt(authorization);
  const claims = decoded.claims;
  if (claims === undefined) return { claims, findings: decoded.findings, summary: {} };
  const resources = checkResourceClaims(claims, context.interaction.fhirVersion);
  const findings: JwtFinding[] = [...decoded.findings];
  checkScalarClaims(claims, context, resources.summary.requestingPractitionerId, findings);
  findings.push(...resources.findings);
  const summary: { -readonly [K in keyof JwtAuditSummary]: JwtAuditSummary[K] } = {
    ...resources.summary,
  };
  if (typeof claims.reason_for_request === "string") {
    summary.reasonForRequest = claims.reason_for_request;
  }
  if (typeof claims.requested_scope === "string") summary.requestedScope = claims.requested_scope;
  return { claims, findings, summary };
}

function checkScalarClaims(
  claims: Readonly<Record<string, unknown>>,
  context: JwtCheckContext,
  practitionerId: string | undefined,
  findings: JwtFinding[],
): void {
  const { interaction } = context;
  const dstu2 = interaction.fhirVersion === "DSTU2";
  requiredString(claims, "iss", findings);

  const sub = requiredString(claims, "sub", findings);
  if (sub !== undefined && practitionerId !== undefined && sub !== practitionerId) {
    findings.push(
      badRequest(
        "sub",
        `Claim "sub" ${quote(sub)} must equal "requesting_practitioner.id" ${
          quote(practitionerId)
        }`,
      ),
    );
  }

  const aud = requiredString(claims, "aud", findings);
  if (aud !== undefined && dstu2 && aud !== dstu2JwtAudience) {
    findings.push(
      badRequest(
        "aud",
        `Claim "aud" must be "${dstu2JwtAudience}" for DSTU2 (found ${quote(aud)})`,
      ),
    );
  }

  checkTimes(claims, context, findings);

  const reason = requiredString(claims, "reason_for_request", findings);
  if (reason !== undefined && !interaction.reasonForRequest.includes(reason)) {
    const allowed = interaction.reasonForRequest.map((value) => `"${value}"`).join(" or ");
    findings.push(
      badRequest(
        "reason_for_request",
        `Claim "reason_for_request" must be ${allowed} for this interaction (found ${
          quote(reason)
        })`,
      ),
    );
  }

  const scope = requiredString(claims, "requested_scope", findings);
  if (scope !== undefined && !scopeMatches(scope, interaction.requestedScope, dstu2)) {
    const suffix = dstu2 ? "" : `, optionally followed by " conf/N" or " conf/R"`;
    findings.push(
      badRequest(
        "requested_scope",
        `Claim "requested_scope" must be "${interaction.requestedScope}"${suffix} for this interaction (found ${
          quote(scope)
        })`,
      ),
    );
  }
}

/** 1.x: the scope, optionally followed by one space and `conf/N` or `conf/R`. DSTU2: exact. */
function scopeMatches(scope: string, expected: string, dstu2: boolean): boolean {
  if (scope === expected) return true;
  return !dstu2 && (scope === `${expected} conf/N` || scope === `${expected} conf/R`);
}

function checkTimes(
  claims: Readonly<Record<string, unknown>>,
  context: JwtCheckContext,
  findings: JwtFinding[],
): void {
  const now = Math.floor(context.nowSeconds);
  const leeway = Math.max(0, context.leewaySeconds);
  const exp = epochSeconds(claims, "exp", findings);
  const iat = epochSeconds(claims, "iat", findings);
  if (exp !== undefined && iat !== undefined && exp - iat !== jwtLifetimeSeconds) {
    findings.push(
      badRequest(
        "exp",
        `Claim "exp" must be exactly ${jwtLifetimeSeconds} seconds after "iat" (found ${
          exp - iat
        })`,
      ),
    );
  }
  if (exp !== undefined && exp < now - leeway) {
    findings.push(badRequest("exp", `Token expired ${now - exp} seconds ago`));
  }
  if (iat !== undefined && iat > now + leeway + maxFutureIatSeconds) {
    findings.push(
      badRequest(
        "iat",
        `Claim "iat" is ${iat - now} seconds in the future (at most ${
          leeway + maxFutureIatSeconds
        } allowed)`,
      ),
    );
  }
}

/** A required, non-blank string claim; otherwise one 400 finding and undefined. */
function requiredString(
  claims: Readonly<Record<string, unknown>>,
  claim: string,
  findings: JwtFinding[],
): string | undefined {
  const value = claims[claim];
  const problem = value === undefined
    ? "is missing"
    : value === null
    ? "is null"
    : typeof value !== "string"
    ? `must be a string (found ${jsonType(value)})`
    : value.trim() === ""
    ? "is empty"
    : undefined;
  if (problem === undefined) return value as string;
  findings.push(badRequest(claim, `Claim "${claim}" ${problem}`));
  return undefined;
}

/** A required non-negative integer claim (epoch seconds); otherwise one 400 finding. */
function epochSeconds(
  claims: Readonly<Record<string, unknown>>,
  claim: "exp" | "iat",
  findings: JwtFinding[],
): number | undefined {
  const value = claims[claim];
  const problem = value === undefined
    ? "is missing"
    : value === null
    ? "is null"
    : typeof value !== "number"
    ? `must be a number of epoch seconds (found ${jsonType(value)})`
    : !Number.isSafeInteger(value)
    ? `must be a whole number of seconds (found ${quote(value)})`
    : value < 0
    ? `must not be negative (found ${value})`
    : undefined;
  if (problem === undefined) return value as number;
  findings.push(badRequest(claim, `Claim "${claim}" ${problem}`));
  return undefined;
}
