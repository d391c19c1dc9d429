/**
 * The SSP sub-app (ARCHITECTURE.md §3.5): the SSP's middleware chain (ssp-handlers.ts) on the
 * embedded-URL form only, `/{http|https}://{provider}/…`, and the one `onError` that renders the
 * SSP's errors (ssp-error-response.ts) and logs each exception once with the request id: the
 * `Ssp-TraceID` when it is a UUID, else the id of the OperationOutcome answered.
 *
 * @module
 */
import { type Context, type Env, type ErrorHandler, Hono } from "hono";
import type { FhirVersion } from "../../gpconnect/specs.ts";
import type { Clock, Logger } from "../app-deps.ts";
import { logException } from "../error-log.ts";
import { isUuid } from "../../gpconnect/uuid.ts";
import { sspErrorResponse } from "./ssp-error-response.ts";
import { sspHandlers, type SspOptions } from "./ssp-handlers.ts";
import { establishedSoFar, type SspEnv } from "./ssp-state.ts";

/**
 * The route of SSP requests: a first path segment that starts an absolute http(s) URL. The scheme
 * is matched in any case, as URL schemes are case-insensitive; everything after it is the
 * embedded URL, checked by the chain's first step.
 */
export const SSP_ROUTE = "/:embeddedUrl{[Hh][Tt][Tt][Pp][Ss]?://.*}";

/** What {@linkcode createSspApp} needs: the chain's options and an id generator. */
export interface SspAppOptions extends SspOptions {
  /** UUID generator for error `OperationOutcome.id`s. */
  readonly randomUUID: () => string;
}

/**
 * Creates the SSP sub-app. Its steps run on every path it is given: `createApp` hands it the
 * requests on {@linkcode SSP_ROUTE} only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { sspRequestInit } from "../../client/ssp-request.ts";
 * import { systemClock } from "../app-deps.ts";
 * import { defaultConfig } from "../config.ts";
 * import {
 *   createRecordsCircuitBreaker,
 *   ENVOY_OUTLIER_DEFAULTS,
 * } from "../gateway/circuit-breaker.ts";
 * import { perRequestTimers } from "../gateway/deadline-scheduler.ts";
 * import { createRecordsRateLimiter } from "../gateway/rate-limiter.ts";
 * import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
 * // A directory that knows one practice, and the audit lines kept in an array.
 * import {
 *   constantDirectory,
 *   recordingLogger,
 *   testProviderRoot,
 * } from "../testing/ssp-fixtures.ts";
 * import { forwardingIdentity } from "./provider-forward.ts";
 * const records = createMemoryRecordsStore();
 * const clock = systemClock;
 * const gateway = {
 *   scheduler: perRequestTimers,
 *   rateLimiter: createRecordsRateLimiter({ records, clock }),
 *   breaker: createRecordsCircuitBreaker({
 *     records,
 *     clock,
 *     settings: { ...ENVOY_OUTLIER_DEFAULTS, probeTimeoutMs: 30_000 },
 *   }),
 *   identity: forwardingIdentity("https://edge.example.nhs.uk", []),
 * };
 * // The provider, in-process: it answers its capability statement.
 * const provider = () =>
 *   Promise.resolve(
 *     new Response(JSON.stringify({ resourceType: "CapabilityStatement" }), {
 *       headers: { "Content-Type": "application/fhir+json" },
 *     }),
 *   );
 * const options = {
 *   config: defaultConfig.ssp,
 *   directory: constantDirectory(),
 *   fetch: provider,
 *   clock,
 *   logger: recordingLogger(),
 *   fetchDecodesBody: true,
 *   gateway,
 * };
 * const app = new Hono().route(
 *   "/",
 *   createSspApp({ ...options, randomUUID: () => crypto.randomUUID() }),
 * );
 * const { url, headers } = sspRequestInit({
 *   sspBaseUrl: "http://ssp.local",
 *   providerRoot: testProviderRoot,
 *   fhirPath: "/metadata",
 *   interactionId: "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
 * });
 * const response = await app.request(url, { headers });
 * assert.equal(response.status, 200);
 * ```
 */
export function createSspApp(options: SspAppOptions): Hono<SspEnv> {
  const app = new Hono<SspEnv>();
  // Every step on every path: the root hands this app SSP paths only (its `SSP_ROUTE` and fast
  // lane), and one wildcard entry lets Hono's RegExpRouter match in one cached step, where the
  // route's own pattern needed the TrieRouter's walk per request (issue 15).
  app.use(...sspHandlers(options));
  app.onError(sspErrorHandler<SspEnv>({
    ...options,
    audience: "ssp",
    fhirVersionOf: (c) => establishedSoFar(c).sspInteraction?.fhirVersion,
  }));
  return app;
}

/** What {@linkcode sspErrorHandler} needs. */
export interface SspErrorHandlerOptions<E extends Env> {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly randomUUID: () => string;
  /** Who answers: the SSP itself, or the gateway in front of every sub-app (the `Host` check). */
  readonly audience: "ssp" | "gateway";
  /** The interaction's FHIR release, once known; STU3 media types before. */
  readonly fhirVersionOf?: (c: Context<E>) => FhirVersion | undefined;
  /** The path to log; default `c.req.path`. */
  readonly pathOf?: (c: Context<E>) => string;
}

/**
 * The `onError` of the SSP, also used by the gateway in front of every sub-app, whose errors
 * (an invalid `Host`) take the SSP's shape (issue 9): renders the error with
 * {@linkcode sspErrorResponse} and logs it once with the request id.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { consoleLogger, systemClock } from "../app-deps.ts";
 * new Hono().onError(sspErrorHandler({
 *   logger: consoleLogger, clock: systemClock, randomUUID: () => crypto.randomUUID(), audience: "gateway",
 * }));
 * ```
 */
export function sspErrorHandler<E extends Env>(
  options: SspErrorHandlerOptions<E>,
): ErrorHandler<E> {
  return (error, c) => {
    const id = options.randomUUID();
    const traceId = c.req.header("Ssp-TraceID")?.trim();
    const response = sspErrorResponse(error, {
      accept: c.req.header("Accept"),
      fhirVersion: options.fhirVersionOf?.(c),
      id,
    });
    logException(options.logger, options.clock, error, response.status, {
      audience: options.audience,
      requestId: isUuid(traceId) ? traceId : id,
      method: c.req.method,
      path: options.pathOf?.(c) ?? c.req.path,
    });
    return response;
  };
}
