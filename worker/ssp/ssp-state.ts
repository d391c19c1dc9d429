/**
 * What the SSP establishes about a request, one typed Hono context variable per step (Hono's
 * typed `Variables`, the `ContextVariableMap` pattern kept to this sub-app's `Env`): each step
 * sets what it established, and a later step reads it with {@linkcode established}, which fails
 * loudly when the step that sets it has not run. There are no defaults to fall back on, so a step
 * moved out of order is a 500 and a log line, never a request checked against the wrong values.
 *
 * The audit line reads the same variables with {@linkcode establishedSoFar}, which reports
 * whatever was established, whatever the outcome.
 *
 * @module
 */
import type { Context } from "hono";
import type { CacheSource, ProviderEndpoint } from "../directory/directory-types.ts";
import type { RequestBindings } from "../request-bindings.ts";
import type { Interaction } from "../../gpconnect/specs.ts";
import type { JwtCheckResult } from "../../gpconnect/jwt/jwt-claims-check.ts";
import type { GatewayVariables } from "../gateway/request-deadline.ts";
import type { BodyEnd } from "../gateway/watched-body.ts";
import type { SspTarget } from "./ssp-target.ts";

/** The `Ssp-*` headers as sent (trimmed), before they are checked: what the audit reports. */
export interface SspHeadersSent {
  readonly traceId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly interactionId?: string;
}

/** The `Ssp-*` headers once every format rule passed. */
export interface SspHeaders {
  /** `Ssp-TraceID`, a UUID. */
  readonly traceId: string;
  /** `Ssp-From`, the sender's ASID. */
  readonly from: string;
  /** `Ssp-To`, the receiver's ASID. */
  readonly to: string;
  /** `Ssp-InteractionID`, a URN (not yet looked up). */
  readonly interactionId: string;
}

/** SDS's endpoint for (ODS code, interaction), as the receiver check found it. */
export interface SspEndpoint {
  readonly endpoint: ProviderEndpoint;
  /** Where the directory answer came from. */
  readonly source: CacheSource;
}

/** The provider's answer, once the forward got its response headers. */
export interface SspUpstream {
  /** Provider response status. */
  readonly status: number;
  /** Time to the provider's response headers, in milliseconds. */
  readonly latencyMs: number;
}

/**
 * The SSP's context variables, each set by one step (in chain order), and the gateway's
 * (`gatewayDeadline`, set by the deadline step; `gatewayBodyEnd`, set by the forward when it
 * streams the provider's body).
 */
export interface SspVariables extends GatewayVariables {
  /** Audit: milliseconds since the epoch when the request arrived. */
  sspStartedAt: number;
  /** Path step: the embedded provider URL and the FHIR request. */
  sspTarget: SspTarget;
  /** Header step, before its checks: the headers as sent. */
  sspHeadersSent: SspHeadersSent;
  /** Header step: the checked `Ssp-*` headers. */
  sspHeaders: SspHeaders;
  /** Interaction step: the catalogue entry of `Ssp-InteractionID`. */
  sspInteraction: Interaction;
  /** Receiver step: the SDS endpoint the target is checked against. */
  sspEndpoint: SspEndpoint;
  /** JWT step (`enforce` mode): the decode and claims check result. */
  sspJwt: JwtCheckResult;
  /**
   * JWT step (`log` mode): the same check, run when first asked for (by the audit line, after
   * the forward), so it does not sit between the consumer and the provider.
   */
  sspJwtLater: () => JwtCheckResult;
  /** Forward step: the provider's status and latency. */
  sspUpstream: SspUpstream;
  /** Forward step: how the provider's body ended, when it was handed over whole at once. */
  sspBodyDone: BodyEnd;
}

/** Hono environment of the SSP sub-app. */
export interface SspEnv {
  Bindings: RequestBindings;
  Variables: SspVariables;
}

/** A step ran before the step that establishes what it needs: a programming error. */
export class SspStepOrderError extends Error {
  constructor(variable: keyof SspVariables) {
    super(`SSP step order: ${variable} was read before the step that sets it ran`);
    this.name = "SspStepOrderError";
  }
}

/**
 * What an earlier step established; throws {@linkcode SspStepOrderError} if it did not run.
 *
 * @example
 * ```ts
 * import type { MiddlewareHandler } from "hono";
 * const step: MiddlewareHandler<SspEnv> = async (c, next) => {
 *   const { from } = established(c, "sspHeaders");
 *   await next();
 * };
 * ```
 */
export function established<K extends keyof SspVariables>(
  c: Context<SspEnv>,
  variable: K,
): SspVariables[K] {
  // Hono types `get` as always defined; at run time an unset variable is `undefined`.
  const value = c.get(variable) as SspVariables[K] | undefined;
  if (value === undefined) throw new SspStepOrderError(variable);
  return value;
}

/** Everything established so far, for the audit line and error rendering (any may be absent). */
export type SspEstablished = { readonly [K in keyof SspVariables]?: SspVariables[K] };

/** Every SSP variable set on `c` so far. */
export function establishedSoFar(c: Context<SspEnv>): SspEstablished {
  const facts: Record<string, unknown> = {};
  for (const variable of FACTS) {
    const value = c.get(variable);
    if (value !== undefined) facts[variable] = value;
  }
  // A check deferred by `log` mode runs now, for whoever asks what was established.
  if (facts.sspJwt === undefined) {
    const later = c.get("sspJwtLater") as (() => JwtCheckResult) | undefined;
    if (later !== undefined) facts.sspJwt = later();
  }
  return facts as SspEstablished;
}

/** The variables {@linkcode establishedSoFar} reports, in chain order. */
const FACTS = [
  "sspStartedAt",
  "sspTarget",
  "sspHeadersSent",
  "sspHeaders",
  "sspInteraction",
  "sspEndpoint",
  "sspJwt",
  "sspUpstream",
] as const satisfies ReadonlyArray<keyof SspVariables>;
