/**
 * Which items of each clinical area a query matches (GPC-1.6 retrieve a patient's structured
 * record, "Payload response body" per area), before any item is withheld:
 *
 * - medications: active on or after `medicationSearchFromDate` — active from start to end
 *   inclusive; without an end an acute is active on its start day only and anything else is
 *   ongoing; issues are returned on or after the same date;
 * - consultations: `Encounter.period.start` on or after the period start and `period.end` on or
 *   before its end; `includeNumberOfMostRecent` keeps the N latest starts;
 * - problems: any `includeProblems` pair matches (status and significance both, when given);
 * - immunisations: given ones, plus not-given ones with `includeNotGiven`;
 * - uncategorised data, investigations and referrals: effective date, `DiagnosticReport.issued`
 *   and `authoredOn` within the period (whole days, inclusive);
 * - diary entries: occurring on or before `diaryEntriesSearchDate`.
 *
 * @module
 */
import type {
  ClinicalRecord,
  ConsultationItem,
  MedicationItem,
  ProblemItem,
} from "../clinical/clinical-record-types.ts";
import type { DatePeriod } from "./part-values.ts";
import type { ProblemFilter } from "./structured-query.ts";
import { dayOf } from "./resources/resource-common.ts";

/** Whether an ISO date or date-time falls in a whole-day period. */
export function inPeriod(value: string, period: DatePeriod | undefined): boolean {
  const day = dayOf(value);
  return (period?.start === undefined || day >= period.start) &&
    (period?.end === undefined || day <= period.end);
}

/** Whether a medication is active on or after `from` (`YYYY-MM-DD`). */
export function activeOnOrAfter(medication: MedicationItem, from: string | undefined): boolean {
  if (from === undefined) return true;
  const end = medication.end ??
    (medication.prescriptionType === "acute" ? medication.start : undefined);
  return end === undefined || dayOf(end) >= from;
}

/** The medications a query matches. */
export function matchingMedications(
  record: ClinicalRecord,
  searchFrom: string | undefined,
): MedicationItem[] {
  return record.medications.filter((medication) => activeOnOrAfter(medication, searchFrom));
}

/** The consultations a query matches, most recent first when limited. */
export function matchingConsultations(
  record: ClinicalRecord,
  query: { readonly period?: DatePeriod; readonly mostRecent?: number },
): ConsultationItem[] {
  const inRange = record.consultations.filter((consultation) =>
    (query.period?.start === undefined || dayOf(consultation.start) >= query.period.start) &&
    (query.period?.end === undefined || dayOf(consultation.end) <= query.period.end)
  );
  if (query.mostRecent === undefined) return inRange;
  return [...inRange].sort((a, b) => b.start.localeCompare(a.start)).slice(0, query.mostRecent);
}

/** The problems any of the filters match. */
export function matchingProblems(
  record: ClinicalRecord,
  filters: readonly ProblemFilter[],
): ProblemItem[] {
  return record.problems.filter((problem) =>
    filters.some((filter) =>
      (filter.status === undefined || filter.status === problem.status) &&
      (filter.significance === undefined || filter.significance === problem.significance)
    )
  );
}
