/**
 * The Deno entry: gpc-edge on `Deno.serve` with its stores under the data directory: the cache
 * and records stores in one Deno KV file (`gpc-edge.sqlite`, under separate key roots; the
 * patient-facing platform's records share MESH's records store under their own `platform:v1:`
 * keys) and the blob store as files under `blobs/`; with `:memory:`, an in-memory KV and
 * in-memory blobs. MESH housekeeping (expiry after 5 days, purge after 30) runs on a timer and
 * stops with the server. Run directly (`deno run worker/deno.ts`) it reads its configuration from
 * the environment; `sandbox/start.ts` uses {@linkcode serveGpcEdge} to start it beside the
 * sandboxes. Every upstream call (the SSP's forwards, the platform's practices and their
 * authorisation services, PDS, SDS) goes through one `fetch` carrying the `tls` section's CAs and
 * client certificate ({@linkcode createUpstreamTls}).
 *
 * @module
 */
import { createApp, type GpcEdgeApp } from "./app.ts";
import { createTimerWheel } from "./gateway/deadline-scheduler.ts";
import { protocolRejectionError, protocolRejectionResponse } from "./gateway/protocol-rejection.ts";
import { DENO_ENTRY_V8_FLAGS } from "./deno-v8-flags.ts";
import { serveHttp1 } from "./http1-server/serve-http1.ts";
import { logException } from "./error-log.ts";
import {
  type AppStores,
  type Clock,
  consoleLogger,
  type Logger,
  systemClock,
  type UpstreamFetch,
} from "./app-deps.ts";
import { ConfigError, configFromEnv, configVariables, type GpcEdgeConfig } from "./config.ts";
import type { ServerConfig } from "./config/server-config.ts";
import {
  assertClientCertificateForPlatform,
  type TlsConfig,
  tlsVariables,
} from "./config/tls-config.ts";
import type { DirectoryResolver } from "./directory/directory-types.ts";
import { scheduleMeshHousekeeping } from "./mesh/mesh-housekeeping.ts";
import type { RequestBindings } from "./request-bindings.ts";
import { denoDialer, type DialerTls } from "./forward-client/deno-dialer.ts";
import { createPooledClient, type PooledClient } from "./forward-client/pooled-client.ts";
import { createDenoKvCacheStore } from "./store/deno-kv-cache-store.ts";
import { createDenoKvRecordsStore } from "./store/deno-kv-records-store.ts";
import { createFileBlobStore } from "./store/file-blob-store.ts";
import { createMemoryBlobStore } from "./store/memory-blob-store.ts";

/** How often MESH housekeeping runs on Deno by default (the Workers cron's period too). */
export const meshHousekeepingIntervalMs = 15 * 60 * 1000;

/** A listening server, whichever kind. */
interface Listening {
  readonly addr: Deno.Addr;
  shutdown(): Promise<void>;
}

/**
 * Listens with the configured HTTP server: the guarded HTTP/1.1 server (header-read and idle
 * timeouts, URL and header caps answered in the SSP's shape, smuggling refused, the URL built from
 * the request line) or `Deno.serve`.
 */
function listen(
  hostname: string,
  port: number,
  server: ServerConfig,
  handle: (request: Request, remote: Deno.Addr) => Promise<Response> | Response,
  logger: Logger,
  clock: Clock,
): Listening {
  if (server.httpServer === "deno") {
    return Deno.serve(
      { hostname, port, onListen() {} },
      (request, info) => handle(request, info.remoteAddr),
    );
  }
  return serveHttp1({
    hostname,
    port,
    limits: { headerTimeoutMs: server.headerTimeoutMs, idleTimeoutMs: server.idleTimeoutMs },
    rejectionResponse(rejection) {
      // Logged once, like every refusal the app makes, with the request line when it was read.
      const requestId = crypto.randomUUID();
      const response = protocolRejectionResponse(rejection, requestId);
      logException(logger, clock, protocolRejectionError(rejection), response.status, {
        audience: "gateway",
        requestId,
        method: rejection.requestLine?.method ?? "",
        path: rejection.requestLine?.target ?? "",
      });
      return response;
    },
    // A failure of the server itself (not of the app, which logs its own): one error line.
    onError: (error) =>
      logException(logger, clock, error, 500, {
        audience: "gateway",
        requestId: crypto.randomUUID(),
        method: "",
        path: "",
      }),
  }, (request, info) => handle(request, info.remoteAddr));
}

/** The upstream `fetch` of the `tls` section, and how to release its client. */
export interface UpstreamTls {
  /** `fetch` through a client with the section's CAs and client certificate (or plain `fetch`). */
  readonly fetch: UpstreamFetch;
  /** Closes the client (idempotent). */
  close(): void;
  /** The PEM texts read, for the SSP's pooled forward client (worker/forward-client/). */
  readonly pems: DialerTls;
}

/**
 * The one upstream `fetch` of the Deno entry (B5 R25): with a CA file or a client certificate
 * configured, every call goes through one `Deno.createHttpClient({ caCerts, cert, key })`, so the
 * platform's calls to practices and their authorisation services and the SSP's forwards share
 * one TLS setting; without, plain `fetch` (the system's roots). An unreadable or invalid file is
 * a `ConfigError` naming its variable.
 *
 * @example
 * ```ts
 * import { defaultConfig } from "./config.ts";
 * const upstream = await createUpstreamTls(defaultConfig.tls);
 * upstream.close();
 * ```
 */
export async function createUpstreamTls(tls: TlsConfig): Promise<UpstreamTls> {
  if (tls.caFile === undefined && tls.clientCertFile === undefined) {
    return { fetch: (input, init) => fetch(input, init), close() {}, pems: {} };
  }
  const read = async (path: string, variable: string) => {
    try {
      return await Deno.readTextFile(path);
    } catch (error) {
      throw new ConfigError(variable, `cannot read ${JSON.stringify(path)}`, { cause: error });
    }
  };
  const v = tlsVariables;
  const caCerts = tls.caFile === undefined ? [] : [await read(tls.caFile, v.caFile.name)];
  const pair = tls.clientCertFile !== undefined && tls.clientKeyFile !== undefined
    ? {
      cert: await read(tls.clientCertFile, v.clientCertFile.name),
      key: await read(tls.clientKeyFile, v.clientKeyFile.name),
    }
    : undefined;
  let client: Deno.HttpClient;
  try {
    client = Deno.createHttpClient({ caCerts, ...pair });
  } catch (error) {
    // Which file is at fault the client does not say; name the certificate when there is one.
    throw new ConfigError(
      pair ? v.clientCertFile.name : v.caFile.name,
      `not usable PEM for TLS (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  let closed = false;
  return {
    fetch: (input, init) => fetch(input, { ...init, client }),
    pems: { caCerts, ...pair },
    close() {
      if (closed) return;
      closed = true;
      client.close();
    },
  };
}

/** Options for {@linkcode serveGpcEdge}. */
export interface ServeOptions {
  /** Configuration; default from the environment. */
  readonly config?: GpcEdgeConfig;
  /**
   * Adjusts the configuration once the listening URL is known, before the first request (with
   * port 0 only then is it known): the local world points the platform's public URL at it.
   */
  readonly configAtUrl?: (config: GpcEdgeConfig, url: string) => GpcEdgeConfig;
  /** Overrides `config.server.dataDir`: the stores' directory, or `:memory:`. */
  readonly dataDir?: string;
  /** Overrides `config.server.host`: the bind address. */
  readonly hostname?: string;
  /** Overrides `config.server.port` (0 picks a free one). */
  readonly port?: number;
  /** Logger; default JSON lines on stdout. */
  readonly logger?: Logger;
  /** Directory service; default PDS and SDS behind the cache (the benchmark swaps it). */
  readonly directory?: DirectoryResolver;
  /** Clock of the app, the stores' expiry and MESH housekeeping; default the system clock. */
  readonly clock?: Clock;
  /** Period of MESH housekeeping; default {@linkcode meshHousekeepingIntervalMs}. */
  readonly meshHousekeepingIntervalMs?: number;
  /**
   * Wraps the upstream `fetch` (the `tls` section's, {@linkcode createUpstreamTls}), e.g. to
   * record what a test's gpc-edge sends upstream.
   */
  readonly wrapFetch?: (fetch: UpstreamFetch) => UpstreamFetch;
}

/** A running gpc-edge. */
export interface RunningGpcEdge {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The KV file of the cache and records stores (or `:memory:`). */
  readonly kvPath: string;
  /** The configuration it runs with (after `configAtUrl`). */
  readonly config: GpcEdgeConfig;
  /** Stops serving and MESH housekeeping, then closes the stores. */
  close(): Promise<void>;
}

/**
 * Starts gpc-edge on Deno. Throws a `ConfigError` for an invalid variable (when `config` is not
 * given) and `Deno.errors.AddrInUse` for a busy port, having closed what it opened.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const edge = await serveGpcEdge({ dataDir: ":memory:", port: 0, logger: { log() {} } });
 * try {
 *   const health = await fetch(`${edge.url}/_health`);
 *   await health.body?.cancel();
 *   assert.equal(health.status, 200);
 * } finally {
 *   await edge.close();
 * }
 * ```
 */
export async function serveGpcEdge(options: ServeOptions = {}): Promise<RunningGpcEdge> {
  const configured = options.config ?? configFromEnv(Deno.env.toObject());
  assertClientCertificateForPlatform(configured.tls, {
    production: configured.server.environment === "production",
    platformEnabled: configured.platform.enabled,
  });
  const upstream = await createUpstreamTls(configured.tls);
  const fetchUpstream = options.wrapFetch?.(upstream.fetch) ?? upstream.fetch;
  const dataDir = options.dataDir ?? configured.server.dataDir;
  let kvPath = ":memory:";
  if (dataDir !== ":memory:") {
    await Deno.mkdir(dataDir, { recursive: true }).catch((error) => {
      upstream.close();
      throw error;
    });
    kvPath = `${dataDir.replace(/\/+$/, "")}/gpc-edge.sqlite`;
  }
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const kv = await Deno.openKv(kvPath).catch((error) => {
    upstream.close();
    throw error;
  });
  try {
    const stores: AppStores = {
      cache: createDenoKvCacheStore(kv, { now: () => clock.now() }),
      records: createDenoKvRecordsStore(kv, { now: () => clock.now() }),
      blobs: dataDir === ":memory:"
        ? createMemoryBlobStore()
        : createFileBlobStore(`${dataDir.replace(/\/+$/, "")}/blobs`),
    };
    // The app is built as soon as the server listens (below; nothing awaits in between, so no
    // request can come first), because its configuration may depend on the listening URL.
    const built: { app?: GpcEdgeApp["app"] } = {};
    const app = {
      fetch: (request: Request, bindings: RequestBindings) => built.app!.fetch(request, bindings),
    };
    const server = listen(
      options.hostname ?? configured.server.host,
      options.port ?? configured.server.port,
      configured.server,
      (request, remote) =>
        app.fetch(request, {
          clientAddress: "hostname" in remote ? remote.hostname : undefined,
        }),
      logger,
      clock,
    );
    const address = server.addr as Deno.NetAddr;
    const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
    const url = `http://${host}:${address.port}`;
    let pooled: PooledClient | undefined;
    let config: GpcEdgeConfig;
    let stopHousekeeping: () => Promise<void>;
    try {
      config = options.configAtUrl?.(configured, url) ?? configured;
      // One timer wheel for every request's deadlines (gateway/deadline-scheduler.ts).
      const scheduler = createTimerWheel();
      // GPC_EDGE_FORWARD_CLIENT=pooled (the default): the SSP forwards over kept-alive raw
      // HTTP/1.1 connections with the same CAs and client certificate (issue 15); gzip passes
      // as gzip. `fetch` keeps Deno's own client.
      pooled = config.ssp.forwardClient === "pooled"
        ? createPooledClient({ dial: denoDialer(upstream.pems), scheduler })
        : undefined;
      built.app = createApp({
        config,
        stores,
        clock,
        logger,
        fetch: fetchUpstream,
        ...(options.directory ? { directory: options.directory } : {}),
      }, {
        fetchDecodesBody: pooled === undefined,
        scheduler,
        ...(pooled ? { forwardFetch: options.wrapFetch?.(pooled.fetch) ?? pooled.fetch } : {}),
      }).app;
      stopHousekeeping = scheduleMeshHousekeeping({
        config: config.mesh,
        records: stores.records,
        blobs: stores.blobs,
        clock,
        logger,
        randomUUID: () => crypto.randomUUID(),
      }, options.meshHousekeepingIntervalMs ?? meshHousekeepingIntervalMs);
    } catch (error) {
      pooled?.close();
      await server.shutdown();
      throw error;
    }
    return {
      url,
      kvPath,
      config,
      async close() {
        await server.shutdown();
        await stopHousekeeping();
        kv.close();
        upstream.close();
        pooled?.close();
      },
    };
  } catch (error) {
    kv.close();
    upstream.close();
    throw error;
  }
}

/** `--help`: usage and every variable, by section (the list the section parsers read). */
function denoEntryUsage(): string {
  const lines = [
    "Usage: deno task serve",
    `   or: deno run --v8-flags=${
      DENO_ENTRY_V8_FLAGS.join(",")
    } --allow-net --allow-read --allow-write --allow-env worker/deno.ts`,
    "",
    "Runs gpc-edge alone (`deno task start` runs it beside the sandboxes). Configuration comes",
    "from the environment; an unset or empty variable takes its default. The V8 flag keeps",
    "young-generation pauses short under load (decision G12).",
  ];
  let section = "";
  for (const variable of configVariables) {
    if (variable.section !== section) {
      section = variable.section;
      lines.push("", `${section}:`);
    }
    lines.push(`  ${variable.name.padEnd(34)} ${variable.description}`);
  }
  return lines.join("\n");
}

/**
 * Runs gpc-edge from the environment. `--help` prints the usage; a bad variable or a busy port
 * ends start-up with one line naming it and exit status 2, never a stack trace.
 */
async function main(args: readonly string[]): Promise<void> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(denoEntryUsage());
    return;
  }
  let config: GpcEdgeConfig;
  try {
    config = configFromEnv(Deno.env.toObject());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`gpc-edge: ${error.message}`);
    Deno.exit(2);
  }
  try {
    const edge = await serveGpcEdge({ config });
    console.error(`gpc-edge listening on ${edge.url} (store ${edge.kvPath})`);
  } catch (error) {
    // A start-up rule across sections (the platform's client certificate) or an unreadable file.
    if (error instanceof ConfigError) {
      console.error(`gpc-edge: ${error.message}`);
      Deno.exit(2);
    }
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    console.error(
      `gpc-edge: port ${config.server.port} on ${config.server.host} is in use (GPC_EDGE_PORT)`,
    );
    Deno.exit(2);
  }
}

if (import.meta.main) await main(Deno.args);

// What the world outside worker/ (sandbox/start.ts, sandbox/world.ts, their tests) may use.
export {
  ConfigError,
  configFromEnv,
  configVariables,
  defaultConfig,
  type GpcEdgeConfig,
} from "./config.ts";
export { consoleLogger } from "./app-deps.ts";
export type { Clock, Logger } from "./app-deps.ts";
export type { DialerTls } from "./forward-client/deno-dialer.ts";
export { localMeshPassword, localMeshSharedKey } from "./mesh/mesh-config.ts";
