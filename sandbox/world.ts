/**
 * The whole local world on loopback: the reference provider, the SDS and PDS sandboxes and
 * gpc-edge pointed at them (ARCHITECTURE.md §4). `sandbox/start.ts` starts it on the default
 * ports; end-to-end tests start it on free ports with an in-memory store.
 *
 * @module
 */
import { defaultConfig, type GpcEdgeConfig, type Logger, serveGpcEdge } from "../worker/deno.ts";
export type { GpcEdgeConfig, Logger };
import { denoKvProviderStore } from "./provider/provider-store.ts";
import { createPdsSandbox } from "./pds/pds-sandbox.ts";
import { createProviderSandbox } from "./provider/provider-sandbox.ts";
import { createSdsSandbox } from "./sds/sds-sandbox.ts";

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
}

/** The default ports of ARCHITECTURE.md §4. */
export const defaultPorts: WorldPorts = { edge: 8080, pds: 8081, sds: 8082, provider: 8083 };

/** Options for {@linkcode startWorld}. */
export interface WorldOptions {
  /** Ports; default {@linkcode defaultPorts}. */
  readonly ports?: WorldPorts;
  /** gpc-edge's data directory, or `:memory:`; default `./data`. */
  readonly dataDir?: string;
  /** Overrides of gpc-edge's configuration (PDS and SDS URLs are set by the world). */
  readonly config?: Partial<GpcEdgeConfig>;
  /** gpc-edge's logger. */
  readonly logger?: Logger;
  /**
   * Turns MESH's test-only admin API on (or off) over the configuration's choice: the
   * conformance harness's local target turns it on to drive the MESH lifecycle clock.
   */
  readonly meshAdminApi?: boolean;
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
  /** gpc-edge's Deno KV file, or `:memory:`. */
  readonly kvPath: string;
  /** Stops everything. */
  close(): Promise<void>;
}

function serve(app: { fetch: (request: Request) => Response | Promise<Response> }, port: number) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen() {} },
    (request) => app.fetch(request),
  );
  return { server, url: `http://127.0.0.1:${server.addr.port}` };
}

/**
 * Starts PDS, the provider (its bookings in `provider.sqlite` beside gpc-edge's store), SDS and
 * gpc-edge, in the order their URLs are needed.
 *
 * @example
 * ```ts
 * const world = await startWorld({ ports: { edge: 0, pds: 0, sds: 0, provider: 0 }, dataDir: ":memory:" });
 * await world.close();
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
    if (dataDir !== ":memory:") await Deno.mkdir(dataDir, { recursive: true });
    providerKv = await Deno.openKv(
      dataDir === ":memory:" ? ":memory:" : `${dataDir.replace(/\/+$/, "")}/provider.sqlite`,
    );
    const provider = serve(
      createProviderSandbox({ store: denoKvProviderStore(providerKv), pdsBaseUrl: pds.url }),
      ports.provider,
    );
    servers.push(provider.server);
    const sds = serve(createSdsSandbox({ providerBaseUrl: provider.url }), ports.sds);
    servers.push(sds.server);
    const edge = await serveGpcEdge({
      config: {
        ...defaultConfig,
        ...options.config,
        directory: {
          ...(options.config?.directory ?? defaultConfig.directory),
          pdsBaseUrl: pds.url,
          sdsBaseUrl: sds.url,
        },
        mesh: {
          ...(options.config?.mesh ?? defaultConfig.mesh),
          ...(options.meshAdminApi === undefined ? {} : { adminApi: options.meshAdminApi }),
        },
      },
      dataDir,
      port: ports.edge,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const kv = providerKv;
    return {
      edgeUrl: edge.url,
      pdsUrl: pds.url,
      sdsUrl: sds.url,
      providerUrl: provider.url,
      kvPath: edge.kvPath,
      async close() {
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
