/**
 * A FHIR `date` or `dateTime` read as the span of time it names: `2016` is the whole year,
 * `2016-02` the whole month, `2016-02-03` the whole (UTC) day and a full date-time with seconds
 * and a time zone the instant itself. Search bounds and care-record time periods compare item
 * dates against these spans: `ge`/`start` from the first millisecond, `le`/`end` up to the last.
 *
 * The accepted forms are FHIR's (DSTU2 and STU3 agree): `YYYY`, `YYYY-MM`, `YYYY-MM-DD` and
 * `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`. A time without a zone is invalid (PT-0.7
 * `AccessRecord.feature` "check invalid dateTime format variations" → 422), and so is a date that
 * is not on the calendar (`2019-02-30`).
 *
 * @module
 */

/** The span a FHIR date or dateTime names. */
export interface FhirDateSpan {
  /** The value as sent. */
  readonly text: string;
  /** How precise the value is. */
  readonly precision: "year" | "month" | "day" | "instant";
  /** First millisecond of the span (epoch ms). */
  readonly start: number;
  /** Last millisecond of the span, inclusive (epoch ms). */
  readonly end: number;
  /** The calendar day the span starts on, `YYYY-MM-DD` (the written date for an instant). */
  readonly firstDay: string;
  /** The calendar day the span ends on, `YYYY-MM-DD` (the written date for an instant). */
  readonly lastDay: string;
}

const shape =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

const dayMs = 24 * 60 * 60 * 1000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `Date.UTC` for any year: `Date.UTC` reads years 0–99 as 1900–1999, FHIR's `0042` is year 42.
 */
function utc(year: number, monthIndex: number, day: number): number {
  const date = new Date(Date.UTC(2000, monthIndex, day));
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

/**
 * The span of a FHIR date or dateTime, or `undefined` when `text` is not one.
 *
 * @example
 * ```ts
 * const span = fhirDateSpan("2016-02")!;
 * span.firstDay; // "2016-02-01"
 * span.lastDay; // "2016-02-29"
 * fhirDateSpan("2015-10-23T11:08:32"); // undefined (no time zone)
 * ```
 */
export function fhirDateSpan(text: string): FhirDateSpan | undefined {
  const match = shape.exec(text);
  if (!match) return undefined;
  const [, y, m, d, hh, mm, ss, zone] = match;
  const year = Number(y);
  if (m === undefined) {
    const start = utc(year, 0, 1);
    const end = utc(year + 1, 0, 1) - 1;
    return { text, precision: "year", start, end, firstDay: isoDay(start), lastDay: isoDay(end) };
  }
  const month = Number(m);
  if (month < 1 || month > 12) return undefined;
  if (d === undefined) {
    const start = utc(year, month - 1, 1);
    const end = utc(year, month, 1) - 1;
    return { text, precision: "month", start, end, firstDay: isoDay(start), lastDay: isoDay(end) };
  }
  const day = Number(d);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const written = `${y}-${m}-${d}`;
  if (hh === undefined) {
    const start = utc(year, month - 1, day);
    return {
      text,
      precision: "day",
      start,
      end: start + dayMs - 1,
      firstDay: written,
      lastDay: written,
    };
  }
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  if (zone !== undefined && zone !== "Z") {
    const [zh, zm] = zone.slice(1).split(":").map(Number) as [number, number];
    if (zh > 14 || zm > 59 || (zh === 14 && zm !== 0)) return undefined;
  }
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) return undefined;
  return {
    text,
    precision: "instant",
    start: instant,
    end: instant,
    firstDay: written,
    lastDay: written,
  };
}

/**
 * The epoch milliseconds of an ISO date or date-time held in the clinical and document fixtures
 * (`YYYY-MM-DD` is midnight UTC).
 */
export function instantOf(iso: string): number {
  return Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
}
