/**
 * The SSP route: the middleware chain a request flows through, one way, before it is forwarded
 * (reference gpconnect-ssp.md §1.3; the order is undocumented upstream, gpconnect issue #37, and
 * is recorded in specs/decisions.md):
 *
 * audit → deadline → path → method (405) → headers (400) → `Connection` (400) → rate limits
 * (429) → body cap (413) → interaction (415) → sender (403) → media type (415) → receiver and
 * target via SDS (400/403/502/504) → sharing agreement (403) → JWT (log/enforce) → circuit
 * breaker (502) → forward (502/504 or the provider's answer).
 *
 * The deadline, `Connection`, rate-limit, body-cap and breaker steps are the shared gateway
 * middleware (worker/gateway/, ssp-gateway.ts); rate limits come after the header checks because
 * they count per `Ssp-From` and `Ssp-To`, and before SDS so a throttled consumer costs no lookup.
 *
 * Each step sets what it established as its own typed context variable (ssp-state.ts) and reads
 * what it needs from earlier steps through `established`, so no step can run on defaults.
 *
 * @module
 */
import { stepSequence } from "../gateway/step-sequence.ts";
import type { MiddlewareHandler } from "hono";
import type { Clock, Logger, UpstreamFetch } from "../app-deps.ts";
import type { SspConfig } from "../config.ts";
import type { DirectoryResolver } from "../directory/directory-types.ts";
import { GpcEdgeError } from "../errors.ts";
import type { SharedCircuitBreaker } from "../gateway/circuit-breaker.ts";
import type { DeadlineScheduler } from "../gateway/deadline-scheduler.ts";
import type { SharedRateLimiter } from "../gateway/rate-limiter.ts";
import { requestBindings } from "../request-bindings.ts";
import { type ForwardingIdentity, forwardToProvider } from "./provider-forward.ts";
import { sspAudit } from "./ssp-audit.ts";
import { sspAgreementCheck, sspSenderCheck } from "./ssp-authorise.ts";
import { sspBodyCap, sspConnectionCheck, sspDeadline, sspRateLimit } from "./ssp-gateway.ts";
import { sspHeaders } from "./ssp-headers.ts";
import { sspJwtCheck } from "./ssp-jwt.ts";
import { sspInteractionLookup } from "./ssp-interaction.ts";
import { sspMediaTypeCheck } from "./ssp-media-type.ts";
import { sspMethodCheck } from "./ssp-method-check.ts";
import { sspReceiverCheck } from "./ssp-receiver-check.ts";
import { established, type SspEnv } from "./ssp-state.ts";
import { parseSspTarget } from "./ssp-target.ts";

/** What the SSP chain needs. */
export interface SspOptions {
  readonly config: SspConfig;
  readonly directory: DirectoryResolver;
  readonly fetch: UpstreamFetch;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether the runtime's fetch decodes compressed bodies (see `ForwardOptions`). */
  readonly fetchDecodesBody: boolean;
  /** The shared gateway services (worker/gateway/). */
  readonly gateway: SspGateway;
}

/** The gateway services the SSP uses, shared with the rest of gpc-edge. */
export interface SspGateway {
  /** Where deadlines wait. */
  readonly scheduler: DeadlineScheduler;
  /** Counters per consumer and per consumer and provider pair. */
  readonly rateLimiter: SharedRateLimiter;
  /** One breaker per provider endpoint. */
  readonly breaker: SharedCircuitBreaker;
  /** gpc-edge's public identity and trusted proxies, for the forwarding headers. */
  readonly identity: ForwardingIdentity;
}

/** Middleware: parses the embedded provider URL (`sspTarget`). */
function sspPath(): MiddlewareHandler<SspEnv> {
  return function sspTargetPath(c, next) {
    c.set("sspTarget", parseSspTarget(c.req.url));
    return next();
  };
}

/**
 * The final handler: asks the provider endpoint's circuit breaker (open → 502 without an upstream
 * attempt), forwards to the provider, passes its answer back, and tells the breaker how the
 * exchange went once it is over (a 5xx, a timeout, a connection failure or a body cut upstream or
 * by the deadline is a failure; the consumer going away or its body being too large is neither).
 */
function sspForward(options: SspOptions): MiddlewareHandler<SspEnv> {
  const { breaker } = options.gateway;
  return async function sspForwardToProvider(c) {
    // Deno's entry passes the peer address; the Workers entry `cf-connecting-ip`.
    const { clientAddress, defer } = requestBindings(c);
    const sspTarget = established(c, "sspTarget");
    const target = sspTarget.url;
    const endpoint = established(c, "sspEndpoint").endpoint.address;
    const admission = await breaker.admit(endpoint);
    if (!admission.allowed) {
      throw GpcEdgeError.ssp("CIRCUIT_OPEN", { providerUrl: target }, {
        diagnostics:
          `The provider endpoint failed repeatedly; no call is made to it for ${admission.retryAfterSeconds} s`,
        headers: { "Retry-After": String(admission.retryAfterSeconds) },
      });
    }
    const record = (healthy: boolean): Promise<void> => {
      try {
        return breaker.record(endpoint, healthy, admission);
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const report = (ok: Promise<boolean> | boolean) => {
      // A verdict known now goes straight to the breaker (usually its in-process view).
      const recorded = (typeof ok === "boolean" ? record(ok) : ok.then(record)).catch((error) => {
        options.logger.log({
          type: "error",
          time: new Date(options.clock.now()).toISOString(),
          audience: "gateway",
          code: "CIRCUIT_BREAKER_RECORD_FAILED",
          message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      });
      defer?.(recorded);
    };
    let forwarded;
    try {
      forwarded = await forwardToProvider(c.req.raw, target, {
        fetch: options.fetch,
        clock: options.clock,
        timeoutMs: options.config.upstreamTimeoutMs,
        scheduler: options.gateway.scheduler,
        deadline: c.get("gatewayDeadline") as SspEnv["Variables"]["gatewayDeadline"] | undefined,
        clientAddress,
        identity: options.gateway.identity,
        fetchDecodesBody: options.fetchDecodesBody,
        parsedTarget: sspTarget.parsed,
      });
    } catch (error) {
      const notTheProvider = error instanceof GpcEdgeError &&
        (error.code === "CLIENT_CLOSED_REQUEST" || error.code === "REQUEST_TOO_LARGE" ||
          error.code === "MESSAGE_NOT_WELL_FORMED");
      // Not the provider's doing: says nothing of its health, except that a probe that could not
      // be judged gives the half-open state back, as a failed one would.
      if (!notTheProvider || (admission.allowed && admission.probe)) report(false);
      throw error;
    }
    const { response, upstreamLatencyMs, bodyEnd, bodyDone } = forwarded;
    if (bodyDone !== undefined) c.set("sspBodyDone", bodyDone);
    c.set("sspUpstream", { status: response.status, latencyMs: upstreamLatencyMs });
    if (bodyEnd !== undefined) c.set("gatewayBodyEnd", bodyEnd);
    if (response.status >= 500) report(false);
    else if (bodyEnd === undefined) report(true);
    else {
      report(bodyEnd.then((end) => end.outcome !== "upstream-error" && end.outcome !== "deadline"));
    }
    return response;
  };
}

/**
 * The SSP's steps in order, each registered on the SSP route (ssp-app.ts does this).
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
 * import type { SspEnv } from "./ssp-state.ts";
 * const app = new Hono<SspEnv>();
 * for (const step of sspHandlers(options)) app.all("/:embeddedUrl{https?://.*}", step);
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
export function sspHandlers(options: SspOptions): MiddlewareHandler<SspEnv>[] {
  // A step that only checks before `next()` is a plain function returning `next()`, not an
  // `async` one: each async step cost a generator and a promise per request (issue 15).
  const { config } = options;
  return [
    sspAudit({ logger: options.logger, clock: options.clock, jwtMode: config.jwtMode }),
    sspDeadline(config, options.gateway.scheduler),
    // Checks that act on nothing after them run as one step each side of the rate limit, which
    // adds its headers to whatever the steps after it answer (step-sequence.ts).
    stepSequence(
      sspPath(),
      sspMethodCheck(config.allowedMethods),
      sspHeaders(),
      sspConnectionCheck(),
    ),
    sspRateLimit(config, options.gateway.rateLimiter),
    stepSequence(
      sspBodyCap(config),
      sspInteractionLookup(),
      sspSenderCheck(config.authorisation),
      sspMediaTypeCheck(),
      sspReceiverCheck(options.directory),
      sspAgreementCheck(config.authorisation),
      sspJwtCheck({
        mode: config.jwtMode,
        clock: options.clock,
        leewaySeconds: config.jwtLeewaySeconds,
      }),
    ),
    sspForward(options),
  ];
}
