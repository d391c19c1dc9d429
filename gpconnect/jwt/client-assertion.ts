/**
 * An RS512 client assertion (RFC 7523 `private_key_jwt`) as the NHS API platform mints them for
 * token endpoints (reference patient-facing-and-security.md A3, R2): `alg: RS512`, `kid`,
 * `typ: JWT`, `iss` = `sub` = the client id there, `aud` = the token endpoint URL, a fresh
 * `jti`, `iat` and `exp` = now + 300 s. gpc-edge's platform signs with it towards practices and
 * PDS; the conformance harness, acting as the platform towards a practice, signs with it too.
 *
 * @module
 */
import { SignJWT } from "jose";

/** Lifetime of a client assertion, seconds (R2: APIM refuses more than 5 minutes ahead). */
export const clientAssertionLifetimeSeconds = 300;

/** What one assertion says and how it is signed. */
export interface ClientAssertionRequest {
  /** The signing key (an RS512-capable private key). */
  readonly privateKey: CryptoKey;
  /** The key id the receiver looks up in the client's JWKS. */
  readonly kid: string;
  /** `iss` and `sub`. */
  readonly clientId: string;
  /** `aud`: the token endpoint URL. */
  readonly audience: string;
  /** Milliseconds since the epoch. */
  readonly nowMs: number;
  /** `jti`. */
  readonly jti: string;
  /** Default {@linkcode clientAssertionLifetimeSeconds}. */
  readonly lifetimeSeconds?: number;
}

/**
 * Signs a client assertion.
 *
 * @example
 * ```ts
 * import { generateKeyPair } from "jose";
 * const { privateKey } = await generateKeyPair("RS512");
 * const assertion = await signClientAssertion({
 *   privateKey,
 *   kid: "key-1",
 *   clientId: "gpc-edge",
 *   audience: "https://practice.example/oauth2/token",
 *   nowMs: Date.now(),
 *   jti: crypto.randomUUID(),
 * });
 * assertion.split(".").length; // 3
 * ```
 */
export async function signClientAssertion(request: ClientAssertionRequest): Promise<string> {
  const now = Math.floor(request.nowMs / 1000);
  return await new SignJWT({})
    .setProtectedHeader({ alg: "RS512", kid: request.kid, typ: "JWT" })
    .setIssuer(request.clientId)
    .setSubject(request.clientId)
    .setAudience(request.audience)
    .setJti(request.jti)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.lifetimeSeconds ?? clientAssertionLifetimeSeconds))
    .sign(request.privateKey);
}
