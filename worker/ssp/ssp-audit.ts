/**
 * The SSP audit line: one structured JSON record per SSP request, whatever its outcome (trace
 * id, from, to, interaction, JWT findings, requesting organisation and practitioner, status,
 * upstream and total latency), from whatever the steps established before the request was
 * answered. Never the token: only the JWT summary and findings are logged.
 *
 * A forwarded response's body streams after the handler returns, so its line is written when the
 * body ends, with how it ended (`bodyOutcome`: `complete`, `deadline` when the request's deadline
 * cut it, `upstream-error` when the provider broke it off, `consumer-closed`) and the bytes
 * passed on; `totalLatencyMs` then covers the body too.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { Clock, Logger } from "../app-deps.ts";
import type { JwtMode } from "../config.ts";
import { GpcEdgeError } from "../errors.ts";
import type { BodyEnd, BodyOutcome } from "../gateway/watched-body.ts";
import { requestBindings } from "../request-bindings.ts";
import { establishedSoFar, type SspEnv, type SspEstablished } from "./ssp-state.ts";

/** The audit record's fields (documented in the README, "Audit log"). */
export type SspAuditRecord = {
  readonly type: "ssp-audit";
  readonly time: string;
  readonly traceId: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly interactionId: string | null;
  readonly method: string;
  readonly targetUrl: string | null;
  readonly status: number;
  readonly outcome: "forwarded" | "rejected";
  readonly error: { readonly code: string; readonly display: string } | null;
  readonly jwt: {
    readonly mode: JwtMode;
    readonly findings: ReadonlyArray<{ claim: string; problem: string; status: number }>;
  };
  readonly requestingOrganization: string | null;
  readonly requestingPractitioner: {
    readonly id: string | null;
    readonly sdsUserId: string | null;
    readonly roleProfileId: string | null;
  };
  readonly directorySource: string | null;
  readonly upstreamStatus: number | null;
  readonly upstreamLatencyMs: number | null;
  /** How the provider's body ended; `null` when no provider body was streamed. */
  readonly bodyOutcome: BodyOutcome | null;
  /** Bytes of the provider's body passed on; `null` when none was streamed. */
  readonly responseBytes: number | null;
  readonly totalLatencyMs: number;
};

/** What {@linkcode sspAuditRecord} needs besides what the steps established. */
export interface SspAuditFields {
  readonly method: string;
  readonly status: number;
  /** The exception answered, if any (`c.error`). */
  readonly error: unknown;
  readonly jwtMode: JwtMode;
  /** When the request arrived and when it was answered, in milliseconds since the epoch. */
  readonly startedAt: number;
  readonly now: number;
  /** How the streamed provider body ended, if one was streamed. */
  readonly body?: BodyEnd | undefined;
}

/**
 * Builds the audit record of a finished SSP request.
 *
 * @example
 * ```ts
 * const record = sspAuditRecord({}, {
 *   method: "GET", status: 405, error: undefined, jwtMode: "log", startedAt: 0, now: 3,
 * });
 * record.outcome; // "rejected"
 * ```
 */
export function sspAuditRecord(facts: SspEstablished, fields: SspAuditFields): SspAuditRecord {
  const sent = facts.sspHeadersSent;
  const summary = facts.sspJwt?.summary;
  const error = fields.error instanceof GpcEdgeError
    ? { code: fields.error.code, display: fields.error.display }
    : fields.error === undefined
    ? null
    : { code: "INTERNAL_SERVER_ERROR", display: "Unexpected error" };
  return {
    type: "ssp-audit",
    time: new Date(fields.startedAt).toISOString(),
    traceId: sent?.traceId ?? null,
    from: sent?.from ?? null,
    to: sent?.to ?? null,
    interactionId: sent?.interactionId ?? null,
    method: fields.method,
    targetUrl: facts.sspTarget?.url ?? null,
    status: fields.status,
    outcome: facts.sspUpstream === undefined ? "rejected" : "forwarded",
    error,
    jwt: {
      mode: fields.jwtMode,
      findings: (facts.sspJwt?.findings ?? []).map(({ claim, problem, status }) => ({
        claim,
        problem,
        status,
      })),
    },
    requestingOrganization: summary?.requestingOrganizationOds ?? null,
    requestingPractitioner: {
      id: summary?.requestingPractitionerId ?? null,
      sdsUserId: summary?.requestingPractitionerSdsUserId ?? null,
      roleProfileId: summary?.requestingPractitionerRoleProfileId ?? null,
    },
    directorySource: facts.sspEndpoint?.source ?? null,
    upstreamStatus: facts.sspUpstream?.status ?? null,
    upstreamLatencyMs: facts.sspUpstream?.latencyMs ?? null,
    bodyOutcome: fields.body?.outcome ?? null,
    responseBytes: fields.body?.bytes ?? null,
    totalLatencyMs: fields.now - fields.startedAt,
  };
}

/**
 * Middleware, outermost in the SSP chain: notes when the request arrived and, once the response
 * (or the error response rendered by `onError`) exists, writes the audit line; for a streamed
 * provider body, when that body ends (kept alive on Workers through the request's `defer`).
 */
export function sspAudit(
  options: { logger: Logger; clock: Clock; jwtMode: JwtMode },
): MiddlewareHandler<SspEnv> {
  return async function sspAuditLine(c, next) {
    // A logger that keeps no audit lines: nothing to note or build.
    if (options.logger.wants?.("ssp-audit") === false) return await next();
    const startedAt = options.clock.now();
    c.set("sspStartedAt", startedAt);
    try {
      await next();
    } finally {
      const write = (body?: BodyEnd) =>
        options.logger.log(sspAuditRecord(establishedSoFar(c), {
          method: c.req.method,
          status: c.res.status,
          error: c.error,
          jwtMode: options.jwtMode,
          startedAt,
          now: options.clock.now(),
          body,
        }));
      // Hono types `get` as always defined; it is set only when a provider body streams.
      const bodyEnd = c.get("gatewayBodyEnd") as Promise<BodyEnd> | undefined;
      if (bodyEnd === undefined || c.error !== undefined) {
        write(c.get("sspBodyDone") as BodyEnd | undefined);
      } else {
        const written = bodyEnd.then(write);
        requestBindings(c).defer?.(written);
      }
    }
  };
}
