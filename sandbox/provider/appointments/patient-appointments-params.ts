/**
 * The date range of Retrieve a patient's appointments (GPC-1.6
 * `appointments_use_case_retrieve_a_patients_appointments`): exactly two `start` parameters, one
 * `ge` and one `le`, each a whole date `yyyy-mm-dd` (no time), the lower bound not before today
 * (UK local date) and the upper not before the lower. Anything else → 422 INVALID_PARAMETER with
 * a diagnostic saying why; appointments in the past cannot be requested.
 *
 * @module
 */
import { ProviderError } from "../provider-error.ts";
import { dateToEpochDay, epochDayToDate } from "./uk-time.ts";

/** Inclusive range of UK local dates, as epoch days. */
export interface DayRange {
  readonly first: number;
  readonly last: number;
}

function invalid(diagnostics: string): never {
  throw new ProviderError("INVALID_PARAMETER", diagnostics);
}

/**
 * The requested range; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * appointmentDayRange(new URLSearchParams("start=ge2025-01-15&start=le2025-01-31"), 20103);
 * // { first: 20103, last: 20119 }
 * ```
 */
export function appointmentDayRange(params: URLSearchParams, today: number): DayRange {
  const values = params.getAll("start").map((value) => value.trim());
  if (values.length !== 2) {
    invalid("Two start parameters are required: start=geYYYY-MM-DD and start=leYYYY-MM-DD");
  }
  const bound = (prefix: "ge" | "le"): number => {
    const matching = values.filter((value) => value.startsWith(prefix));
    if (matching.length !== 1) {
      invalid(`Exactly one start parameter must have the ${prefix} prefix`);
    }
    const date = matching[0]!.slice(2);
    const day = dateToEpochDay(date);
    if (day === undefined) {
      invalid(
        `start=${matching[0]} must be ${prefix} followed by a date yyyy-mm-dd, without a time`,
      );
    }
    return day;
  };
  const first = bound("ge");
  const last = bound("le");
  if (first < today) {
    invalid(
      `Appointments in the past cannot be requested: the earliest start is today, ${
        epochDayToDate(today)
      }`,
    );
  }
  if (last < first) invalid("The le date is before the ge date");
  return { first, last };
}
