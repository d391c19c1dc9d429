/**
 * The platform's audit line (R30; B1 audit duties; APIM set-logging-fields.js): one JSON record
 * per request, failures exactly like successes — who (the patient, the proxy and whether the
 * access was delegated), which app, what (product, route, practice ODS code, status), when, and
 * the `X-Request-ID`; `delegated` is true whenever the session carried a proxy (`act`), refused or
 * not, and `replayed` when a write's first answer was repeated to a retry. Built only from values the chain established; never a header, a body or a
 * token.
 *
 * @module
 */

/** What the chain learnt about a request, for its audit line. */
export interface AuditFacts {
  requestId?: string;
  app?: string;
  patient?: string;
  actor?: string;
  product?: string;
  route?: string;
  ods?: string;
  /** The answer was a write's first result, repeated for a retry (R28; no upstream write). */
  replayed?: boolean;
}

/** One audit record (documented in the README, "Patient-facing platform"). */
export type PlatformAuditRecord = {
  readonly type: "audit";
  readonly audience: "platform";
  readonly time: string;
  readonly requestId: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly app: string | null;
  readonly patient: string | null;
  readonly actor: string | null;
  readonly delegated: boolean;
  readonly product: string | null;
  readonly route: string | null;
  readonly ods: string | null;
  readonly replayed: boolean;
};

/**
 * The audit record of a finished request.
 *
 * @example
 * ```ts
 * platformAuditRecord({ app: "pfs-sandbox-app" }, "GET", "/x", 401, Date.now()).delegated; // false
 * ```
 */
export function platformAuditRecord(
  facts: AuditFacts,
  method: string,
  path: string,
  status: number,
  now: number,
): PlatformAuditRecord {
  return {
    type: "audit",
    audience: "platform",
    time: new Date(now).toISOString(),
    requestId: facts.requestId ?? null,
    method,
    path,
    status,
    app: facts.app ?? null,
    patient: facts.patient ?? null,
    actor: facts.actor ?? null,
    delegated: facts.actor !== undefined,
    product: facts.product ?? null,
    route: facts.route ?? null,
    ods: facts.ods ?? null,
    replayed: facts.replayed === true,
  };
}
