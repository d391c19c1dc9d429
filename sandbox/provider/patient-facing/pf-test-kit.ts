/**
 * A practice with its patient-facing side served on loopback for tests: the provider sandbox on
 * 127.0.0.1 (port 0) over a Deno KV file in a temporary directory, trusting an NHS login sandbox
 * (called in-process for its JWKS) and one platform client whose key the kit holds, so a test
 * gets a provider access token for a patient, or for a proxy acting for one, the way the API
 * platform does (RFC 8693 token exchange with a signed client assertion).
 *
 * @module
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { createNhsLoginSandbox } from "../../nhs-login/nhs-login-sandbox.ts";
import { createProviderSandbox } from "../provider-sandbox.ts";
import { denoKvProviderStore, type ProviderStore } from "../provider-store.ts";
import type { PatientFacingOptions } from "./pf-authorisation-service.ts";
import { patientFacingUrls } from "./pf-roots.ts";

/** A running practice for tests. */
export interface PfTestPractice {
  /** The provider's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The patient-facing URLs of B82617 at it. */
  readonly urls: ReturnType<typeof patientFacingUrls>;
  /** The provider's store (the same KV file the practice writes). */
  readonly store: ProviderStore;
  /** The temporary directory holding the KV file. */
  readonly dir: string;
  /** The KV file's path. */
  readonly kvPath: string;
  /** A provider access token for `nhsNumber` (acting as proxy `actor` when given). */
  token(nhsNumber: string, actor?: string): Promise<string>;
  /** The token exchange's raw response for an id_token. */
  exchange(idToken: string): Promise<Response>;
  /** Calls the practice with a bearer token and a fresh X-Request-ID unless `headers` set one. */
  call(url: string, token: string, init?: RequestInit): Promise<Response>;
  /** Stops the server, closes the KV and removes the directory (unless `keepDir`). */
  close(options?: { keepDir?: boolean }): Promise<void>;
}

/** Options of {@linkcode startPfPractice}. */
export interface PfTestPracticeOptions {
  /** An existing temporary directory (a restart over the same KV file). */
  readonly dir?: string;
  readonly prescriptionWriteLimit?: PatientFacingOptions["prescriptionWriteLimit"];
  /** Serves this JWKS as NHS login's instead of the sandbox's (hand-made id_tokens). */
  readonly nhsLoginJwks?: { keys: JWK[] };
}

const issuer = "http://nhs-login.test";

/**
 * Starts the practice.
 *
 * @example
 * ```ts
 * const practice = await startPfPractice();
 * try {
 *   await practice.token("9690937286");
 * } finally {
 *   await practice.close();
 * }
 * ```
 */
export async function startPfPractice(
  options: PfTestPracticeOptions = {},
): Promise<PfTestPractice> {
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "pf-practice-" });
  const kvPath = `${dir}/provider.sqlite`;
  const kv = await Deno.openKv(kvPath);
  const store = denoKvProviderStore(kv);
  const nhsLogin = createNhsLoginSandbox({ issuer });
  const edgeKeys = await generateKeyPair("RS512", { extractable: true });
  const edgeJwk: JWK = { ...(await exportJWK(edgeKeys.publicKey)), kid: "edge-1", alg: "RS512" };
  const provider = createProviderSandbox({
    store,
    fetch: (input, init) =>
      options.nhsLoginJwks
        ? Promise.resolve(Response.json(options.nhsLoginJwks))
        : Promise.resolve(nhsLogin.fetch(new Request(input, init))),
    patientFacing: {
      nhsLoginIssuer: issuer,
      nhsLoginJwksUrl: `${issuer}/.well-known/jwks.json`,
      clients: [{ clientId: "gpc-edge", jwks: { keys: [edgeJwk] } }],
      ...(options.prescriptionWriteLimit
        ? { prescriptionWriteLimit: options.prescriptionWriteLimit }
        : {}),
    },
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => provider.fetch(request),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  const urls = patientFacingUrls(url, "B82617");

  const exchange = async (idToken: string) => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({
      iss: "gpc-edge",
      sub: "gpc-edge",
      aud: urls.authorisationService,
      jti: crypto.randomUUID(),
      exp: now + 300,
    }).setProtectedHeader({ alg: "RS512", kid: "edge-1", typ: "JWT" }).sign(edgeKeys.privateKey);
    return await fetch(urls.authorisationService, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: idToken,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
        client_id: "gpc-edge",
      }),
    });
  };

  return {
    url,
    urls,
    store,
    dir,
    kvPath,
    async token(nhsNumber, actor) {
      const minted = await nhsLogin.request("/test/id-token", {
        method: "POST",
        body: JSON.stringify({ nhs_number: nhsNumber, ...(actor ? { act: actor } : {}) }),
      });
      const { id_token: idToken } = await minted.json();
      const response = await exchange(idToken);
      const body = await response.json();
      if (response.status !== 200) throw new Error(`token exchange: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    exchange,
    call(target, token, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
      if (!headers.has("X-Request-ID")) headers.set("X-Request-ID", crypto.randomUUID());
      if (init.body !== undefined && !headers.has("Content-Type")) {
        headers.set("Content-Type", "application/fhir+json");
      }
      return fetch(target, { ...init, headers });
    },
    async close(closeOptions = {}) {
      await server.shutdown();
      kv.close();
      if (!closeOptions.keepDir) await Deno.remove(dir, { recursive: true });
    },
  };
}
