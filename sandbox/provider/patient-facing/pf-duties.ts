/**
 * What every patient-facing endpoint of the practice does first (issue 12 item 5, issue 13):
 * refuse `Ssp-*` headers (this is not the Spine route), require a UUID `X-Request-ID`, require a
 * token of the practice's authorisation service, find the token's patient, and read the levels
 * the user has for that patient (their own, or the proxy's when the token is delegated).
 *
 * @module
 */
import type { Context } from "hono";
import { isUuid } from "../../../gpconnect/uuid.ts";
import type { HeldPatient, PracticePatients } from "../provider-patients.ts";
import type { ProviderSession, ProviderSessions } from "./pf-authorisation-service.ts";
import { accessDenied, badRequest, PfError } from "./pf-error.ts";
import type { PermissionLevels } from "./user-permissions/permission-levels.ts";
import type { UserPermissions } from "./user-permissions/user-permissions.ts";

/** The context of a patient-facing request after its duties. */
export type PfEnv = {
  Variables: {
    session: ProviderSession;
    held: HeldPatient;
    requestId: string;
    levels: PermissionLevels;
  };
};

/** What the duties read. */
export interface PfDutiesDeps {
  readonly sessions: ProviderSessions;
  readonly patients: PracticePatients;
  readonly permissions: UserPermissions;
}

/**
 * The duties middleware.
 *
 * @example
 * ```ts
 * // app.use(`${root}/*`, patientFacingDuties({ sessions, patients, permissions }));
 * ```
 */
export function patientFacingDuties(deps: PfDutiesDeps) {
  return async (c: Context<PfEnv>, next: () => Promise<void>): Promise<void> => {
    for (const [name] of c.req.raw.headers) {
      if (name.toLowerCase().startsWith("ssp-")) throw badRequest(`${name} is not accepted here`);
    }
    const requestId = c.req.header("X-Request-ID") ?? "";
    if (!isUuid(requestId)) throw badRequest("X-Request-ID must be a UUID");
    const token = /^Bearer (\S+)$/.exec(c.req.header("Authorization") ?? "")?.[1];
    const session = token === undefined ? undefined : deps.sessions.lookup(token);
    if (!session) {
      throw new PfError(401, "ACCESS_DENIED", "forbidden", "Access denied", "Invalid access token");
    }
    const held = await deps.patients.byNhsNumber(session.nhsNumber);
    if (!held) {
      throw new PfError(
        404,
        "PATIENT_NOT_FOUND",
        "not-found",
        "Patient record not found",
        `The practice does not serve NHS number ${session.nhsNumber}`,
      );
    }
    c.set("session", session);
    c.set("held", held);
    c.set("requestId", requestId);
    c.set("levels", await deps.permissions.levelsFor(session));
    await next();
    c.res.headers.set("X-Request-ID", requestId);
  };
}

/** Refuses when `allowed` is false: the user's level does not allow `what`. */
export function requireLevel(allowed: boolean, what: string): void {
  if (!allowed) throw accessDenied(`The user's permission level does not allow ${what}`);
}
