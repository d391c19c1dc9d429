/**
 * The SSP audit line: one structured JSON record per SSP request, whatever its outcome (trace
 * id, from, to, interaction, JWT findings, requesting organisation and practitioner, status,
 * upstream and total latency). Never the token: only the JWT summary and findings are logged.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { Clock, Logger } from "../app-deps.ts";
import type { JwtMode } from "../config.ts";
import { GpcEdgeError } from "../errors.ts";
import type { SspEnv, SspState } from "./ssp-state.ts";

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
  readonly totalLatencyMs: number;
};

/** Builds the audit record of a finished SSP request. */
export function sspAuditRecord(
  state: SspState,
  fields: { method: string; status: number; error: unknown; jwtMode: JwtMode; now: number },
): SspAuditRecord {
  const summary = state.jwt?.summary;
  const error = fields.error instanceof GpcEdgeError
    ? { code: fields.error.code, display: fields.error.display }
    : fields.error === undefined
    ? null
    : { code: "INTERNAL_SERVER_ERROR", display: "Unexpected error" };
  return {
    type: "ssp-audit",
    time: new Date(state.startedAt).toISOString(),
    traceId: state.traceId ?? null,
    from: state.from ?? null,
    to: state.to ?? null,
    interactionId: state.interactionId ?? null,
    method: fields.method,
    targetUrl: state.target?.url ?? null,
    status: fields.status,
    outcome: state.upstreamStatus === undefined ? "rejected" : "forwarded",
    error,
    jwt: {
      mode: fields.jwtMode,
      findings: (state.jwt?.findings ?? []).map(({ claim, problem, status }) => ({
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
    directorySource: state.directorySource ?? null,
    upstreamStatus: state.upstreamStatus ?? null,
    upstreamLatencyMs: state.upstreamLatencyMs ?? null,
    totalLatencyMs: fields.now - state.startedAt,
  };
}

/**
 * Middleware, outermost in the SSP chain: creates the request's SSP state and, once the response
 * (or the error response rendered by `onError`) exists, writes the audit line.
 */
export function sspAudit(
  options: { logger: Logger; clock: Clock; jwtMode: JwtMode },
): MiddlewareHandler<SspEnv> {
  return async function sspAuditLine(c, next) {
    c.set("ssp", { startedAt: options.clock.now() });
    try {
      await next();
    } finally {
      options.logger.log(sspAuditRecord(c.get("ssp"), {
        method: c.req.method,
        status: c.res.status,
        error: c.error,
        jwtMode: options.jwtMode,
        now: options.clock.now(),
      }));
    }
  };
}
