/**
 * A test-only Worker for platform-workerd.test.ts: the platform app under workerd, configured
 * from string bindings like the Workers entry, with its records store (tokens, jti replay cache,
 * provider tokens, rate limits) in the SQLite-backed Durable Object. Upstream calls leave the
 * Worker and are answered by the test (Miniflare's outbound service). Log lines are kept in
 * memory, never printed.
 *
 * @module
 */
import type { Hono } from "hono";
import { directoryConfigFromEnv } from "../../config/directory-config.ts";
import {
  createDurableObjectRecordsStore,
  type DurableObjectNamespaceLike,
} from "../../store/durable-object-records-store.ts";
import { createMemoryCacheStore } from "../../store/memory-cache-store.ts";
import { createPlatformApp, type PlatformEnv } from "../platform-app.ts";
import { platformConfigFromEnv } from "../platform-config.ts";

export { RecordsDurableObject } from "../../store/records-durable-object.ts";

let app: Hono<PlatformEnv> | undefined;
const logs: unknown[] = [];

export default {
  fetch(request: Request, env: Record<string, unknown>): Response | Promise<Response> {
    if (!app) {
      const variables: Record<string, string> = {};
      for (const [name, value] of Object.entries(env)) {
        if (typeof value === "string") variables[name] = value;
      }
      app = createPlatformApp({
        config: platformConfigFromEnv(variables),
        directoryConfig: directoryConfigFromEnv(variables),
        records: createDurableObjectRecordsStore(
          env.GPC_EDGE_RECORDS as DurableObjectNamespaceLike<unknown>,
          { name: "platform" },
        ),
        cache: createMemoryCacheStore(),
        logger: { log: (record) => void (logs.length < 1000 && logs.push(record)) },
      });
    }
    return app.fetch(request);
  },
};
