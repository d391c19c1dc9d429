/**
 * The shared gateway middleware (worker/gateway/) as the SSP uses it, each refusal in the SSP's
 * own error shape:
 *
 * | Step | Refusal |
 * |---|---|
 * | request deadline (whole exchange, body included) | 504 `TIMEOUT_COMMUNICATING_TO_ENDPOINT_URL_<url>`, or a cut stream once the body has started |
 * | `Connection` naming a checked header | 400 `MISSING_OR_INVALID_HEADER_Connection` |
 * | rate limits per consumer ASID, then per consumer and provider ASID | 429 `THROTTLED_MESSAGESENDER_<from>[_MESSAGERECEIVER_<to>]` |
 * | request body cap | 413 `REQUEST_ENTITY_TOO_LARGE` |
 *
 * The circuit breaker sits in the forward (provider-forward.ts), where the endpoint is known.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { SspConfig } from "../config.ts";
import { GpcEdgeError } from "../errors.ts";
import { connectionHeaderCheck } from "../gateway/connection-header.ts";
import type { DeadlineScheduler } from "../gateway/deadline-scheduler.ts";
import { rateLimit, type RateScope } from "../gateway/rate-limit.ts";
import type { SharedRateLimiter } from "../gateway/rate-limiter.ts";
import { limitsFor } from "../gateway/rate-limit-settings.ts";
import { requestBodyCap } from "../gateway/request-body-cap.ts";
import { requestDeadline } from "../gateway/request-deadline.ts";
import { established, type SspEnv } from "./ssp-state.ts";

/**
 * The headers the SSP checks or relies on, which a `Connection` header may not turn into
 * hop-by-hop headers: every `Ssp-*`, `Authorization`, `Accept`, `Content-Type` (checked), `Host`
 * (checked by the gateway) and `Content-Length` (the body's framing). Lower-case.
 *
 * @example
 * ```ts
 * isSspCheckedHeader("ssp-traceid"); // true
 * isSspCheckedHeader("x-custom"); // false
 * ```
 */
export function isSspCheckedHeader(name: string): boolean {
  return name.startsWith("ssp-") || SSP_CHECKED.has(name);
}

const SSP_CHECKED: ReadonlySet<string> = new Set([
  "authorization",
  "accept",
  "content-type",
  "host",
  "content-length",
]);

/** Middleware: 400 when `Connection` names a header the SSP checked. */
export function sspConnectionCheck(): MiddlewareHandler<SspEnv> {
  return connectionHeaderCheck({
    isProtected: isSspCheckedHeader,
    refuse: (name) =>
      GpcEdgeError.ssp("MISSING_OR_INVALID_HEADER", { headerName: "Connection" }, {
        diagnostics:
          `Connection names ${name}, a header the SSP checks; it would be removed before the provider saw it`,
      }),
  });
}

/** Middleware: the whole exchange's deadline (`ssp.deadlineMs`). */
export function sspDeadline(
  config: SspConfig,
  scheduler: DeadlineScheduler,
): MiddlewareHandler<SspEnv> {
  return requestDeadline<SspEnv>({ scheduler, ms: config.deadlineMs });
}

/**
 * The rate-limit scopes of an SSP request: the consumer ASID, then the consumer and provider
 * ASIDs, with their configured limits (`ssp.rateLimits`).
 */
export function sspRateScopes(config: SspConfig, from: string, to: string): RateScope[] {
  const { consumer, pair } = limitsFor(config.rateLimits, from);
  return [
    { scope: `ssp:consumer:${from}`, limits: consumer ? [consumer] : [] },
    { scope: `ssp:pair:${from}:${to}`, limits: pair ? [pair] : [] },
  ];
}

/** Middleware: the rate limits, after the `Ssp-*` headers are checked. */
export function sspRateLimit(
  config: SspConfig,
  limiter: SharedRateLimiter,
): MiddlewareHandler<SspEnv> {
  return rateLimit<SspEnv>({
    limiter,
    scopes: (c) => {
      const { from, to } = established(c, "sspHeaders");
      return sspRateScopes(config, from, to);
    },
    refuse: (verdict, headers, scope) => {
      const [, kind, from, to] = scope.split(":");
      const who = kind === "pair"
        ? `MESSAGESENDER_${from}_MESSAGERECEIVER_${to}`
        : `MESSAGESENDER_${from}`;
      return GpcEdgeError.ssp("THROTTLED", { scope: who }, {
        diagnostics: kind === "pair"
          ? `More than ${verdict.limit} requests from ${from} to ${to} in the rate-limit window; retry after ${verdict.retryAfterSeconds} s`
          : `More than ${verdict.limit} requests from ${from} in the rate-limit window; retry after ${verdict.retryAfterSeconds} s`,
        headers,
      });
    },
  });
}

/** Middleware: the request body cap (`ssp.maxRequestBytes`). */
export function sspBodyCap(config: SspConfig): MiddlewareHandler<SspEnv> {
  return requestBodyCap({
    maxBytes: config.maxRequestBytes,
    refuse: (maxBytes) =>
      GpcEdgeError.ssp("REQUEST_TOO_LARGE", {}, {
        diagnostics: `The request body is larger than ${maxBytes} bytes`,
      }),
  });
}
