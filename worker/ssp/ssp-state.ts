/**
 * What the SSP learns about a request as it flows through the middleware chain, kept in one
 * Hono context variable so the audit line can report it whatever the outcome.
 *
 * @module
 */
import type { ProviderEndpoint } from "../directory/directory-types.ts";
import type { Interaction } from "../../gpconnect/specs.ts";
import type { JwtCheckResult } from "../../gpconnect/jwt/jwt-claims-check.ts";
import type { RequestBindings } from "../request-bindings.ts";
import type { SspTarget } from "./ssp-target.ts";

/** Per-request SSP state. Fields fill in as checks pass. */
export interface SspState {
  /** Milliseconds since the epoch when the request arrived. */
  readonly startedAt: number;
  /** The embedded provider URL and the FHIR request. */
  target?: SspTarget;
  /** `Ssp-TraceID`, as sent (even when invalid). */
  traceId?: string;
  /** `Ssp-From`. */
  from?: string;
  /** `Ssp-To`. */
  to?: string;
  /** `Ssp-InteractionID`, as sent. */
  interactionId?: string;
  /** The catalogue entry for the interaction, once known. */
  interaction?: Interaction;
  /** The SDS endpoint the target was checked against. */
  endpoint?: ProviderEndpoint;
  /** Where the SDS answer came from. */
  directorySource?: string;
  /** JWT decode and check result. */
  jwt?: JwtCheckResult;
  /** Provider response status, when the request was forwarded. */
  upstreamStatus?: number;
  /** Time to the provider's response headers, in milliseconds. */
  upstreamLatencyMs?: number;
}

/** Hono variables the SSP routes use. */
export interface SspVariables {
  ssp: SspState;
}

/** Hono environment of the SSP routes. */
export interface SspEnv {
  Bindings: RequestBindings;
  Variables: SspVariables;
}
