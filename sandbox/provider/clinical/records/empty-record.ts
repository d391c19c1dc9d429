/**
 * The empty record every smaller fixture record starts from.
 *
 * @module
 */
import type { ClinicalRecord } from "../clinical-record-types.ts";

/**
 * A record with nothing in it; spread it and set the areas a patient has.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ClinicalRecord } from "../clinical-record-types.ts";
 * const record: ClinicalRecord = { ...emptyRecord("9690937278"), noKnownAllergies: true };
 * assert.deepEqual(record.allergies, []);
 * ```
 */
export function emptyRecord(nhsNumber: string): ClinicalRecord {
  return {
    nhsNumber,
    allergies: [],
    noKnownAllergies: false,
    medications: [],
    problems: [],
    consultations: [],
    immunisations: [],
    investigations: [],
    referrals: [],
    uncategorised: [],
    diary: [],
    inTransit: false,
  };
}
