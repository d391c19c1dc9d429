/**
 * The Cloudflare Workers entry: the same app over Cloudflare's stores (wrangler.toml): the cache
 * store on a KV namespace (`GPC_EDGE_KV`), the records store in a SQLite-backed Durable Object
 * (`GPC_EDGE_RECORDS`: object `records` for MESH, object `platform` for the patient-facing
 * platform's tokens and counters, so neither queues behind the other) and the blob store in an R2
 * bucket (`GPC_EDGE_BLOBS`). Configuration comes from the Worker's `vars` and secrets (the same
 * `GPC_EDGE_*` names as the environment on Deno). Each request's `waitUntil` reaches the app as
 * `defer`, so directory cache write-backs happen after the response, off the request path. The
 * `scheduled` handler (wrangler.toml's cron trigger) runs MESH housekeeping: expiry after 5 days,
 * purge after 30. With an `mtls_certificates` binding named `GPC_EDGE_MTLS`, every upstream call
 * (the SSP's forwards, practices and their authorisation services, PDS, SDS) goes through it and
 * presents gpc-edge's client certificate (worker/cloudflare-mtls.ts; the Deno entry's `tls`).
 *
 * The app (and with it the in-isolate directory LRU) is built once per isolate for a given `env`
 * object, because an LRU that is rebuilt per request caches nothing. That memo (inside the default
 * export's handler) is the one piece of module state, and it lives here, in the runtime entry, not
 * in the core.
 *
 * @module
 */
import { createApp, type GpcEdgeApp } from "./app.ts";
import { ConfigError, configFromEnv, type GpcEdgeConfig } from "./config.ts";
import { type FetcherLike, mtlsUpstreamFetch } from "./cloudflare-mtls.ts";
import { type AppStores, consoleLogger, type Logger, systemClock } from "./app-deps.ts";
import { directoryErrorResponse } from "./directory/directory-error-response.ts";
import { logException } from "./error-log.ts";
import { GpcEdgeError } from "./errors.ts";
import { runLoggedMeshHousekeeping } from "./mesh/mesh-housekeeping.ts";
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

// The binding shapes CloudflareEnv names, so its documentation can link each one.
export type { KvNamespaceLike } from "./store/cloudflare-kv-cache-store.ts";
export type { DurableObjectNamespaceLike } from "./store/durable-object-records-store.ts";
export type { R2BucketLike, R2MultipartUploadLike } from "./store/r2-blob-store.ts";
export type { FetcherLike } from "./cloudflare-mtls.ts";

/** The Worker's bindings. */
export interface CloudflareEnv {
  /** KV namespace of the cache store (the directory cache). */
  readonly GPC_EDGE_KV: KvNamespaceLike;
  /** Durable Object namespace of the records store (class `RecordsDurableObject`). */
  readonly GPC_EDGE_RECORDS: DurableObjectNamespaceLike<unknown>;
  /** R2 bucket of the blob store. */
  readonly GPC_EDGE_BLOBS: R2BucketLike;
  /**
   * The `mtls_certificates` binding presenting gpc-edge's client certificate upstream (optional;
   * production with the patient-facing platform needs it).
   */
  readonly GPC_EDGE_MTLS?: FetcherLike;
  /** Every `GPC_EDGE_*` variable of `configFromEnv`. */
  readonly [name: string]: unknown;
}

/** The part of Workers' `ExecutionContext` used here. */
export interface ExecutionContextLike {
  /** Keeps the invocation alive until `promise` settles (after the response is sent). */
  waitUntil(promise: Promise<unknown>): void;
}

/** The part of Workers' `ScheduledController` used here. */
export interface ScheduledControllerLike {
  /** When the cron trigger was due, in ms since the epoch. */
  readonly scheduledTime: number;
  /** The cron pattern that fired. */
  readonly cron: string;
}

/** Options for {@linkcode createWorkerHandler}; the deployed Worker uses the defaults. */
export interface WorkerHandlerOptions {
  /** Where audit and error lines go; default one JSON line per record on the console. */
  readonly logger?: Logger;
}

/** The Worker's module handler. */
export interface WorkerHandler {
  /** Answers one request. */
  fetch(request: Request, env: CloudflareEnv, ctx: ExecutionContextLike): Promise<Response>;
  /** Runs one cron trigger (wrangler.toml `[triggers]`): MESH housekeeping. */
  scheduled(
    controller: ScheduledControllerLike,
    env: CloudflareEnv,
    ctx: ExecutionContextLike,
  ): Promise<void>;
}

/** What is built once per `env`: the app, and what MESH housekeeping runs over. */
interface WorkerServices {
  readonly app: GpcEdgeApp["app"];
  readonly config: GpcEdgeConfig;
  readonly stores: AppStores;
}

/** Name of the Durable Object holding the platform's records (MESH keeps the default). */
const platformRecordsObject = "platform";

/**
 * The Worker's `fetch` and `scheduled` handlers. The app (and with it the directory LRU) is built
 * once per `env` object, which workerd keeps for the isolate's life.
 *
 * @example
 * ```ts
 * const worker = createWorkerHandler({ logger: { log() {} } });
 * ```
 */
export function createWorkerHandler(options: WorkerHandlerOptions = {}): WorkerHandler {
  const logger = options.logger ?? consoleLogger;
  const built = new WeakMap<object, WorkerServices>();

  function servicesFor(env: CloudflareEnv): WorkerServices {
    let services = built.get(env);
    if (!services) {
      const variables: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(env)) {
        if (typeof value === "string") variables[name] = value;
      }
      const config = configFromEnv(variables);
      // The Deno entry's TLS client, the Workers way: one upstream fetch for every call.
      const upstreamFetch = mtlsUpstreamFetch(env, config);
      const records = binding(env, "GPC_EDGE_RECORDS", "[[durable_objects.bindings]]");
      const stores: AppStores = {
        cache: createCloudflareKvCacheStore(binding(env, "GPC_EDGE_KV", "[[kv_namespaces]]")),
        records: createDurableObjectRecordsStore(records),
        platformRecords: createDurableObjectRecordsStore(records, { name: platformRecordsObject }),
        blobs: createR2BlobStore(binding(env, "GPC_EDGE_BLOBS", "[[r2_buckets]]")),
      };
      services = {
        // workerd's fetch decodes a gzip body but keeps `Content-Encoding`, as Deno's does; a
        // response passed on with that header was compressed again on the way out, to clients
        // that had not asked for it (workerd normalises the Worker's `Accept-Encoding`).
        app: createApp(
          { config, stores, logger, ...(upstreamFetch ? { fetch: upstreamFetch } : {}) },
          { fetchDecodesBody: true },
        ).app,
        config,
        stores,
      };
      built.set(env, services);
    }
    return services;
  }

  return {
    /**
     * Handles one request. A Worker has no start-up to fail at, so an invalid `GPC_EDGE_*`
     * variable is answered here: a 500 OperationOutcome naming the variable (logged once), not an
     * uncaught exception.
     */
    fetch(request, env, ctx) {
      let services: WorkerServices;
      try {
        services = servicesFor(env);
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
      return Promise.resolve(services.app.fetch(request, bindings, ctx as never));
    },

    /**
     * The cron trigger: one MESH housekeeping run over the records Durable Object and R2, judged
     * at the trigger's `scheduledTime` (workerd's clock stands still between I/O anyway; a test
     * dispatches a later time to run it days ahead). A failed run or a misconfiguration is one
     * error line; the next trigger runs again.
     */
    async scheduled(controller, env, ctx) {
      let services: WorkerServices;
      try {
        services = servicesFor(env);
      } catch (error) {
        logger.log({
          type: "error",
          time: new Date(controller.scheduledTime).toISOString(),
          audience: "mesh",
          message: `MESH housekeeping skipped: gpc-edge is misconfigured: ${
            error instanceof Error ? error.message : String(error)
          }`,
        });
        return;
      }
      const now = () => controller.scheduledTime;
      const run = runLoggedMeshHousekeeping({
        config: services.config.mesh,
        records: createDurableObjectRecordsStore(
          binding(env, "GPC_EDGE_RECORDS", "[[durable_objects.bindings]]"),
          { now },
        ),
        blobs: services.stores.blobs,
        clock: { now, sleep: systemClock.sleep },
        logger,
        randomUUID: () => crypto.randomUUID(),
      });
      ctx.waitUntil(run);
      await run;
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
const worker: WorkerHandler = createWorkerHandler();
export default worker;
