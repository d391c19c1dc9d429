/**
 * The NHS login id_token a token exchange presents as `subject_token` (A2 steps 1–2, A3, A4),
 * checked in APIM's order (identity-service-api validate-subject-token-claims.js,
 * validate-actor-token-claims.js, VerifyJWT.SubjectToken) and then verified with jose:
 *
 * kid → typ JWT → alg present → exp present → exp an integer → not expired → iss present →
 * aud present (401) → [the `act.sub` actor token's own header and claims] → alg RS256 or RS512
 * (else the signature fails, 401) → iss is NHS login's (401) → aud is the app's NHS login client id
 * (401) → NHS login's JWKS has the kid (401; refetched once when unknown) → the signature
 * verifies (401) → `nhs_number` is a valid NHS number and `identity_proofing_level` is present.
 *
 * APIM only decodes the actor token; here it is verified against NHS login's keys too. 10 s of
 * clock skew is allowed (R3).
 *
 * @module
 */
import { errors, jwtVerify } from "jose";
import type { Clock } from "../../app-deps.ts";
import { isValidNhsNumber } from "../../../gpconnect/nhs-number.ts";
import { invalidRequest, OAuthError } from "../platform-error.ts";
import { clockToleranceSeconds, signatureFailed } from "./client-assertion.ts";
import { type JwksCache, JwksUnavailable, NoMatchingKey } from "./jwks-cache.ts";
import { isJwtTyp, jwtParts } from "./jwt-parts.ts";

/** Who logged in, from a verified id_token. */
export interface VerifiedLogin {
  readonly nhsNumber: string;
  readonly proofingLevel: string;
  /** The proxy's NHS number when `act` is present. */
  readonly actorNhsNumber: string | undefined;
}

/** What {@linkcode verifySubjectToken} needs. */
export interface SubjectTokenContext {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** The app's NHS login client id. */
  readonly audience: string;
  readonly jwks: JwksCache;
  readonly clock: Clock;
}

const nhsLoginAlgorithms = ["RS256", "RS512"];

function checkShape(token: string, name: string, nowSeconds: number, isActor: boolean) {
  const parts = jwtParts(token);
  if (!parts) {
    throw invalidRequest(
      isActor ? `${name} JWT is corrupt or unparseable` : `Malformed JWT in ${name}`,
    );
  }
  const { header, claims } = parts;
  const what = `in ${name} JWT`;
  if (!header.kid) throw invalidRequest(`Missing 'kid' header ${what}`);
  if (!isJwtTyp(header.typ)) throw invalidRequest(`Invalid 'typ' header ${what} - must be 'JWT'`);
  if (!header.alg) throw invalidRequest(`Missing 'alg' header ${what}`);
  if (!claims.exp) throw invalidRequest(`Missing 'exp' claim ${what}`);
  if (typeof claims.exp !== "number" || !Number.isInteger(claims.exp)) {
    throw invalidRequest(`Invalid 'exp' claim ${what} - must be an integer`);
  }
  if (nowSeconds > claims.exp + clockToleranceSeconds) {
    throw invalidRequest(`Invalid 'exp' claim ${what} - JWT has expired`);
  }
  if (!claims.iss) throw invalidRequest(`Missing 'iss' claim ${what}`);
  if (!claims.aud) throw invalidRequest(`Missing 'aud' claim ${what}`, isActor ? 400 : 401);
  return parts;
}

async function verifySignature(
  token: string,
  name: string,
  context: SubjectTokenContext,
  audience: string | undefined,
): Promise<Record<string, unknown>> {
  const parts = jwtParts(token)!;
  const alg = parts.header.alg;
  if (typeof alg !== "string" || !nhsLoginAlgorithms.includes(alg)) throw signatureFailed();
  if (parts.claims.iss !== context.issuer) {
    throw invalidRequest(`Invalid 'iss' claim in ${name} JWT`, 401);
  }
  let key: CryptoKey;
  try {
    key = await context.jwks.resolver({ url: context.jwksUrl })({
      kid: String(parts.header.kid),
      alg,
    });
  } catch (error) {
    if (error instanceof NoMatchingKey) {
      throw invalidRequest(`Invalid 'kid' header in ${name} JWT - no matching public key`, 401);
    }
    if (error instanceof JwksUnavailable) {
      throw new OAuthError(
        503,
        "temporarily_unavailable",
        "NHS login's public keys could not be fetched; try again later",
        { cause: error },
      );
    }
    throw error;
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: nhsLoginAlgorithms,
      issuer: context.issuer,
      ...(audience === undefined ? {} : { audience }),
      clockTolerance: clockToleranceSeconds,
      currentDate: new Date(context.clock.now()),
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw invalidRequest(`Invalid '${error.claim}' claim in ${name} JWT`, 401);
    }
    if (error instanceof errors.JWTExpired) {
      throw invalidRequest(`Invalid 'exp' claim in ${name} JWT - JWT has expired`);
    }
    throw signatureFailed();
  }
}

/**
 * Verifies the subject token; resolves the patient (and actor) or throws an `OAuthError`.
 *
 * @example
 * ```ts
 * // const login = await verifySubjectToken(form.get("subject_token")!, { issuer, jwksUrl, audience, jwks, clock });
 * ```
 */
export async function verifySubjectToken(
  token: string,
  context: SubjectTokenContext,
): Promise<VerifiedLogin> {
  const nowSeconds = context.clock.now() / 1000;
  const { claims } = checkShape(token, "subject_token", nowSeconds, false);
  const act = claims.act as { sub?: unknown } | undefined;
  const actorToken = typeof act === "object" && act !== null && typeof act.sub === "string"
    ? act.sub
    : undefined;
  if (actorToken !== undefined) {
    const actor = checkShape(actorToken, "act.sub", nowSeconds, true);
    if (!actor.claims.nhs_number) throw invalidRequest("Missing 'nhs_number' claim in act.sub JWT");
  }
  if (typeof claims.aud === "string" || Array.isArray(claims.aud)) {
    const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!auds.includes(context.audience)) {
      throw invalidRequest("Invalid 'aud' claim in subject_token JWT", 401);
    }
  }
  const payload = await verifySignature(token, "subject_token", context, context.audience);
  const nhsNumber = payload.nhs_number;
  if (typeof nhsNumber !== "string" || !isValidNhsNumber(nhsNumber)) {
    throw invalidRequest("Missing or invalid 'nhs_number' claim in subject_token JWT");
  }
  const level = payload.identity_proofing_level;
  if (typeof level !== "string" || !/^P[0-9]$/.test(level)) {
    throw invalidRequest("Missing or invalid 'identity_proofing_level' claim in subject_token JWT");
  }
  let actorNhsNumber: string | undefined;
  if (actorToken !== undefined) {
    const actorClaims = await verifySignature(actorToken, "act.sub", context, undefined);
    if (typeof actorClaims.nhs_number !== "string" || !isValidNhsNumber(actorClaims.nhs_number)) {
      throw invalidRequest("Missing 'nhs_number' claim in act.sub JWT");
    }
    actorNhsNumber = actorClaims.nhs_number;
  }
  return { nhsNumber, proofingLevel: level, actorNhsNumber };
}
