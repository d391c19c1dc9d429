/**
 * The patient-facing world for the platform's tests: the NHS login, PDS, SDS, VRS and reference
 * provider sandboxes (with its patient-facing side: Access Record, Appointments, Prescriptions,
 * User Permissions and its permissions control) and gpc-edge's platform app, wired either
 * in-process (an injected `fetch` that routes by host to each sandbox app — unit level) or on
 * real loopback sockets (end-to-end). Every upstream request the platform makes is recorded, and
 * a test can answer some of them itself (`intercept`) to play a failing practice. Logs go to an
 * array. Test-only code: the worker never imports it.
 *
 * @module
 */
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { Hono } from "hono";
import type { Logger, UpstreamFetch } from "../../app-deps.ts";
import { defaultDirectoryConfig, type DirectoryConfig } from "../../config/directory-config.ts";
import { createMemoryCacheStore } from "../../store/memory-cache-store.ts";
import { createMemoryRecordsStore } from "../../store/memory-records-store.ts";
import { createNhsLoginSandbox } from "../../../sandbox/nhs-login/nhs-login-sandbox.ts";
import { createPdsSandbox } from "../../../sandbox/pds/pds-sandbox.ts";
import { createProviderSandbox } from "../../../sandbox/provider/provider-sandbox.ts";
import { createSdsSandbox } from "../../../sandbox/sds/sds-sandbox.ts";
import { createVrsApp } from "../../../sandbox/vrs/vrs-sandbox.ts";
import { createPlatformApp, type PlatformDeps } from "../platform-app.ts";
import { defaultPlatformConfig, type PlatformConfig } from "../platform-config.ts";

/** The inline-JWKS app whose private key the tests hold (to sign defective assertions). */
export const testAppId = "test-app";

/** The platform's route prefixes as its consumers call them (the tests' `ar`, `am`, `rx`). */
export const platformPaths = {
  accessRecord: "/gp-connect/patient-facing/access-record-fhir/FHIR/STU3",
  appointments: "/gp-connect/patient-facing/appointments-management-fhir/FHIR/STU3",
  prescriptions: "/gp-connect/patient-facing/prescriptions-management-fhir/FHIR/R4",
} as const;

/** One recorded upstream request. */
export interface UpstreamCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
}

/** Options of {@linkcode startPlatformWorld}. */
export interface PlatformWorldOptions {
  /** Real sockets (end-to-end) instead of in-process routing. */
  readonly sockets?: boolean;
  /** gpc-edge's clock in ms (the sandboxes keep real time unless given `sandboxNow`). */
  readonly now?: () => number;
  /** Answers an upstream request instead of its sandbox (undefined: the sandbox answers). */
  readonly intercept?: (request: Request) => Promise<Response | undefined> | Response | undefined;
  /** Overrides of the platform configuration. */
  readonly config?: Partial<PlatformConfig>;
  /** The sandbox app's rate limits (default 10/s, 300/min), for tests making many calls. */
  readonly rateLimits?: { readonly perSecond: number; readonly perMinute: number };
  /** Overrides of the directory configuration (PDS/SDS timeouts). */
  readonly directoryConfig?: Partial<DirectoryConfig>;
  /** Overrides of the platform's other deps (scheduler, retry jitter, clock, gateway). */
  readonly deps?: Partial<Pick<PlatformDeps, "scheduler" | "random" | "clock" | "gateway">>;
  /** Wraps the platform's upstream fetch (after recording), e.g. to count calls in flight. */
  readonly wrapFetch?: (fetch: UpstreamFetch) => UpstreamFetch;
  /** Sockets mode: how upstream requests leave (default `fetch`; e.g. the Deno entry's TLS one). */
  readonly upstreamFetch?: UpstreamFetch;
  /** Sockets mode: the provider sandbox serves HTTPS with this certificate (PEM). */
  readonly providerTls?: { readonly cert: string; readonly key: string };
}

/** A running world. */
export interface PlatformWorld {
  readonly edgeUrl: string;
  readonly nhsLoginUrl: string;
  readonly tokenUrl: string;
  /** gpc-edge's platform app (in-process mode: call it with `app.request`). */
  readonly platform: Hono<never>;
  /** Sends a request to gpc-edge (through the socket in socket mode). */
  edge(path: string, init?: RequestInit): Promise<Response>;
  /** Fetches from a sandbox directly (not recorded). */
  sandboxFetch(url: string, init?: RequestInit): Promise<Response>;
  /** Requests the platform made upstream. */
  readonly upstream: UpstreamCall[];
  /** Log records (audit and error lines). */
  readonly logs: Array<Readonly<Record<string, unknown>>>;
  /** The platform configuration the world's platform runs with. */
  readonly config: PlatformConfig;
  /** The directory configuration (the sandboxes' PDS and SDS). */
  readonly directoryConfig: DirectoryConfig;
  /** gpc-edge's signing key as `GPC_EDGE_PLATFORM_SIGNING_KEY` takes it. */
  readonly signingKeyJson: string;
  /** The test app's private key and kid. */
  readonly testAppKey: { readonly privateKey: CryptoKey; readonly kid: string };
  /** An NHS login id_token from the sandbox. */
  idToken(nhsNumber: string, extra?: Record<string, unknown>): Promise<string>;
  /** A valid client assertion of `clientId` (the sandbox app or the test app). */
  clientAssertion(clientId?: string, claims?: Record<string, unknown>): Promise<string>;
  /** `POST /oauth2/token` with the form. */
  token(form: Record<string, string>): Promise<Response>;
  /** A token exchange for a patient; resolves the access token (throws on failure). */
  accessToken(nhsNumber: string, extra?: Record<string, unknown>): Promise<string>;
  /**
   * Sets a user's levels at the practice B82617 through its sandbox control (`actor`: a proxy's
   * levels for the patient). Unset parts keep the fixture's (full / manage).
   */
  setPermissions(
    nhsNumber: string,
    levels: { readonly medicalRecord?: string; readonly prescriptions?: string },
    actor?: string,
  ): Promise<void>;
  /** The upstream calls that reached the practice under `product`'s patient-facing root. */
  practiceCalls(product: string): UpstreamCall[];
  close(): Promise<void>;
}

type AppLike = { fetch: (request: Request) => Response | Promise<Response> };

/**
 * Starts the world.
 *
 * @example
 * ```ts
 * const world = await startPlatformWorld();
 * const token = await world.accessToken("9690937286");
 * await world.close();
 * ```
 */
export async function startPlatformWorld(
  options: PlatformWorldOptions = {},
): Promise<PlatformWorld> {
  const upstream: UpstreamCall[] = [];
  const logs: Array<Readonly<Record<string, unknown>>> = [];
  const logger: Logger = { log: (record) => logs.push(record) };
  const edgeKey = await generateKeyPair("RS512", { extractable: true });
  const edgeKid = "gpc-edge-test";
  const edgePublic: JWK = { ...(await exportJWK(edgeKey.publicKey)), kid: edgeKid, alg: "RS512" };
  const edgePrivate: JWK = { ...(await exportJWK(edgeKey.privateKey)), kid: edgeKid, alg: "RS512" };
  const testKey = await generateKeyPair("RS512", { extractable: true });
  const testJwk: JWK = { ...(await exportJWK(testKey.publicKey)), kid: "test-key-1", alg: "RS512" };

  const servers: Deno.HttpServer[] = [];
  const handlers = new Map<string, AppLike>();
  const urls: Record<string, string> = {};
  const names = ["edge", "nhsLogin", "pds", "sds", "provider", "vrs"] as const;
  for (const name of names) {
    if (options.sockets) {
      const tls = name === "provider" ? options.providerTls : undefined;
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen() {}, ...tls },
        (request) => handlers.get(name)!.fetch(request),
      );
      servers.push(server);
      urls[name] = `${tls ? "https" : "http"}://127.0.0.1:${server.addr.port}`;
    } else {
      urls[name] = `http://${name.toLowerCase()}.test`;
    }
  }
  const byOrigin = new Map<string, string>(names.map((name) => [urls[name]!, name]));

  const routed = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const answer = await options.intercept?.(request.clone());
    if (answer) return answer;
    if (options.sockets) return await (options.upstreamFetch ?? fetch)(request);
    const name = byOrigin.get(new URL(request.url).origin);
    if (!name) throw new TypeError(`No sandbox at ${request.url}`);
    return await handlers.get(name)!.fetch(request);
  };
  const recordingFetch = (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    upstream.push({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
    });
    return routed(request);
  };

  const nhsLogin = createNhsLoginSandbox({
    issuer: urls.nhsLogin!,
    apps: [{ clientId: "pfs-sandbox-app" }, { clientId: testAppId }],
  });
  handlers.set("nhsLogin", nhsLogin);
  const pds = createPdsSandbox();
  handlers.set("pds", pds);
  handlers.set("vrs", createVrsApp());
  handlers.set("sds", createSdsSandbox({ providerBaseUrl: urls.provider! }));
  handlers.set(
    "provider",
    createProviderSandbox({
      pdsBaseUrl: urls.pds!,
      fetch: routed,
      patientFacing: {
        nhsLoginIssuer: urls.nhsLogin!,
        nhsLoginJwksUrl: `${urls.nhsLogin}/.well-known/jwks.json`,
        clients: [{ clientId: "gpc-edge", jwks: { keys: [edgePublic] } }],
      },
    }),
  );
  const config: PlatformConfig = {
    ...defaultPlatformConfig,
    publicBaseUrl: urls.edge!,
    nhsLoginIssuer: urls.nhsLogin!,
    nhsLoginJwksUrl: `${urls.nhsLogin}/.well-known/jwks.json`,
    apps: [
      {
        ...defaultPlatformConfig.apps[0]!,
        jwksUrl: `${urls.nhsLogin}/test/apps/pfs-sandbox-app/jwks.json`,
        ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
      },
      {
        clientId: testAppId,
        nhsLoginClientId: testAppId,
        jwks: { keys: [testJwk] },
        products: ["access-record"],
        rateLimits: { perSecond: 10, perMinute: 300 },
      },
    ],
    signingKey: { kid: edgeKid, privateJwk: edgePrivate },
    providerHosts: [new URL(urls.provider!).hostname],
    vrsBaseUrl: urls.vrs!,
    ...options.config,
  };
  const directoryConfig: DirectoryConfig = {
    ...defaultDirectoryConfig,
    pdsBaseUrl: urls.pds!,
    sdsBaseUrl: urls.sds!,
    ...options.directoryConfig,
  };
  const platform = createPlatformApp({
    config,
    directoryConfig,
    records: createMemoryRecordsStore(options.now ? { now: options.now } : {}),
    cache: createMemoryCacheStore(),
    fetch: options.wrapFetch?.(recordingFetch) ?? recordingFetch,
    logger,
    ...(options.now ? { clock: { now: options.now, sleep: () => Promise.resolve() } } : {}),
    ...options.deps,
  });
  handlers.set("edge", platform);

  const edge = (path: string, init?: RequestInit) =>
    options.sockets
      ? fetch(`${urls.edge}${path}`, init)
      : Promise.resolve(platform.request(`${urls.edge}${path}`, init));
  const tokenUrl = `${urls.edge}/oauth2/token`;
  const nowSeconds = () => Math.floor((options.now?.() ?? Date.now()) / 1000);

  const world: PlatformWorld = {
    edgeUrl: urls.edge!,
    nhsLoginUrl: urls.nhsLogin!,
    tokenUrl,
    platform: platform as unknown as Hono<never>,
    edge,
    sandboxFetch: (url, init) => routed(url, init),
    upstream,
    logs,
    config,
    directoryConfig,
    signingKeyJson: JSON.stringify(edgePrivate),
    testAppKey: { privateKey: testKey.privateKey, kid: "test-key-1" },
    async idToken(nhsNumber, extra = {}) {
      const res = await nhsLogin.request("/test/id-token", {
        method: "POST",
        body: JSON.stringify({ nhs_number: nhsNumber, ...extra }),
      });
      if (res.status !== 200) throw new Error(`id-token ${res.status}: ${await res.text()}`);
      return (await res.json()).id_token;
    },
    async clientAssertion(clientId = "pfs-sandbox-app", claims = {}) {
      if (clientId === testAppId) {
        const now = nowSeconds();
        return await new SignJWT({
          iss: testAppId,
          sub: testAppId,
          aud: tokenUrl,
          jti: crypto.randomUUID(),
          exp: now + 300,
          ...claims,
        })
          .setProtectedHeader({ alg: "RS512", kid: "test-key-1", typ: "JWT" })
          .sign(testKey.privateKey);
      }
      const res = await nhsLogin.request(`/test/apps/${clientId}/client-assertion`, {
        method: "POST",
        body: JSON.stringify({ aud: tokenUrl }),
      });
      return (await res.json()).client_assertion;
    },
    token(form) {
      return edge("/oauth2/token", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
    },
    async accessToken(nhsNumber, extra = {}) {
      const res = await world.token(exchangeForm(
        await world.idToken(nhsNumber, extra),
        await world.clientAssertion(),
      ));
      const body = await res.json();
      if (res.status !== 200) throw new Error(`token ${res.status}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async setPermissions(nhsNumber, levels, actor) {
      const medicalRecord = levels.medicalRecord ?? "full";
      const query = actor ? `?actor=${actor}` : "";
      const res = await routed(
        `${urls.provider}/B82617/patient-facing/_sandbox/permissions/${nhsNumber}${query}`,
        {
          method: "PUT",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            medicalRecord: {
              current: { accessLevel: medicalRecord },
              historical: { accessLevel: medicalRecord },
            },
            prescriptions: { accessLevel: levels.prescriptions ?? "manage" },
          }),
        },
      );
      if (res.status !== 200) throw new Error(`permissions ${res.status}: ${await res.text()}`);
      await res.body?.cancel();
    },
    practiceCalls(product) {
      const segment = `/B82617/patient-facing/${product}`;
      return upstream.filter((call) => new URL(call.url).pathname.startsWith(segment));
    },
    async close() {
      await Promise.all(servers.map((server) => server.shutdown()));
    },
  };
  return world;
}

/** A token exchange form. */
export function exchangeForm(
  subjectToken: string,
  clientAssertion: string,
): Record<string, string> {
  return {
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: subjectToken,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: clientAssertion,
  };
}

/**
 * The body of a `$gpc.getstructuredrecord` request: the patient's NHS number and the sections
 * asked for by name (no parts).
 */
export function structuredParameters(nhsNumber: string, ...sections: string[]): string {
  return JSON.stringify({
    resourceType: "Parameters",
    parameter: [
      {
        name: "patientNHSNumber",
        valueIdentifier: { system: "https://fhir.nhs.uk/Id/nhs-number", value: nhsNumber },
      },
      ...sections.map((name) => ({ name })),
    ],
  });
}

/**
 * The Workers bindings that point a gpc-edge under workerd at this world: its public URL, NHS
 * login and its sandbox app (`app` adds to that app's entry, e.g. `rateLimits`), the platform's
 * signing key, and the sandboxes' hosts (answered by `world.sandboxFetch`).
 */
export function platformWorkerdBindings(
  world: PlatformWorld,
  app: Record<string, unknown> = {},
): Record<string, string> {
  return {
    GPC_EDGE_PUBLIC_URL: world.edgeUrl,
    GPC_EDGE_NHS_LOGIN_ISSUER: world.nhsLoginUrl,
    GPC_EDGE_PLATFORM_APPS: JSON.stringify([{
      clientId: "pfs-sandbox-app",
      jwksUrl: `${world.nhsLoginUrl}/test/apps/pfs-sandbox-app/jwks.json`,
      ...app,
    }]),
    GPC_EDGE_PLATFORM_SIGNING_KEY: world.signingKeyJson,
    GPC_EDGE_PLATFORM_PROVIDER_HOSTS: "provider.test",
    GPC_EDGE_PDS_URL: "http://pds.test",
    GPC_EDGE_SDS_URL: "http://sds.test",
  };
}
