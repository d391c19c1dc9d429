/**
 * `createApp(deps)`: the one composition root (ARCHITECTURE.md §3.2). Every seam (config, stores,
 * upstream fetch, clock, logger, ids) comes in through `deps`; nothing is module state. The same
 * app runs under Deno (`worker/deno.ts`) and workerd (`worker/cloudflare.ts`).
 *
 * One sub-app per audience, each with its own `Env` and one `onError` rendering its audience's
 * error shape (ARCHITECTURE.md §3.5), mounted on explicit routes (never a catch-all):
 * - `/directory/…`: the cached PDS + SDS directory (directory/directory-routes.ts; GP Connect
 *   OperationOutcome errors).
 * - `/{http|https}://{provider service root}/{FHIR request}`: the Spine Secure Proxy
 *   (ssp/ssp-app.ts; the SSP's error shape).
 * - `/messageexchange/…`: the MESH mailbox service (mesh/mesh-app.ts; MESH's JSON error shape),
 *   over the `records` and `blobs` stores, routing `GPPROVIDER_…` addresses through the
 *   directory when it can answer demographics.
 * - `POST /oauth2/token` and `/gp-connect/patient-facing/…`: the patient-facing API platform
 *   (platform/platform-app.ts; APIM's OperationOutcome, the identity service's OAuth errors), over
 *   `stores.platformRecords` (default `stores.records`) and the directory cache; not mounted when
 *   `config.platform.enabled` is false.
 * - `GET /_health`, and `GET /_status`: the gateway's circuit breakers and rate-limit counters
 *   (gateway/gateway-status.ts).
 *
 * Anything else is a 404 in the directory API's shape. Routing reads the request line only: before
 * any route is chosen, the gateway refuses a `Host` that could move the URL's path, and a method
 * it does not know (case-sensitive, so `get` too), each in the SSP's shape (gateway/host-header.ts,
 * gateway/method-check.ts). The gateway's shared services (worker/gateway/: rate limiter and
 * circuit breaker over the `records` store, the deadline scheduler) are built here once.
 *
 * @module
 */
import { Hono } from "hono";
import {
  type AppDeps,
  type Clock,
  consoleLogger,
  systemClock,
  type UpstreamFetch,
} from "./app-deps.ts";
import { createDirectoryResolver } from "./directory/directory-resolver.ts";
import { createDirectoryApp } from "./directory/directory-routes.ts";
import {
  directoryErrorResponse,
  directoryRequestId,
} from "./directory/directory-error-response.ts";
import type { DemographicsResolver, DirectoryResolver } from "./directory/directory-types.ts";
import { logException } from "./error-log.ts";
import { receivedFields } from "../gpconnect/header-pairs.ts";
import { GpcEdgeError } from "./errors.ts";
import type { RequestBindings, RequestBindingsEnv } from "./request-bindings.ts";
import {
  createRecordsCircuitBreaker,
  type SharedCircuitBreaker,
} from "./gateway/circuit-breaker.ts";
import { type DeadlineScheduler, perRequestTimers } from "./gateway/deadline-scheduler.ts";
import { gatewayStatusHandler } from "./gateway/gateway-status.ts";
import { hostHeaderCheck, isValidHost, requestLinePath } from "./gateway/host-header.ts";
import { KNOWN_METHODS, methodCheck, SERVED_METHODS } from "./gateway/method-check.ts";
import { createRecordsRateLimiter, type SharedRateLimiter } from "./gateway/rate-limiter.ts";
import { createGpProviderRouter, directoryDemographics } from "./mesh/gpprovider-routing.ts";
import { createMailboxDirectory } from "./mesh/mailbox-directory.ts";
import { createMeshApp } from "./mesh/mesh-app.ts";
import { createPlatformApp } from "./platform/platform-app.ts";
import { createSspApp, SSP_ROUTE, sspErrorHandler } from "./ssp/ssp-app.ts";
import { forwardingIdentity } from "./ssp/provider-forward.ts";

// The types the entry's API names, so a reader of its documentation finds each one here.
export type { AppDeps, AppStores, Clock, Logger, UpstreamFetch } from "./app-deps.ts";
export type * from "./config.ts";
export type {
  JWEContentEncryptionAlgorithm,
  JWEKeyManagementAlgorithm,
  JWK,
  JWKKeyType,
  JWSAlgorithm,
} from "jose";
export type * from "./store/cache-store.ts";
export type * from "./store/records-store.ts";
export type * from "./store/blob-store.ts";
export type * from "./directory/directory-types.ts";
export type { DeadlineScheduler } from "./gateway/deadline-scheduler.ts";
export type { RateLimit, RateVerdict, SharedRateLimiter } from "./gateway/rate-limiter.ts";
export type { BreakerAdmission, SharedCircuitBreaker } from "./gateway/circuit-breaker.ts";
export type { RequestBindings, RequestBindingsEnv } from "./request-bindings.ts";

/** Extra options for {@linkcode createApp} that depend on the runtime, not the deployment. */
export interface RuntimeOptions {
  /**
   * Whether the runtime's `fetch` decodes compressed bodies but keeps `Content-Encoding` (Deno's
   * and workerd's both do; default true).
   */
  readonly fetchDecodesBody?: boolean;
  /**
   * Where deadlines wait: Deno's entry passes one shared timer wheel; the default, one timer per
   * deadline, is what Workers need (gateway/deadline-scheduler.ts).
   */
  readonly scheduler?: DeadlineScheduler;
  /**
   * The SSP forward's client, when not `deps.fetch`: Deno's entry passes the pooled HTTP/1.1
   * client here (`GPC_EDGE_FORWARD_CLIENT=pooled`, worker/forward-client/), with
   * `fetchDecodesBody: false` as it passes content codings through untouched.
   */
  readonly forwardFetch?: UpstreamFetch;
}

/** The gateway's shared services (worker/gateway/), for every sub-app that forwards. */
export interface GatewayServices {
  /** Where deadlines wait. */
  readonly scheduler: DeadlineScheduler;
  /** Counters in the `records` store. */
  readonly rateLimiter: SharedRateLimiter;
  /** One breaker per provider endpoint, in the `records` store. */
  readonly breaker: SharedCircuitBreaker;
}

/**
 * The composed app as its callers use it: Hono's `fetch` and `request`, nothing Hono-specific
 * beyond them, so the entry's API does not expose Hono's own types.
 */
export interface GpcEdgeHandler {
  /** Answers one request; `bindings` carry the runtime's per-request facts. */
  fetch(
    request: Request,
    bindings?: RequestBindings,
    executionContext?: unknown,
  ): Response | Promise<Response>;
  /** Answers a request built from `input` and `init` (in-process, as tests and examples do). */
  request(
    input: string | URL | Request,
    init?: RequestInit,
    bindings?: RequestBindings,
  ): Response | Promise<Response>;
}

/** The app and the services behind it, for entries and tests. */
export interface GpcEdgeApp {
  /** The app; `app.fetch` is the request handler. */
  readonly app: GpcEdgeHandler;
  /** The directory service, e.g. for its counters. */
  readonly directory: DirectoryResolver;
  /** The gateway's shared services. */
  readonly gateway: GatewayServices;
}

/** A URL whose path starts with an embedded `http(s)://` URL, as the SSP route matches it. */
const SSP_REQUEST_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*\/[Hh][Tt][Tt][Pp][Ss]?:\/\//;

/**
 * Builds gpc-edge from its dependencies.
 *
 * @example
 * ```ts
 * import { defaultConfig } from "./config.ts";
 * import { createMemoryBlobStore } from "./store/memory-blob-store.ts";
 * import { createMemoryCacheStore } from "./store/memory-cache-store.ts";
 * import { createMemoryRecordsStore } from "./store/memory-records-store.ts";
 * const { app } = createApp({
 *   config: defaultConfig,
 *   stores: {
 *     cache: createMemoryCacheStore(),
 *     records: createMemoryRecordsStore(),
 *     blobs: createMemoryBlobStore(),
 *   },
 * });
 * const response = await app.request("/_health");
 * ```
 */
export function createApp(deps: AppDeps, runtime: RuntimeOptions = {}): GpcEdgeApp {
  const fetchUpstream = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock: Clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? consoleLogger;
  const randomUUID = deps.randomUUID ?? (() => crypto.randomUUID());
  const directory = deps.directory ?? createDirectoryResolver({
    config: deps.config.directory,
    store: deps.stores.cache,
    fetch: fetchUpstream,
    clock,
    randomUUID,
    logger,
  });

  const scheduler = runtime.scheduler ?? perRequestTimers;
  const gateway: GatewayServices = {
    scheduler,
    rateLimiter: createRecordsRateLimiter({ records: deps.stores.records, clock }),
    breaker: createRecordsCircuitBreaker({
      records: deps.stores.records,
      clock,
      settings: {
        failureThreshold: deps.config.ssp.breakerFailures,
        openMs: deps.config.ssp.breakerOpenMs,
        maxOpenMs: deps.config.ssp.breakerMaxOpenMs,
        // A probe is given up when its request's deadline has passed.
        probeTimeoutMs: deps.config.ssp.deadlineMs,
      },
    }),
  };

  const app = new Hono<RequestBindingsEnv>();
  app.use(hostHeaderCheck());
  app.use(methodCheck({
    methods: KNOWN_METHODS,
    refuse: (method) =>
      GpcEdgeError.ssp("METHOD_NOT_ALLOWED", {}, {
        diagnostics: `${
          JSON.stringify(method)
        } is not a method gpc-edge knows (names are case-sensitive)`,
        headers: { Allow: SERVED_METHODS.join(", ") },
      }),
  }));
  app.onError(sspErrorHandler({
    logger,
    clock,
    randomUUID,
    audience: "gateway",
    // A refused Host may have rewritten the URL's path: log the request line's.
    pathOf: (c) => requestLinePath(c.req.raw),
  }));
  app.get("/_health", (c) => c.json({ status: "ok" }, 200, { "Cache-Control": "no-store" }));
  app.get(
    "/_status",
    gatewayStatusHandler(deps.stores.records, clock, {
      enabled: deps.config.platform.enabled,
      records: deps.stores.platformRecords ?? deps.stores.records,
    }),
  );
  app.route("/directory", createDirectoryApp(directory, { randomUUID, logger, clock }));
  app.route(
    "/messageexchange",
    createMeshApp({
      config: deps.config.mesh,
      records: deps.stores.records,
      blobs: deps.stores.blobs,
      clock,
      logger,
      randomUUID,
      ...(answersDemographics(directory)
        ? {
          routeGpProvider: createGpProviderRouter({
            demographics: directoryDemographics(directory),
            receiversFor: createMailboxDirectory(deps.config.mesh.mailboxes).receiversFor,
            logger,
          }),
        }
        : {}),
    }),
  );
  // Off (GPC_EDGE_PLATFORM_ENABLED=false), its paths fall to the 404 below like any unknown one.
  if (deps.config.platform.enabled) {
    app.route(
      "/",
      createPlatformApp({
        config: deps.config.platform,
        directoryConfig: deps.config.directory,
        records: deps.stores.platformRecords ?? deps.stores.records,
        cache: deps.stores.cache,
        fetch: fetchUpstream,
        clock,
        logger,
        randomUUID,
        // The SSP's directory is the platform's own unless PDS wants the platform's app token
        // (then the platform builds one with that token, over the same cache store).
        ...(deps.directory || !deps.config.platform.pdsTokenUrl ? { directory } : {}),
        // The gateway's scheduler: Deno's timer wheel waits the platform's deadlines too.
        scheduler,
      }),
    );
  }
  const sspApp = createSspApp({
    config: deps.config.ssp,
    directory,
    fetch: runtime.forwardFetch ?? fetchUpstream,
    clock,
    logger,
    fetchDecodesBody: runtime.fetchDecodesBody ?? true,
    randomUUID,
    gateway: {
      ...gateway,
      identity: forwardingIdentity(
        deps.config.server.publicUrl,
        deps.config.server.trustedProxies,
      ),
    },
  });
  // Handed over whole rather than mounted with `app.route`: Hono wraps every step of a mounted
  // sub-app that has its own `onError` in an error-handling composition built per request, which
  // was half of what an SSP request allocated (issue 15; bench/heap-profile.ts --count allocated).
  app.all(SSP_ROUTE, (c) => sspApp.fetch(c.req.raw, c.env));
  // The SSP's fast lane: a request whose path plainly starts with an embedded http(s) URL, with a
  // method gpc-edge knows and a valid Host (what the root's two checks would let through), goes
  // to the SSP sub-app without the root's routing and context. Anything else, refusals included,
  // takes the root's way as before, so the lane changes no answer (issue 15).
  const knownMethods = new Set(KNOWN_METHODS);
  const rootFetch = app.fetch;
  app.fetch = (request, env, executionCtx) => {
    if (SSP_REQUEST_URL.test(request.url) && knownMethods.has(request.method)) {
      const host = receivedFields(request.headers).get("host");
      if (host === undefined || isValidHost(host)) return sspApp.fetch(request, env, executionCtx);
    }
    return rootFetch(request, env, executionCtx);
  };
  app.notFound((c) => {
    const error = GpcEdgeError.gpconnect("NO_RECORD_FOUND", {
      diagnostics:
        `No gpc-edge route for ${c.req.method} ${c.req.path}. SSP requests embed the provider URL: /https://provider/ODS/STU3/1/gpconnect/fhir/metadata`,
    });
    const requestId = directoryRequestId(c.req.header("X-Request-ID"), randomUUID);
    const response = directoryErrorResponse(error, { accept: c.req.header("Accept"), requestId });
    logException(logger, clock, error, response.status, {
      audience: "gateway",
      requestId,
      method: c.req.method,
      path: c.req.path,
    });
    return response;
  });
  return { app, directory, gateway };
}

/** Whether a directory (e.g. a test's constant one) can also answer patient demographics. */
function answersDemographics(
  directory: DirectoryResolver,
): directory is DirectoryResolver & DemographicsResolver {
  return typeof (directory as Partial<DemographicsResolver>).demographics === "function";
}
