/**
 * The Deno entry: gpc-edge on `Deno.serve` with the embedded Deno KV store (a SQLite file under
 * the data directory, or `:memory:`). Run directly (`deno run worker/deno.ts`) it reads its
 * configuration from the environment; `sandbox/start.ts` uses {@linkcode serveGpcEdge} to start
 * it beside the sandboxes.
 *
 * @module
 */
import { createApp } from "./app.ts";
import type { Logger } from "./app-deps.ts";
import { configFromEnv, type GpcEdgeConfig } from "./config.ts";
import type { DirectoryResolver } from "./directory/directory-types.ts";
import { createDenoKvCacheStore } from "./store/deno-kv-cache-store.ts";

/** Options for {@linkcode serveGpcEdge}. */
export interface ServeOptions {
  /** Configuration; default from the environment. */
  readonly config?: GpcEdgeConfig;
  /** Directory holding `gpc-edge.sqlite`, or `:memory:`; default `./data`. */
  readonly dataDir?: string;
  /** Bind address; default 127.0.0.1. */
  readonly hostname?: string;
  /** Port; default 8080 (0 picks a free one). */
  readonly port?: number;
  /** Logger; default JSON lines on stdout. */
  readonly logger?: Logger;
  /** Directory service; default PDS and SDS behind the cache (the benchmark swaps it). */
  readonly directory?: DirectoryResolver;
}

/** A running gpc-edge. */
export interface RunningGpcEdge {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The KV file in use (or `:memory:`). */
  readonly kvPath: string;
  /** Stops serving and closes the store. */
  close(): Promise<void>;
}

/**
 * Starts gpc-edge on Deno.
 *
 * @example
 * ```ts
 * const edge = await serveGpcEdge({ dataDir: ":memory:", port: 0 });
 * await fetch(`${edge.url}/_health`);
 * await edge.close();
 * ```
 */
export async function serveGpcEdge(options: ServeOptions = {}): Promise<RunningGpcEdge> {
  const config = options.config ?? configFromEnv(Deno.env.toObject());
  const dataDir = options.dataDir ?? "./data";
  let kvPath = ":memory:";
  if (dataDir !== ":memory:") {
    await Deno.mkdir(dataDir, { recursive: true });
    kvPath = `${dataDir.replace(/\/+$/, "")}/gpc-edge.sqlite`;
  }
  const kv = await Deno.openKv(kvPath);
  const { app } = createApp({
    config,
    store: createDenoKvCacheStore(kv),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.directory ? { directory: options.directory } : {}),
  }, { fetchDecodesBody: true });
  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 8080,
    onListen() {},
  }, (request, info) => {
    const remote = info.remoteAddr;
    return app.fetch(request, {
      clientAddress: "hostname" in remote ? remote.hostname : undefined,
    });
  });
  const address = server.addr as Deno.NetAddr;
  return {
    url: `http://${address.hostname}:${address.port}`,
    kvPath,
    async close() {
      await server.shutdown();
      kv.close();
    },
  };
}

if (import.meta.main) {
  const env = Deno.env.toObject();
  const edge = await serveGpcEdge({
    ...(env.GPC_EDGE_DATA_DIR ? { dataDir: env.GPC_EDGE_DATA_DIR } : {}),
    ...(env.GPC_EDGE_PORT ? { port: Number(env.GPC_EDGE_PORT) } : {}),
    ...(env.GPC_EDGE_HOSTNAME ? { hostname: env.GPC_EDGE_HOSTNAME } : {}),
  });
  console.error(`gpc-edge listening on ${edge.url} (store ${edge.kvPath})`);
}

// What the world outside worker/ (sandbox/start.ts, sandbox/world.ts, their tests) may use.
export { configFromEnv, defaultConfig, type GpcEdgeConfig } from "./config.ts";
export type { Logger } from "./app-deps.ts";
