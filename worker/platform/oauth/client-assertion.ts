/**
 * The consumer app's client assertion (RFC 7523 `private_key_jwt`) checked exactly as APIM's
 * identity service checks it (reference A3; identity-service-api validate-client-assertion-claims.js
 * and VerifyJWT.ClientCredentials), in its order, each refusal with its status and
 * `error_description`:
 *
 * alg RS512 → not expired → kid → typ JWT → exp present → exp an integer → iss = sub → jti present
 * → jti a string → jti not used → exp ≤ now + 310 s → iss is a registered app (401) → aud is the
 * token endpoint (401) → the app's JWKS reachable (403) → a key for the kid (401) → the RS512
 * signature verifies with jose (401) → the jti is recorded for 30 days.
 *
 * Time checks allow 10 s of clock skew (VerifyJWT TimeAllowance, R3).
 *
 * @module
 */
import { errors, jwtVerify } from "jose";
import type { Clock } from "../../app-deps.ts";
import type { ConsumerApp } from "../platform-config.ts";
import { invalidRequest, OAuthError } from "../platform-error.ts";
import type { JtiReplayCache } from "./jti-replay.ts";
import { type JwksCache, JwksUnavailable, NoMatchingKey } from "./jwks-cache.ts";
import { audienceIncludes, isJwtTyp, jwtParts } from "./jwt-parts.ts";

/** Allowed clock skew, seconds. */
export const clockToleranceSeconds = 10;

/** The furthest `exp` may be ahead of now (5 minutes + 10 s slack). */
export const maxAssertionLifetimeSeconds = 310;

/** What {@linkcode verifyClientAssertion} needs. */
export interface ClientAssertionContext {
  readonly apps: readonly ConsumerApp[];
  /** The token endpoint URL, the only accepted `aud`. */
  readonly tokenUrl: string;
  readonly jwks: JwksCache;
  readonly replay: JtiReplayCache;
  readonly clock: Clock;
}

const what = "in client_assertion JWT";

/** The signature failure body APIM answers (`public_key error`). */
export function signatureFailed(): OAuthError {
  return new OAuthError(401, "public_key error", "JWT signature verification failed");
}

/**
 * Verifies a client assertion; resolves the app it authenticates or throws an `OAuthError`.
 *
 * @example
 * ```ts
 * // const app = await verifyClientAssertion(form.get("client_assertion")!, context);
 * ```
 */
export async function verifyClientAssertion(
  assertion: string,
  context: ClientAssertionContext,
): Promise<ConsumerApp> {
  const parts = jwtParts(assertion);
  if (!parts) throw invalidRequest("Malformed JWT in client_assertion");
  const { header, claims } = parts;
  const nowSeconds = context.clock.now() / 1000;
  const exp = claims.exp;
  if (header.alg !== "RS512") {
    throw invalidRequest(
      `Invalid 'alg' header ${what} - unsupported JWT algorithm - must be 'RS512'`,
    );
  }
  if (typeof exp === "number" && nowSeconds > exp + clockToleranceSeconds) {
    throw invalidRequest(`Invalid 'exp' claim ${what} - JWT has expired`);
  }
  if (typeof header.kid !== "string" || header.kid === "") {
    throw invalidRequest(`Missing 'kid' header ${what}`);
  }
  if (!isJwtTyp(header.typ)) throw invalidRequest(`Invalid 'typ' header ${what} - must be 'JWT'`);
  if (exp === undefined || exp === null || exp === 0 || exp === "") {
    throw invalidRequest(`Missing 'exp' claim ${what}`);
  }
  if (typeof exp !== "number" || !Number.isInteger(exp)) {
    throw invalidRequest(`Invalid 'exp' claim ${what} - must be an integer`);
  }
  const { iss, sub, jti } = claims;
  if (typeof iss !== "string" || iss === "" || iss !== sub) {
    throw invalidRequest(`Missing or non-matching 'iss'/'sub' claims ${what}`);
  }
  if (jti === undefined || jti === null || jti === "") {
    throw invalidRequest(`Missing 'jti' claim ${what}`);
  }
  if (typeof jti !== "string") {
    throw invalidRequest(
      `Invalid 'jti' claim ${what} - must be a unique string value such as a GUID`,
    );
  }
  if (await context.replay.seen(iss, jti)) throw invalidRequest(`Non-unique 'jti' claim ${what}`);
  if (exp - nowSeconds > maxAssertionLifetimeSeconds) {
    throw invalidRequest(`Invalid 'exp' claim ${what} - more than 5 minutes in future`);
  }
  const app = context.apps.find((candidate) => candidate.clientId === iss);
  if (!app) throw invalidRequest(`Invalid 'iss'/'sub' claims ${what}`, 401);
  if (!audienceIncludes(claims.aud, context.tokenUrl)) {
    throw invalidRequest(`Missing or invalid 'aud' claim ${what}`, 401);
  }
  const source = app.jwks ? { inline: app.jwks } : { url: app.jwksUrl! };
  let key: CryptoKey;
  try {
    key = await context.jwks.resolver(source)({ kid: header.kid, alg: "RS512" });
  } catch (error) {
    if (error instanceof NoMatchingKey) {
      throw invalidRequest(`Invalid 'kid' header ${what} - no matching public key`, 401);
    }
    if (error instanceof JwksUnavailable) {
      throw new OAuthError(
        403,
        "public_key error",
        "The JWKS endpoint, for your client_assertion can't be reached",
        { cause: error },
      );
    }
    throw error;
  }
  try {
    await jwtVerify(assertion, key, {
      algorithms: ["RS512"],
      clockTolerance: clockToleranceSeconds,
      currentDate: new Date(context.clock.now()),
    });
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw invalidRequest(`Invalid '${error.claim}' claim ${what}`);
    }
    throw signatureFailed();
  }
  if (!(await context.replay.record(iss, jti))) {
    throw invalidRequest(`Non-unique 'jti' claim ${what}`);
  }
  return app;
}
