/**
 * What the local world needs to run the patient-facing platform (for sandbox/world.ts): the NHS
 * login sandbox on its own port, and gpc-edge's signing key pair — the private half for
 * gpc-edge's `platform.signingKey` (or `GPC_EDGE_PLATFORM_SIGNING_KEY`), the public half for the
 * reference practice's authorisation service (`createProviderSandbox({ patientFacing })`).
 * Generated at start, in memory: the key lives as long as the world.
 *
 * @module
 */
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { createNhsLoginSandbox, nhsLoginDefaultPort } from "./nhs-login-sandbox.ts";

/** gpc-edge's key pair for a world, and the practice's trust settings built from it. */
export interface PatientFacingWorldKeys {
  /** `{ kid, privateJwk }`, gpc-edge's `PlatformConfig.signingKey`. */
  readonly signingKey: { readonly kid: string; readonly privateJwk: JWK };
  /** `ProviderSandboxOptions.patientFacing` for a practice trusting this gpc-edge. */
  readonly practiceTrust: {
    readonly nhsLoginIssuer: string;
    readonly nhsLoginJwksUrl: string;
    readonly clients: ReadonlyArray<{ clientId: string; jwks: { keys: JWK[] } }>;
  };
}

/**
 * Makes gpc-edge's signing key for a world whose NHS login sandbox is at `nhsLoginUrl`.
 *
 * @example
 * ```ts
 * const keys = await patientFacingWorldKeys("http://127.0.0.1:8084");
 * keys.signingKey.kid; // "gpc-edge-local"
 * ```
 */
export async function patientFacingWorldKeys(
  nhsLoginUrl: string,
  clientId = "gpc-edge",
): Promise<PatientFacingWorldKeys> {
  const kid = "gpc-edge-local";
  const { privateKey, publicKey } = await generateKeyPair("RS512", { extractable: true });
  return {
    signingKey: { kid, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS512" } },
    practiceTrust: {
      nhsLoginIssuer: nhsLoginUrl,
      nhsLoginJwksUrl: `${nhsLoginUrl}/.well-known/jwks.json`,
      clients: [{
        clientId,
        jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS512" }] },
      }],
    },
  };
}

/**
 * Serves the NHS login sandbox on loopback (`port` 0 picks a free one; default 8084).
 *
 * @example
 * ```ts
 * const nhsLogin = serveNhsLoginSandbox(0);
 * await nhsLogin.shutdown();
 * ```
 */
export function serveNhsLoginSandbox(port = nhsLoginDefaultPort) {
  // The issuer is the listening URL, known only once the server listens.
  const holder: { app?: ReturnType<typeof createNhsLoginSandbox> } = {};
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen() {} },
    (request) => holder.app!.fetch(request),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  holder.app = createNhsLoginSandbox({ issuer: url });
  return { url, server, shutdown: () => server.shutdown() };
}
