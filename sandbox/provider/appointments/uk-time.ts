/**
 * UK local time for Appointment Management. GP Connect dates are "(UK) local time in the format
 * `yyyy-mm-ddThh:mm:ss+hh:mm`, with the timezone offset `+00:00` for UTC and `+01:00` for BST"
 * (GPC-1.6 search for free slots, read an appointment). BST runs from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October; computed here so the result does
 * not depend on the runtime's time-zone database.
 *
 * Calendar days are counted as "epoch days": whole days since 1970-01-01 of a UK local date.
 *
 * @module
 */

const dayMs = 86_400_000;
const minuteMs = 60_000;

/** Instant (ms) of 01:00 UTC on the last Sunday of a month (0-based) of a year. */
function lastSundayAtOneUtc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0);
  const weekday = new Date(lastDay).getUTCDay();
  return lastDay - weekday * dayMs + 60 * minuteMs;
}

/**
 * The UK offset from UTC in minutes at an instant: 60 in BST, else 0.
 *
 * @example
 * ```ts
 * ukOffsetMinutes(new Date("2025-07-01T12:00:00Z")); // 60
 * ```
 */
export function ukOffsetMinutes(instant: Date): 0 | 60 {
  const year = instant.getUTCFullYear();
  const ms = instant.getTime();
  return ms >= lastSundayAtOneUtc(year, 2) && ms < lastSundayAtOneUtc(year, 9) ? 60 : 0;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * An instant as UK local time, `yyyy-mm-ddThh:mm:ss+hh:mm`.
 *
 * @example
 * ```ts
 * formatUkDateTime(new Date("2025-07-01T08:00:00Z")); // "2025-07-01T09:00:00+01:00"
 * ```
 */
export function formatUkDateTime(instant: Date): string {
  const offset = ukOffsetMinutes(instant);
  const local = new Date(instant.getTime() + offset * minuteMs);
  return `${local.toISOString().slice(0, 19)}+${pad(offset / 60)}:00`;
}

/** The UK local calendar date of an instant as an epoch day. */
export function ukEpochDay(instant: Date): number {
  return Math.floor((instant.getTime() + ukOffsetMinutes(instant) * minuteMs) / dayMs);
}

/** `yyyy-mm-dd` of an epoch day. */
export function epochDayToDate(epochDay: number): string {
  return new Date(epochDay * dayMs).toISOString().slice(0, 10);
}

/** Day of the week of an epoch day: 0 Sunday … 6 Saturday. */
export function epochDayWeekday(epochDay: number): number {
  return new Date(epochDay * dayMs).getUTCDay();
}

/**
 * The epoch day of a `yyyy-mm-dd` date, or `undefined` when it is no calendar date.
 *
 * @example
 * ```ts
 * dateToEpochDay("1970-01-02"); // 1
 * dateToEpochDay("2016-13-14"); // undefined
 * ```
 */
export function dateToEpochDay(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) return undefined;
  return ms / dayMs;
}

/**
 * The instant of a UK local wall-clock time: minutes after local midnight of an epoch day.
 *
 * @example
 * ```ts
 * ukLocalInstant(dateToEpochDay("2025-07-01")!, 9 * 60).toISOString(); // "2025-07-01T08:00:00.000Z"
 * ```
 */
export function ukLocalInstant(epochDay: number, minutesOfDay: number): Date {
  const wall = epochDay * dayMs + minutesOfDay * minuteMs;
  let instant = wall - ukOffsetMinutes(new Date(wall)) * minuteMs;
  const offset = ukOffsetMinutes(new Date(instant));
  instant = wall - offset * minuteMs;
  return new Date(instant);
}

/** Wall-clock milliseconds of an instant in UK local time (for day-length arithmetic). */
export function ukWallClockMs(instant: Date): number {
  return instant.getTime() + ukOffsetMinutes(instant) * minuteMs;
}

/** Milliseconds in a calendar day. */
export const msPerDay = dayMs;
