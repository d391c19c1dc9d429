/**
 * Typed values of operation parameter parts (GPC-1.6 retrieve a patient's structured record,
 * parameter table and "Error handling"). Every failure is 422 INVALID_PARAMETER with diagnostics
 * naming the parameter and part:
 *
 * - a part without a value;
 * - a value of the wrong type (`valueBoolean` expected, `valueString` sent …);
 * - a date that is not a whole date (`2014`, `2014-02`, a time or an offset), or not a real day;
 * - a search date after today (before today for the diary search date), a period that starts
 *   after it ends.
 *
 * "Today" is the UTC day of the provider clock, the same day the clinical record is built on.
 *
 * @module
 */
import { fhirDateSpan } from "../fhir-date-span.ts";
import { ProviderError } from "../provider-error.ts";
import type { OperationParameter } from "./parameters-body.ts";

/** A search period of whole dates (`YYYY-MM-DD`), either end open. */
export interface DatePeriod {
  readonly start?: string;
  readonly end?: string;
}

const wholeDate = /^\d{4}-\d{2}-\d{2}$/;

function invalid(label: string, problem: string): ProviderError {
  return new ProviderError("INVALID_PARAMETER", `${label} ${problem}`);
}

/** The UTC day (`YYYY-MM-DD`) of a clock reading. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The part's value of one type, or 422 when it has no value or another type. */
function typedValue(part: OperationParameter, label: string, type: string): unknown {
  if (part.value === undefined) throw invalid(label, "is a part parameter without a value");
  if (part.value.type !== type) {
    throw invalid(label, `must be a value${type}, not a value${part.value.type}`);
  }
  return part.value.value;
}

function checkedDate(value: unknown, label: string): string {
  if (typeof value !== "string" || !wholeDate.test(value)) {
    throw invalid(label, `must be a whole date (YYYY-MM-DD), got ${JSON.stringify(value)}`);
  }
  if (fhirDateSpan(value) === undefined) {
    throw invalid(label, `is not a calendar date: ${value}`);
  }
  return value;
}

/** A `valueBoolean` part. */
export function booleanPart(part: OperationParameter, label: string): boolean {
  const value = typedValue(part, label, "Boolean");
  if (typeof value !== "boolean") throw invalid(label, "must be true or false");
  return value;
}

/** A `valueCode` part whose value is one of `codes`. */
export function codePart<T extends string>(
  part: OperationParameter,
  label: string,
  codes: readonly T[],
): T {
  const value = typedValue(part, label, "Code");
  if (typeof value !== "string" || !codes.includes(value as T)) {
    throw invalid(label, `must be one of ${codes.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** A `valuePositiveInt` part (an integer of at least 1). */
export function positiveIntPart(part: OperationParameter, label: string): number {
  const value = typedValue(part, label, "PositiveInt");
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw invalid(label, `must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A `valueDate` part: a whole date, not after `today` (or, `notBefore`, not before it). */
export function datePart(
  part: OperationParameter,
  label: string,
  today: string,
  rule: "not-after-today" | "not-before-today",
): string {
  const date = checkedDate(typedValue(part, label, "Date"), label);
  if (rule === "not-after-today" && date > today) {
    throw invalid(label, `must not be after the current date ${today}, got ${date}`);
  }
  if (rule === "not-before-today" && date < today) {
    throw invalid(label, `must not be before the current date ${today}, got ${date}`);
  }
  return date;
}

/** A `valuePeriod` part of whole dates, neither after `today`, start not after end. */
export function periodPart(part: OperationParameter, label: string, today: string): DatePeriod {
  const value = typedValue(part, label, "Period");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(label, "must be a Period");
  }
  const raw = value as Record<string, unknown>;
  const extra = Object.keys(raw).filter((key) =>
    !["id", "extension", "start", "end"].includes(key)
  );
  if (extra.length > 0) throw invalid(label, `has unknown element ${extra[0]}`);
  const period: { start?: string; end?: string } = {};
  for (const end of ["start", "end"] as const) {
    if (raw[end] === undefined) continue;
    const date = checkedDate(raw[end], `${label}.${end}`);
    if (date > today) {
      throw invalid(`${label}.${end}`, `must not be after the current date ${today}, got ${date}`);
    }
    period[end] = date;
  }
  if (period.start !== undefined && period.end !== undefined && period.start > period.end) {
    throw invalid(label, `start ${period.start} is after end ${period.end}`);
  }
  return period;
}
