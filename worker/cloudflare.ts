/**
 * The Cloudflare Workers entry: the same app over a KV namespace binding. Configuration comes
 * from the Worker's `vars` and secrets (the same `GPC_EDGE_*` names as the environment on Deno).
 *
 * The app (and with it the in-isolate directory LRU) is built once per isolate for a given `env`
 * object, because an LRU that is rebuilt per request caches nothing. That memo is the one piece
 * of module state, and it lives here, in the runtime entry, not in the core.
 *
 * @module
 */
import { createApp, type GpcEdgeApp } from "./app.ts";
import { configFromEnv } from "./config.ts";
import { errorResponse } from "./error-response.ts";
import { GpcEdgeError } from "./errors.ts";
import {
  createCloudflareKvCacheStore,
  type KvNamespaceLike,
} from "./store/cloudflare-kv-cache-store.ts";

/** The Worker's bindings. */
export interface CloudflareEnv {
  /** KV namespace behind the directory cache. */
  readonly GPC_EDGE_KV: KvNamespaceLike;
  /** Every `GPC_EDGE_*` variable of `configFromEnv`. */
  readonly [name: string]: unknown;
}

/** The part of Workers' `ExecutionContext` used here. */
interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

const apps = new WeakMap<object, GpcEdgeApp>();

function appFor(env: CloudflareEnv): GpcEdgeApp {
  let built = apps.get(env);
  if (!built) {
    const variables: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(env)) {
      if (typeof value === "string") variables[name] = value;
    }
    built = createApp({
      config: configFromEnv(variables),
      store: createCloudflareKvCacheStore(env.GPC_EDGE_KV),
    }, { fetchDecodesBody: false });
    apps.set(env, built);
  }
  return built;
}

export default {
  /**
   * Handles one request. A Worker has no start-up to fail at, so an invalid `GPC_EDGE_*` variable
   * is answered here: a 500 OperationOutcome naming the variable, not an uncaught exception.
   */
  fetch(request: Request, env: CloudflareEnv, ctx: ExecutionContextLike): Promise<Response> {
    let built: GpcEdgeApp;
    try {
      built = appFor(env);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return Promise.resolve(errorResponse(
        GpcEdgeError.gpconnect("INTERNAL_SERVER_ERROR", {
          diagnostics: `gpc-edge is misconfigured: ${reason}`,
          cause: error,
        }),
        { accept: request.headers.get("Accept") ?? undefined, id: crypto.randomUUID() },
      ));
    }
    return Promise.resolve(built.app.fetch(request, env, ctx as never));
  },
};
