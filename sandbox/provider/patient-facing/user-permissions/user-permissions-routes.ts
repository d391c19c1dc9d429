/**
 * User Permissions at the practice (A1; gp-connect-user-permissions): `GET /Patient/{nhsNumber}`
 * answers the levels of the token's user for the token's patient as plain JSON — the patient's
 * own, or, for a delegated token, the proxy's for the patient they act for. An NHS number that
 * fails its check digit is 400 INVALID_RESOURCE_ID, another patient's 403 ACCESS_DENIED; errors
 * are R4 OperationOutcomes.
 *
 * Beside it, the sandbox's own control (local only; no NHS API has it):
 * `PUT /{ODS}/patient-facing/_sandbox/permissions/{nhsNumber}[?actor={proxy NHS number}]` with a
 * User Permissions body sets the levels (`effectiveDate` optional), `DELETE` returns to the
 * fixtures. It takes no token: it is how a tester changes what the practice allows.
 *
 * @module
 */
import type { Hono } from "hono";
import { isValidNhsNumber } from "../../../../gpconnect/nhs-number.ts";
import type { PfEnv } from "../pf-duties.ts";
import { accessDenied, invalidResource, PfError } from "../pf-error.ts";
import { levelsFromBody, permissionsBody } from "./permission-levels.ts";
import type { PermissionSubject, UserPermissions } from "./user-permissions.ts";

const invalidResourceId = (value: string) =>
  new PfError(
    400,
    "INVALID_RESOURCE_ID",
    "value",
    "Invalid resource ID",
    `${JSON.stringify(value)} is not a valid NHS number`,
  );

/**
 * Adds `GET {root}/Patient/:nhsNumber` (behind the duties the caller applies to `root`) and the
 * sandbox control at `controlPath` to `app`.
 *
 * @example
 * ```ts
 * // userPermissionsRoutes(app, { root, controlPath, permissions });
 * ```
 */
export function userPermissionsRoutes(
  app: Hono<PfEnv>,
  deps: {
    readonly root: string;
    readonly controlPath: string;
    readonly permissions: UserPermissions;
  },
): void {
  app.get(`${deps.root}/Patient/:nhsNumber`, (c) => {
    const nhsNumber = c.req.param("nhsNumber");
    if (!isValidNhsNumber(nhsNumber)) throw invalidResourceId(nhsNumber);
    if (nhsNumber !== c.get("session").nhsNumber) {
      throw accessDenied("The NHS number in the path is not the patient's");
    }
    return c.json(permissionsBody(c.get("levels")), 200);
  });

  const subjectOf = (nhsNumber: string, actor: string | undefined): PermissionSubject => {
    if (!isValidNhsNumber(nhsNumber)) throw invalidResourceId(nhsNumber);
    if (actor !== undefined && !isValidNhsNumber(actor)) throw invalidResourceId(actor);
    return { nhsNumber, actorNhsNumber: actor };
  };
  app.put(`${deps.controlPath}/:nhsNumber`, async (c) => {
    const subject = subjectOf(c.req.param("nhsNumber"), c.req.query("actor"));
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw invalidResource("The body is not JSON");
    }
    const levels = levelsFromBody(body, deps.permissions.fixtureDate(subject));
    if ("invalid" in levels) throw invalidResource(levels.invalid);
    await deps.permissions.set(subject, levels);
    return c.json(permissionsBody(levels), 200);
  });
  app.delete(`${deps.controlPath}/:nhsNumber`, async (c) => {
    await deps.permissions.reset(subjectOf(c.req.param("nhsNumber"), c.req.query("actor")));
    return c.body(null, 204);
  });
}
