/**
 * The Cloudflare Workers entry: the same app over Cloudflare's stores (wrangler.toml): the cache
 * store on a KV namespace (`GPC_EDGE_KV`), the records store in a SQLite-backed Durable Object
 * (`GPC_EDGE_RECORDS`) and the blob store in an R2 bucket (`GPC_EDGE_BLOBS`). Configuration comes
 * from the Worker's `vars` and secrets (the same `GPC_EDGE_*` names as the environment on Deno).
 * Each request's `waitUntil` reaches the app as `defer`, so directory cache write-backs happen
 * after the response, off the request path.
 *
 * The app (and with it the in-isolate directory LRU) is built once per isolate for a given `env`
 * object, because an LRU that is rebuilt per request caches nothing. That memo (inside the default
 * export's handler) is the one piece of module state, and it lives here, in the runtime entry, not
 * in the core.
 *
 * @module
 */
import { createApp, type GpcEdgeApp } from "./app.ts";
import { ConfigError, configFromEnv } from "./config.ts";
import { consoleLogger, type Logger, systemClock } from "./app-deps.ts";
import { directoryErrorResponse } from "./directory/directory-error-response.ts";
import { logException } from "./error-log.ts";
import { GpcEdgeError } from "./errors.ts";
import type { RequestBindings } from "./request-bindings.ts";
import {
  createCloudflareKvCacheStore,
  type KvNamespaceLike,
} from "./store/cloudflare-kv-cache-store.ts";
import {
  createDurableObjectRecordsStore,
  type DurableObjectNamespaceLike,
} from "./store/durable-object-records-store.ts";
import { createR2BlobStore, type R2BucketLike } from "./store/r2-blob-store.ts";

/** The records store's Durable Object class, bound as `GPC_EDGE_RECORDS` in wrangler.toml. */
export { RecordsDurableObject } from "./store/records-durable-object.ts";

/** The Worker's bindings. */
export interface CloudflareEnv {
  /** KV namespace of the cache store (the directory cache). */
  readonly GPC_EDGE_KV: KvNamespaceLike;
  /** Durable Object namespace of the records store (class `RecordsDurableObject`). */
  readonly GPC_EDGE_RECORDS: DurableObjectNamespaceLike<unknown>;
  /** R2 bucket of the blob store. */
  readonly GPC_EDGE_BLOBS: R2BucketLike;
  /** Every `GPC_EDGE_*` variable of `configFromEnv`. */
  readonly [name: string]: unknown;
}

/** The part of Workers' `ExecutionContext` used here. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/** Options for {@linkcode createWorkerHandler}; the deployed Worker uses the defaults. */
export interface WorkerHandlerOptions {
  /** Where audit and error lines go; default one JSON line per record on the console. */
  readonly logger?: Logger;
}

/** The Worker's module handler. */
export interface WorkerHandler {
  fetch(request: Request, env: CloudflareEnv, ctx: ExecutionContextLike): Promise<Response>;
}

/**
 * The Worker's `fetch` handler. The app (and with it the directory LRU) is built once per `env`
 * object, which workerd keeps for the isolate's life.
 *
 * @example
 * ```ts
 * const worker = createWorkerHandler({ logger: { log() {} } });
 * ```
 */
export function createWorkerHandler(options: WorkerHandlerOptions = {}): WorkerHandler {
  const logger = options.logger ?? consoleLogger;
  const apps = new WeakMap<object, GpcEdgeApp>();

  function appFor(env: CloudflareEnv): GpcEdgeApp {
    let built = apps.get(env);
    if (!built) {
      const variables: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(env)) {
        if (typeof value === "string") variables[name] = value;
      }
      const config = configFromEnv(variables);
      built = createApp({
        config,
        stores: {
          cache: createCloudflareKvCacheStore(binding(env, "GPC_EDGE_KV", "[[kv_namespaces]]")),
          records: createDurableObjectRecordsStore(
            binding(env, "GPC_EDGE_RECORDS", "[[durable_objects.bindings]]"),
          ),
          blobs: createR2BlobStore(binding(env, "GPC_EDGE_BLOBS", "[[r2_buckets]]")),
        },
        logger,
      }, { fetchDecodesBody: false });
      apps.set(env, built);
    }
    return built;
  }

  return {
    /**
     * Handles one request. A Worker has no start-up to fail at, so an invalid `GPC_EDGE_*`
     * variable is answered here: a 500 OperationOutcome naming the variable (logged once), not an
     * uncaught exception.
     */
    fetch(request, env, ctx) {
      let built: GpcEdgeApp;
      try {
        built = appFor(env);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const misconfigured = GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
          diagnostics: `gpc-edge is misconfigured: ${reason}`,
          cause: error,
        });
        const requestId = crypto.randomUUID();
        const response = directoryErrorResponse(misconfigured, {
          accept: request.headers.get("Accept") ?? undefined,
          requestId,
        });
        logException(logger, systemClock, misconfigured, response.status, {
          audience: "gateway",
          requestId,
          method: request.method,
          path: new URL(request.url).pathname,
        });
        return Promise.resolve(response);
      }
      const bindings: RequestBindings = {
        clientAddress: request.headers.get("cf-connecting-ip") ?? undefined,
        defer: (promise) => ctx.waitUntil(promise),
      };
      return Promise.resolve(built.app.fetch(request, bindings, ctx as never));
    },
  };
}

/** `env[name]`, or a `ConfigError` saying which wrangler.toml table declares it. */
function binding<K extends "GPC_EDGE_KV" | "GPC_EDGE_RECORDS" | "GPC_EDGE_BLOBS">(
  env: CloudflareEnv,
  name: K,
  table: string,
): CloudflareEnv[K] {
  const value = env[name];
  if (value === undefined || value === null) {
    throw new ConfigError(name, `the binding is missing (wrangler.toml ${table})`);
  }
  return value;
}

/** The deployed Worker: one handler per isolate (the memo above is the one module state). */
export default createWorkerHandler();
