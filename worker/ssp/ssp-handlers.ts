/**
 * The SSP route: the middleware chain a request flows through, one way, before it is forwarded
 * (reference gpconnect-ssp.md §1.3; the order is undocumented upstream, gpconnect issue #37, and
 * is recorded in specs/decisions.md):
 *
 * audit → path → method (405) → headers (400) → interaction (415) → sender (403) → media type
 * (415) → receiver and target via SDS (403/400) → sharing agreement (403) → JWT (log/enforce) →
 * forward (502/504 or the provider's answer).
 *
 * Each step sets what it established as its own typed context variable (ssp-state.ts) and reads
 * what it needs from earlier steps through `established`, so no step can run on defaults.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { Clock, Logger, UpstreamFetch } from "../app-deps.ts";
import type { SspConfig } from "../config.ts";
import type { DirectoryResolver } from "../directory/directory-types.ts";
import { requestBindings } from "../request-bindings.ts";
import { forwardToProvider } from "./provider-forward.ts";
import { sspAudit } from "./ssp-audit.ts";
import { sspAgreementCheck, sspSenderCheck } from "./ssp-authorise.ts";
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
}

/** Middleware: parses the embedded provider URL (`sspTarget`). */
function sspPath(): MiddlewareHandler<SspEnv> {
  return async function sspTargetPath(c, next) {
    c.set("sspTarget", parseSspTarget(c.req.url));
    await next();
  };
}

/** The final handler: forwards to the provider and passes its answer back. */
function sspForward(options: SspOptions): MiddlewareHandler<SspEnv> {
  return async function sspForwardToProvider(c) {
    // Deno's entry passes the peer address; the Workers entry `cf-connecting-ip`.
    const clientAddress = requestBindings(c).clientAddress;
    const { response, upstreamLatencyMs } = await forwardToProvider(
      c.req.raw,
      established(c, "sspTarget").url,
      {
        fetch: options.fetch,
        clock: options.clock,
        timeoutMs: options.config.upstreamTimeoutMs,
        clientAddress,
        fetchDecodesBody: options.fetchDecodesBody,
      },
    );
    c.set("sspUpstream", { status: response.status, latencyMs: upstreamLatencyMs });
    return response;
  };
}

/**
 * The SSP's steps in order, each registered on the SSP route (ssp-app.ts does this).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { consoleLogger, systemClock } from "../app-deps.ts";
 * import { defaultConfig } from "../config.ts";
 * import type { DirectoryResolver } from "../directory/directory-types.ts";
 * import type { SspEnv } from "./ssp-state.ts";
 * declare const directory: DirectoryResolver;
 * const app = new Hono<SspEnv>();
 * for (const step of sspHandlers({
 *   config: defaultConfig.ssp, directory, fetch, clock: systemClock, logger: consoleLogger,
 *   fetchDecodesBody: true,
 * })) app.all("/:embeddedUrl{https?://.*}", step);
 * ```
 */
export function sspHandlers(options: SspOptions): MiddlewareHandler<SspEnv>[] {
  const { config } = options;
  return [
    sspAudit({ logger: options.logger, clock: options.clock, jwtMode: config.jwtMode }),
    sspPath(),
    sspMethodCheck(config.allowedMethods),
    sspHeaders(),
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
    sspForward(options),
  ];
}
