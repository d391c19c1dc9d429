/**
 * gpc-edge's own signed JWTs (R2): the RS512 client assertions it sends to a practice's
 * authorisation service (A2 step 8) and to PDS's token endpoint (A2 step 4) — `kid`,
 * `typ: JWT`, `iss` = `sub` = gpc-edge's client id there, `aud` = that token URL, a fresh UUID
 * `jti`, `exp` = now + 300 s (APIM's own rule for assertions it receives, A3; APIM sends 1 h to
 * practices, gpc-edge does not). The assertion itself is gpconnect/jwt/client-assertion.ts's,
 * shared with the conformance harness, which acts as the platform towards a practice.
 *
 * @module
 */
import { importJWK } from "jose";
import {
  clientAssertionLifetimeSeconds,
  signClientAssertion,
} from "../../gpconnect/jwt/client-assertion.ts";
import type { SigningKey } from "./platform-config.ts";

/** Lifetime of a minted assertion, seconds (R2). */
export const assertionLifetimeSeconds = clientAssertionLifetimeSeconds;

/** Signs client assertions with one key (imported once). */
export interface AssertionSigner {
  /** A client assertion from `clientId` to `audience`. */
  sign(clientId: string, audience: string, nowMs: number): Promise<string>;
}

/**
 * Creates a signer for `key`.
 *
 * @example
 * ```ts
 * // const signer = createAssertionSigner(config.signingKey!, () => crypto.randomUUID());
 * // const assertion = await signer.sign("gpc-edge", "https://practice.example/token", Date.now());
 * ```
 */
export function createAssertionSigner(key: SigningKey, randomUUID: () => string): AssertionSigner {
  let imported: Promise<CryptoKey> | undefined;
  return {
    async sign(clientId, audience, nowMs) {
      imported ??= importJWK(key.privateJwk, "RS512") as Promise<CryptoKey>;
      return await signClientAssertion({
        privateKey: await imported,
        kid: key.kid,
        clientId,
        audience,
        nowMs,
        jti: randomUUID(),
      });
    },
  };
}
