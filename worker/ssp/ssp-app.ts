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
 * Creates the SSP sub-app, for `app.route("/", …)`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { consoleLogger, systemClock } from "../app-deps.ts";
 * import { defaultConfig } from "../config.ts";
 * import type { DirectoryResolver } from "../directory/directory-types.ts";
 * import type { SspGateway } from "./ssp-handlers.ts";
 * declare const directory: DirectoryResolver;
 * declare const gateway: SspGateway;
 * const app = new Hono().route("/", createSspApp({
 *   config: defaultConfig.ssp, directory, fetch, clock: systemClock, logger: consoleLogger,
 *   fetchDecodesBody: true, randomUUID: () => crypto.randomUUID(), gateway,
 * }));
 * ```
 */
export function createSspApp(options: SspAppOptions): Hono<SspEnv> {
  const app = new Hono<SspEnv>();
  // One route entry per step, as `app.all(path, ...steps)` would register them.
  for (const step of sspHandlers(options)) app.all(SSP_ROUTE, step);
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
