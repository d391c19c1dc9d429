/**
 * `createApp(deps)`: the one composition root (ARCHITECTURE.md §3.2). Every seam (config, store,
 * upstream fetch, clock, logger, ids) comes in through `deps`; nothing is module state. The same
 * app runs under Deno (`worker/deno.ts`) and workerd (`worker/cloudflare.ts`).
 *
 * Routes:
 * - `GET /directory/resolve?nhs-number=…&interaction=…`, `GET /directory/stats`: the cached
 *   PDS + SDS directory (GP Connect OperationOutcome errors).
 * - `/{provider service root URL}/{FHIR request}`: the Spine Secure Proxy (SSP error shape).
 * - `GET /_health`.
 *
 * @module
 */
import { Hono } from "hono";
import { type AppDeps, type Clock, consoleLogger, systemClock } from "./app-deps.ts";
import { createDirectoryResolver } from "./directory/directory-resolver.ts";
import { directoryRoutes } from "./directory/directory-routes.ts";
import type { DirectoryResolver } from "./directory/directory-types.ts";
import { GpcEdgeError } from "./errors.ts";
import { errorResponse } from "./error-response.ts";
import { sspHandlers } from "./ssp/ssp-handlers.ts";
import type { SspEnv } from "./ssp/ssp-state.ts";
import { isSspPath } from "./ssp/ssp-target.ts";

/** Extra options for {@linkcode createApp} that depend on the runtime, not the deployment. */
export interface RuntimeOptions {
  /** Whether the runtime's `fetch` decodes compressed bodies but keeps `Content-Encoding` (Deno). */
  readonly fetchDecodesBody?: boolean;
}

/** The app and the services behind it, for entries and tests. */
export interface GpcEdgeApp {
  /** The Hono app; `app.fetch` is the request handler. */
  readonly app: Hono<SspEnv>;
  /** The directory service, e.g. for its counters. */
  readonly directory: DirectoryResolver;
}

/**
 * Builds gpc-edge from its dependencies.
 *
 * @example
 * ```ts
 * const { app } = createApp({ config: defaultConfig, store: createMemoryCacheStore() });
 * const response = await app.request("/_health");
 * ```
 */
export function createApp(deps: AppDeps, runtime: RuntimeOptions = {}): GpcEdgeApp {
  const fetchUpstream = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock: Clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? consoleLogger;
  const randomUUID = deps.randomUUID ?? (() => crypto.randomUUID());
  const directory = deps.directory ?? createDirectoryResolver({
    config: deps.config,
    store: deps.store,
    fetch: fetchUpstream,
    clock,
    randomUUID,
    logger,
  });

  const app = new Hono<SspEnv>();
  app.get("/_health", (c) => c.json({ status: "ok" }, 200, { "Cache-Control": "no-store" }));
  app.route("/directory", directoryRoutes(directory, { randomUUID }));
  const ssp = sspHandlers({
    config: deps.config,
    directory,
    fetch: fetchUpstream,
    clock,
    logger,
    fetchDecodesBody: runtime.fetchDecodesBody ?? true,
  });
  app.all("*", async (c, next) => {
    if (!isSspPath(c.req.path)) {
      throw GpcEdgeError.gpconnect("NO_RECORD_FOUND", {
        diagnostics:
          `No gpc-edge route for ${c.req.method} ${c.req.path}. SSP requests embed the provider URL: /https://provider/ODS/STU3/1/gpconnect/fhir/metadata`,
      });
    }
    await next();
  }, ...ssp);

  app.onError((error, c) => {
    if (!(error instanceof GpcEdgeError)) {
      logger.log({
        type: "error",
        time: new Date(clock.now()).toISOString(),
        message: error instanceof Error ? error.message : String(error),
        path: c.req.path,
      });
    }
    const ssp = c.get("ssp") as SspEnv["Variables"]["ssp"] | undefined;
    const fhirVersion = ssp?.interaction?.fhirVersion;
    return errorResponse(error, {
      accept: c.req.header("Accept"),
      id: randomUUID(),
      ...(fhirVersion ? { fhirVersion } : {}),
    });
  });
  return { app, directory };
}
