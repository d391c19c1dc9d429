/**
 * The clinical record of each test patient the reference provider holds, built for a clock
 * reading so every date stays relative to today. The one entry point both Access Record Structured
 * and Access Record HTML render from.
 *
 * Only patients with a record the practice serves have one; sensitive, deceased, inactive,
 * superseded and unverified patients have none (they are PATIENT_NOT_FOUND before any record is
 * read). The opted-out patient has a record: refusing to share it is the caller's job
 * (NO_PATIENT_CONSENT). A patient registered through `$gpc.registerpatient` has none either;
 * callers serve `emptyRecord(nhsNumber)` (`records/empty-record.ts`) for them.
 *
 * Every date in a record is an ISO date-time `YYYY-MM-DDThh:mm:00Z` on a whole day offset from the
 * UTC day of `now` (`clinical-dates.ts`), except `inTransitSince` (`YYYY-MM-DD`). Items marked
 * `confidential` or `awaitingFiling` are in the record but must be withheld (with a warning) by
 * whatever renders it, unless a migration with `conf/R` asked for sensitive information.
 *
 * @module
 */
import type { ClinicalRecord } from "./clinical-record-types.ts";
import {
  allergiesPatient6Record,
  allergiesPatient7Record,
  allergiesPatient8Record,
  confidentialAllergyRecord,
  endedAllergiesRecord,
  explicitNkaRecord,
  noAllergiesRecord,
} from "./records/allergy-records.ts";
import {
  inTransitRecord,
  investigationsReferralsDiaryRecord,
  largeDocumentRecord,
  mergedRecord,
  noAppointmentsRecord,
  optedOutRecord,
} from "./records/other-records.ts";
import { richRecord } from "./records/rich-record.ts";

const builders: Readonly<Record<string, (now: Date) => ClinicalRecord>> = {
  "9690937278": noAllergiesRecord,
  "9690937286": richRecord,
  "9690937294": investigationsReferralsDiaryRecord,
  "9690937308": largeDocumentRecord,
  "9690937375": explicitNkaRecord,
  "9690937383": allergiesPatient6Record,
  "9690937391": allergiesPatient7Record,
  "9690937405": allergiesPatient8Record,
  "9690938614": mergedRecord,
  "9690938096": inTransitRecord,
  "9690938576": optedOutRecord,
  "9690938118": confidentialAllergyRecord,
  "9690938126": endedAllergiesRecord,
  "9690938134": noAppointmentsRecord,
};

/**
 * The clinical record of the patient with an NHS number on the day of `now`, or `undefined`
 * when the practice holds no servable record for them. Deterministic: the same UTC day of `now`
 * gives the same record.
 *
 * @example
 * ```ts
 * const record = clinicalRecordFor("9690937286", new Date());
 * record?.allergies.filter((allergy) => allergy.clinicalStatus === "active").length; // 2
 * ```
 */
export function clinicalRecordFor(nhsNumber: string, now: Date): ClinicalRecord | undefined {
  return Object.hasOwn(builders, nhsNumber) ? builders[nhsNumber]?.(now) : undefined;
}

/** The NHS numbers that have a clinical record. */
export const nhsNumbersWithClinicalRecords: readonly string[] = Object.keys(builders);
