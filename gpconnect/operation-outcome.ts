/**
 * OperationOutcome bodies, one shape per audience: GP Connect's (`GPConnect-OperationOutcome-1`,
 * Spine error codes) and the SSP's own (no profile, code = HTTP status).
 *
 * @module
 */
import { errorProfiles, errorSystems } from "./specs.ts";

/** A FHIR OperationOutcome as plain JSON. */
export interface OperationOutcome {
  resourceType: "OperationOutcome";
  id?: string;
  meta?: { profile: string[] };
  issue: Array<{
    severity: string;
    code: string;
    details: { coding: Array<{ system: string; code: string; display: string }> };
    diagnostics?: string;
  }>;
}

/**
 * GP Connect's OperationOutcome for a Spine error code (GPC-1.6 error page): profile
 * `GPConnect-OperationOutcome-1`, coding system `Spine-ErrorOrWarningCode-1`.
 *
 * @example
 * ```ts
 * gpConnectOperationOutcome({ code: "PATIENT_NOT_FOUND", issueCode: "not-found", display: "Patient record not found" });
 * ```
 */
export function gpConnectOperationOutcome(fields: {
  code: string;
  issueCode: string;
  display: string;
  diagnostics?: string | undefined;
  severity?: string;
  fhirVersion?: "STU3" | "DSTU2";
}): OperationOutcome {
  const dstu2 = fields.fhirVersion === "DSTU2";
  const outcome: OperationOutcome = {
    resourceType: "OperationOutcome",
    meta: { profile: [dstu2 ? errorProfiles.dstu2 : errorProfiles.stu3] },
    issue: [{
      severity: fields.severity ?? "error",
      code: fields.issueCode,
      details: {
        coding: [{
          system: dstu2 ? errorSystems.dstu2 : errorSystems.stu3,
          code: fields.code,
          display: fields.display,
        }],
      },
    }],
  };
  if (fields.diagnostics !== undefined) outcome.issue[0]!.diagnostics = fields.diagnostics;
  return outcome;
}

/**
 * The SSP's own OperationOutcome (GPC-1.6 error page, "SSP errors"): an `id`, no profile, the
 * HTTP status as the code and the display repeated as diagnostics.
 */
export function sspOperationOutcome(fields: {
  id: string;
  status: number;
  issueCode: string;
  severity: string;
  display: string;
}): OperationOutcome {
  const methodNotAllowed = fields.status === 405;
  return {
    resourceType: "OperationOutcome",
    id: fields.id,
    issue: [{
      severity: fields.severity,
      code: fields.issueCode,
      details: {
        coding: [{
          system: methodNotAllowed ? errorSystems.sspMethod : errorSystems.ssp,
          code: String(fields.status),
          display: fields.display,
        }],
      },
      diagnostics: fields.display,
    }],
  };
}
