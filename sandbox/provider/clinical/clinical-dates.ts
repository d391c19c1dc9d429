/**
 * Dates of the clinical fixtures, relative to the injected clock so the record never goes stale
 * (the demonstrator's fixed dates do: gpconnect-demonstrator issue #374). A date is the UTC day of
 * `now` shifted by whole days, at a fixed time of day, so the same `now` day always gives the same
 * record. Both renderers show a date as `dd-Mmm-yyyy` ({@linkcode displayDate}).
 *
 * @module
 */

/** Builds ISO date-times and dates relative to one clock reading. */
export interface ClinicalDates {
  /** `YYYY-MM-DDThh:mm:00Z`, `days` before today (UTC) at `time` (`hh:mm`, default 09:30). */
  readonly ago: (days: number, time?: string) => string;
  /** `YYYY-MM-DDThh:mm:00Z`, `days` after today (UTC) at `time` (default 09:30). */
  readonly ahead: (days: number, time?: string) => string;
  /** `YYYY-MM-DD`, `days` before today (UTC). */
  readonly dayAgo: (days: number) => string;
  /** `YYYY-MM-DD`, `days` after today (UTC). */
  readonly dayAhead: (days: number) => string;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * Date builders for the day of `now`.
 *
 * @example
 * ```ts
 * clinicalDates(new Date("2025-03-10T15:00:00Z")).ago(9); // "2025-03-01T09:30:00Z"
 * ```
 */
export function clinicalDates(now: Date): ClinicalDates {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const day = (offset: number) => new Date(today + offset * dayMs).toISOString().slice(0, 10);
  const at = (offset: number, time = "09:30") => `${day(offset)}T${time}:00Z`;
  return {
    ago: (days, time) => at(-days, time),
    ahead: (days, time) => at(days, time),
    dayAgo: (days) => day(-days),
    dayAhead: (days) => day(days),
  };
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A date (or the UTC date of a date-time) as `dd-Mmm-yyyy`: the CUI display form of the HTML
 * views' banners and cells and of the structured data-in-transit note.
 *
 * @example
 * ```ts
 * displayDate("2014-05-03T09:30:00Z"); // "03-May-2014"
 * ```
 */
export function displayDate(iso: string): string {
  const [year, month, day] = iso.slice(0, 10).split("-");
  return `${day}-${months[Number(month) - 1]}-${year}`;
}
