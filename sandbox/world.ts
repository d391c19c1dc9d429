/**
 * The whole local world on loopback (ARCHITECTURE.md §4): the PDS, SDS, NHS login and VRS sandboxes,
 * the reference provider (practice B82617, with its patient-facing side trusting this world's
 * gpc-edge and NHS login), gpc-edge pointed at all of them (SSP, directory, MESH with its test-only
 * admin API, the patient-facing platform), and the practice's MESH receiver polling B82617OT1 and
 * A20047OT1 and filing into the provider's store. `sandbox/start.ts` starts it on the default
 * ports; end-to-end tests start it on free ports with an in-memory store.
 *
 * @module
 */
import { defaultConfig, type GpcEdgeConfig, type Logger, serveGpcEdge } from "../worker/deno.ts";
export type { GpcEdgeConfig, Logger };
import { patientFacingWorldKeys, serveNhsLoginSandbox } from "./nhs-login/patient-facing-world.ts";
import { startPracticeMeshPoller } from "./practice-mesh/practice-mesh-poller.ts";
import { denoKvProviderStore } from "./provider/provider-store.ts";
import { createPdsSandbox } from "./pds/pds-sandbox.ts";
import { createProviderSandbox } from "./provider/provider-sandbox.ts";
import { createSdsSandbox } from "./sds/sds-sandbox.ts";
import { createVrsApp } from "./vrs/vrs-sandbox.ts";

/** Ports of the world; 0 picks free ones. */
export interface WorldPorts {
  /** gpc-edge (`GPC_EDGE_PORT`). */
  readonly edge: number;
  /** The PDS sandbox (`GPC_EDGE_PDS_PORT`). */
  readonly pds: number;
  /** The SDS sandbox (`GPC_EDGE_SDS_PORT`). */
  readonly sds: number;
  /** The reference GP provider (`GPC_EDGE_PROVIDER_PORT`). */
  readonly provider: number;
  /** The NHS login sandbox (`GPC_EDGE_NHS_LOGIN_PORT`); absent: a free port. */
  readonly nhsLogin?: number;
  /** The Validated Relationships Service sandbox (`GPC_EDGE_VRS_PORT`); absent: a free port. */
  readonly vrs?: number;
}

/** The default ports of ARCHITECTURE.md §4. */
export const defaultPorts: Required<WorldPorts> = {
  edge: 8080,
  pds: 8081,
  sds: 8082,
  provider: 8083,
  nhsLogin: 8084,
  vrs: 8085,
};

/** The practice mailboxes the reference practice's MESH receiver polls. */
export const practiceMailboxes: readonly string[] = ["B82617OT1", "A20047OT1"];

/** Options for {@linkcode startWorld}. */
export interface WorldOptions {
  /** Ports; default {@linkcode defaultPorts}. */
  readonly ports?: WorldPorts;
  /** gpc-edge's data directory, or `:memory:`; default `./data`. */
  readonly dataDir?: string;
  /**
   * Overrides of gpc-edge's configuration. The world sets the PDS and SDS URLs, and the
   * platform's public URL (unless configured), NHS login, sandbox app JWKS and signing key.
   */
  readonly config?: Partial<GpcEdgeConfig>;
  /** gpc-edge's and the practice's MESH receiver's logger. */
  readonly logger?: Logger;
  /**
   * MESH's test-only admin API (the harness drives the MESH lifecycle clock with it); default
   * on, as the local world is for testing (off when the configuration says production).
   */
  readonly meshAdminApi?: boolean;
  /** How often the practice polls its mailboxes; default 1000 ms. */
  readonly practicePollIntervalMs?: number;
}

/** A running world. */
export interface RunningWorld {
  /** gpc-edge's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly edgeUrl: string;
  /** The PDS sandbox's FHIR base URL. */
  readonly pdsUrl: string;
  /** The SDS sandbox's FHIR base URL. */
  readonly sdsUrl: string;
  /** The reference provider's base URL (service roots are under `/B82617/…`). */
  readonly providerUrl: string;
  /** The NHS login sandbox's issuer URL. */
  readonly nhsLoginUrl: string;
  /** The VRS sandbox's base URL (RelatedPerson under `/validated-relationships/FHIR/R4`). */
  readonly vrsUrl: string;
  /** gpc-edge's Deno KV file, or `:memory:`. */
  readonly kvPath: string;
  /** The configuration gpc-edge runs with. */
  readonly config: GpcEdgeConfig;
  /** The practice mailboxes the reference practice's MESH receiver polls. */
  readonly meshPractices: readonly string[];
  /** Stops everything (the practice's poller first, then gpc-edge, then the sandboxes). */
  close(): Promise<void>;
}

function serve(app: { fetch: (request: Request) => Response | Promise<Response> }, port: number) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen() {} },
    (request) => app.fetch(request),
  );
  return { server, url: `http://127.0.0.1:${server.addr.port}` };
}

/** The sandbox app's JWKS URL in the platform's defaults (on the default NHS login port). */
const defaultSandboxAppJwks = defaultConfig.platform.apps[0]?.jwksUrl;

/** The world's SSP rate limits when none are configured: room for a full harness run. */
const localWorldRateLimits: GpcEdgeConfig["ssp"]["rateLimits"] = {
  consumer: { limit: 50_000, windowSeconds: 10 },
  pair: { limit: 50_000, windowSeconds: 10 },
  asids: {},
};

/**
 * gpc-edge's configuration in this world: the directory at the sandboxes, MESH's admin API, and
 * the platform at this world's NHS login, trusting the sandbox app's JWKS there and signing with
 * the key the practice trusts. The public URL is the listening one unless configured.
 */
function worldConfig(
  options: WorldOptions,
  urls: { pds: string; sds: string; nhsLogin: string; vrs: string },
  signingKey: GpcEdgeConfig["platform"]["signingKey"],
): GpcEdgeConfig {
  const config = { ...defaultConfig, ...options.config };
  const production = config.mesh.environment === "production";
  return {
    ...config,
    directory: { ...config.directory, pdsBaseUrl: urls.pds, sdsBaseUrl: urls.sds },
    ssp: {
      ...config.ssp,
      // The conformance harness is one consumer sending thousands of requests in seconds: unless
      // limits were configured, this world admits it (decision W5); production keeps the defaults.
      rateLimits: config.ssp.rateLimits === defaultConfig.ssp.rateLimits && !production
        ? localWorldRateLimits
        : config.ssp.rateLimits,
    },
    mesh: { ...config.mesh, adminApi: options.meshAdminApi ?? !production },
    platform: {
      ...config.platform,
      nhsLoginIssuer: urls.nhsLogin,
      nhsLoginJwksUrl: `${urls.nhsLogin}/.well-known/jwks.json`,
      apps: config.platform.apps.map((app) =>
        app.jwksUrl === defaultSandboxAppJwks
          ? { ...app, jwksUrl: `${urls.nhsLogin}/test/apps/${app.clientId}/jwks.json` }
          : app
      ),
      signingKey,
      // Delegated access asks this world's VRS unless another was configured.
      vrsBaseUrl: config.platform.vrsBaseUrl === defaultConfig.platform.vrsBaseUrl
        ? urls.vrs
        : config.platform.vrsBaseUrl,
    },
  };
}

/**
 * Starts PDS, NHS login, VRS, the provider (its bookings and filed documents in `provider.sqlite`
 * beside gpc-edge's store), SDS, gpc-edge and the practice's MESH poller, in the order their URLs
 * are needed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const world = await startWorld({
 *   ports: { edge: 0, pds: 0, sds: 0, provider: 0, nhsLogin: 0 },
 *   dataDir: ":memory:",
 *   logger: { log() {} }, // default: one JSON line per request on stdout
 * });
 * try {
 *   const health = await fetch(`${world.edgeUrl}/_health`);
 *   await health.body?.cancel();
 *   assert.equal(health.status, 200);
 * } finally {
 *   await world.close();
 * }
 * ```
 */
export async function startWorld(options: WorldOptions = {}): Promise<RunningWorld> {
  const ports = options.ports ?? defaultPorts;
  const servers: Array<{ shutdown(): Promise<void> }> = [];
  const dataDir = options.dataDir ?? "./data";
  let providerKv: Deno.Kv | undefined;
  try {
    const pds = serve(createPdsSandbox(), ports.pds);
    servers.push(pds.server);
    const nhsLogin = serveNhsLoginSandbox(ports.nhsLogin ?? 0);
    servers.push(nhsLogin);
    const keys = await patientFacingWorldKeys(nhsLogin.url);
    const vrs = serve(createVrsApp(), ports.vrs ?? 0);
    servers.push(vrs.server);
    if (dataDir !== ":memory:") await Deno.mkdir(dataDir, { recursive: true });
    providerKv = await Deno.openKv(
      dataDir === ":memory:" ? ":memory:" : `${dataDir.replace(/\/+$/, "")}/provider.sqlite`,
    );
    // One store: the provider serves from it what the practice's MESH receiver files into it.
    const providerStore = denoKvProviderStore(providerKv);
    const provider = serve(
      createProviderSandbox({
        store: providerStore,
        pdsBaseUrl: pds.url,
        patientFacing: keys.practiceTrust,
      }),
      ports.provider,
    );
    servers.push(provider.server);
    const sds = serve(createSdsSandbox({ providerBaseUrl: provider.url }), ports.sds);
    servers.push(sds.server);
    const configured = worldConfig(
      options,
      { pds: pds.url, sds: sds.url, nhsLogin: nhsLogin.url, vrs: vrs.url },
      keys.signingKey,
    );
    // GPC_EDGE_PUBLIC_URL sets both; unset, gpc-edge's public URL is where it listens.
    const publicUrlConfigured =
      configured.platform.publicBaseUrl !== defaultConfig.platform.publicBaseUrl ||
      configured.server.publicUrl !== defaultConfig.server.publicUrl;
    const edge = await serveGpcEdge({
      config: configured,
      // Port 0: the token endpoint's URL (the `aud` of client assertions) and the `Forwarded`
      // element's host are known only once gpc-edge listens.
      configAtUrl: (config, url) =>
        publicUrlConfigured ? config : {
          ...config,
          server: { ...config.server, publicUrl: url },
          platform: { ...config.platform, publicBaseUrl: url },
        },
      dataDir,
      port: ports.edge,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const mesh = edge.config.mesh;
    const poller = startPracticeMeshPoller({
      meshUrl: edge.url,
      mailboxes: practiceMailboxes,
      password: mesh.mailboxes.find((mailbox) => mailbox.id === practiceMailboxes[0])?.password ??
        "password",
      sharedKey: mesh.sharedKey,
      intervalMs: options.practicePollIntervalMs ?? 1000,
      store: providerStore,
      pdsBaseUrl: pds.url,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const kv = providerKv;
    return {
      edgeUrl: edge.url,
      pdsUrl: pds.url,
      sdsUrl: sds.url,
      providerUrl: provider.url,
      nhsLoginUrl: nhsLogin.url,
      vrsUrl: vrs.url,
      kvPath: edge.kvPath,
      config: edge.config,
      meshPractices: practiceMailboxes,
      async close() {
        // The poller talks to gpc-edge and writes the provider's store: it stops first.
        await poller.stop();
        await edge.close();
        await Promise.all(servers.map((server) => server.shutdown()));
        kv.close();
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.shutdown()));
    providerKv?.close();
    throw error;
  }
}
