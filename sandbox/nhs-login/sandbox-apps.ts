/**
 * The consumer apps the sandbox world registers, and their keys. In NHS England's world an app
 * keeps its private key and registers a JWKS URL with the API platform; locally the NHS login
 * sandbox holds the test apps' keys instead, publishes each app's JWKS
 * (`GET /test/apps/{clientId}/jwks.json`, the URL gpc-edge's app configuration points at) and
 * signs their client assertions on request (`POST /test/apps/{clientId}/client-assertion`), so
 * `task pf-token` needs no key file. Sandbox only: NHS login itself never holds an app's key.
 *
 * Client assertions follow APIM's rules (reference A3): RS512, `kid`, `typ: JWT`,
 * `iss` = `sub` = client id, `aud` = the token endpoint, a fresh `jti`, `exp` = now + 300 s.
 *
 * @module
 */
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from "jose";

/** A registered test app. */
export interface SandboxAppRegistration {
  /** The app's client id (at the API platform and, the same here, at NHS login). */
  readonly clientId: string;
  /** Redirect URIs the authorisation-code flow accepts; empty: any loopback http(s) URL. */
  readonly redirectUris?: readonly string[];
}

/** The sandbox's default app, the one gpc-edge's default configuration knows. */
export const defaultSandboxAppId = "pfs-sandbox-app";

/** The test apps and their keys. */
export interface SandboxApps {
  /** Whether `clientId` is a registered test app. */
  has(clientId: string): boolean;
  /** The registration, if any. */
  registration(clientId: string): SandboxAppRegistration | undefined;
  /** The app's public JWKS. */
  jwks(clientId: string): Promise<{ keys: JWK[] }>;
  /** A client assertion the app would send to `audience` (a token endpoint URL). */
  clientAssertion(
    clientId: string,
    audience: string,
    options: { nowSeconds: number; expiresInSeconds?: number; jti?: string },
  ): Promise<string>;
  /** Verifies an assertion the app sent to `audience`; resolves the client id or rejects. */
  verifyClientAssertion(assertion: string, audience: string, nowSeconds: number): Promise<string>;
}

interface AppKeys {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

/**
 * Registers the test apps; each gets an RS512 key pair on first use.
 *
 * @example
 * ```ts
 * const apps = createSandboxApps([{ clientId: "pfs-sandbox-app" }]);
 * const assertion = await apps.clientAssertion("pfs-sandbox-app", "http://127.0.0.1:8080/oauth2/token", {
 *   nowSeconds: Math.floor(Date.now() / 1000),
 * });
 * ```
 */
export function createSandboxApps(registrations: readonly SandboxAppRegistration[]): SandboxApps {
  const byId = new Map(registrations.map((app) => [app.clientId, app]));
  const keys = new Map<string, Promise<AppKeys>>();
  const keysOf = (clientId: string): Promise<AppKeys> => {
    if (!byId.has(clientId)) return Promise.reject(new RangeError(`Unknown app ${clientId}`));
    let made = keys.get(clientId);
    if (!made) {
      made = (async () => {
        const pair = await generateKeyPair("RS512", { extractable: true });
        const kid = `${clientId}-${crypto.randomUUID().slice(0, 8)}`;
        const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: "RS512", use: "sig" };
        return { kid, privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk };
      })();
      keys.set(clientId, made);
    }
    return made;
  };
  return {
    has: (clientId) => byId.has(clientId),
    registration: (clientId) => byId.get(clientId),
    async jwks(clientId) {
      return { keys: [(await keysOf(clientId)).publicJwk] };
    },
    async clientAssertion(clientId, audience, options) {
      const key = await keysOf(clientId);
      return await new SignJWT({})
        .setProtectedHeader({ alg: "RS512", kid: key.kid, typ: "JWT" })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(audience)
        .setJti(options.jti ?? crypto.randomUUID())
        .setExpirationTime(options.nowSeconds + (options.expiresInSeconds ?? 300))
        .sign(key.privateKey);
    },
    async verifyClientAssertion(assertion, audience, nowSeconds) {
      const unverified = JSON.parse(
        new TextDecoder().decode(Uint8Array.fromBase64(assertion.split(".")[1] ?? "", {
          alphabet: "base64url",
        })),
      ) as { iss?: unknown };
      const clientId = typeof unverified.iss === "string" ? unverified.iss : "";
      const key = await keysOf(clientId);
      const { payload } = await jwtVerify(assertion, key.publicKey, {
        algorithms: ["RS512"],
        issuer: clientId,
        subject: clientId,
        audience,
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: 10,
        requiredClaims: ["jti", "exp"],
      });
      return String(payload.iss);
    },
  };
}
