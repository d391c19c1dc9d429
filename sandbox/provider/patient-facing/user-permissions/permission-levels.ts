/**
 * User Permissions' access levels (A1; gp-connect-user-permissions,
 * specification/components/schemas/*AccessLevelEnum.yaml) and what each allows at the practice.
 * The medical record level has a `current` level (from `effectiveDate` on) and a `historical`
 * one (before it); prescriptions one level.
 *
 * @module
 */

/** Medical record access levels, least to most. */
export const medicalRecordLevels = ["none", "summary", "detailed", "documents", "full"] as const;
/** Prescriptions access levels, least to most. */
export const prescriptionsLevels = ["none", "view", "manage"] as const;

/** A medical record access level. */
export type MedicalRecordLevel = typeof medicalRecordLevels[number];
/** A prescriptions access level. */
export type PrescriptionsLevel = typeof prescriptionsLevels[number];

/** One user's levels for one patient (their own, or a proxy's for the patient they act for). */
export interface PermissionLevels {
  readonly medicalRecord: {
    /** `YYYY-MM-DD`: the `current` level applies from this date, `historical` before it. */
    readonly effectiveDate: string;
    readonly current: MedicalRecordLevel;
    readonly historical: MedicalRecordLevel;
  };
  readonly prescriptions: PrescriptionsLevel;
}

/** The User Permissions response body (plain JSON). */
export interface UserPermissionsBody {
  readonly medicalRecord: {
    readonly effectiveDate: string;
    readonly current: { readonly accessLevel: MedicalRecordLevel };
    readonly historical: { readonly accessLevel: MedicalRecordLevel };
  };
  readonly prescriptions: { readonly accessLevel: PrescriptionsLevel };
  readonly requests: readonly unknown[];
}

/**
 * The response body of some levels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const body = permissionsBody({
 *   medicalRecord: { effectiveDate: "2024-01-01", current: "full", historical: "summary" },
 *   prescriptions: "view",
 * });
 * assert.equal(body.prescriptions.accessLevel, "view");
 * ```
 */
export function permissionsBody(levels: PermissionLevels): UserPermissionsBody {
  return {
    medicalRecord: {
      effectiveDate: levels.medicalRecord.effectiveDate,
      current: { accessLevel: levels.medicalRecord.current },
      historical: { accessLevel: levels.medicalRecord.historical },
    },
    prescriptions: { accessLevel: levels.prescriptions },
    requests: [],
  };
}

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === "string" && (values as readonly string[]).includes(value);

/**
 * Levels from a body of the response's shape (the sandbox control takes it), or a reason it is
 * not one. `effectiveDate` may be left out: `fallbackDate` then applies.
 */
export function levelsFromBody(
  body: unknown,
  fallbackDate: string,
): PermissionLevels | { readonly invalid: string } {
  // deno-lint-ignore no-explicit-any
  const json = body as any;
  const record = json?.medicalRecord;
  const current = record?.current?.accessLevel;
  const historical = record?.historical?.accessLevel;
  const prescriptions = json?.prescriptions?.accessLevel;
  const effectiveDate = record?.effectiveDate ?? fallbackDate;
  if (!isOneOf(medicalRecordLevels, current) || !isOneOf(medicalRecordLevels, historical)) {
    return { invalid: `medicalRecord levels must be one of ${medicalRecordLevels.join("|")}` };
  }
  if (!isOneOf(prescriptionsLevels, prescriptions)) {
    return { invalid: `prescriptions.accessLevel must be one of ${prescriptionsLevels.join("|")}` };
  }
  if (typeof effectiveDate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(effectiveDate)) {
    return { invalid: "medicalRecord.effectiveDate must be YYYY-MM-DD" };
  }
  return { medicalRecord: { effectiveDate, current, historical }, prescriptions };
}

/** Whether `level` is at least `needed`. */
export function prescriptionsAllow(level: PrescriptionsLevel, needed: PrescriptionsLevel): boolean {
  return prescriptionsLevels.indexOf(level) >= prescriptionsLevels.indexOf(needed);
}

/** Whether the current medical record level is at least `needed`. */
export function medicalRecordAllows(
  levels: PermissionLevels,
  needed: MedicalRecordLevel,
): boolean {
  return medicalRecordLevels.indexOf(levels.medicalRecord.current) >=
    medicalRecordLevels.indexOf(needed);
}
