/**
 * The query of Search for free slots, checked (GPC-1.6 `appointments_use_case_search_for_free_slots`;
 * PT-1.6 `SearchForFreeSlots.feature`):
 *
 * - `start`, `end` and `status` each exactly once. Absent → 400 BAD_REQUEST (PT "missing
 *   parameters"); present but blank, repeated or invalid → 422 INVALID_PARAMETER (PT "invalid
 *   parameter values": the demonstrator answers blank dates 400, which is its known fault).
 * - `start=ge…`, `end=le…`; any other or no prefix → 422. Values are `yyyy-mm-dd` or
 *   `yyyy-mm-ddThh:mm:ss±hh:mm`; partial dates, `Z` and offset-less times → 422.
 * - `end` before `start`, or more than 14 days after it → 422.
 * - `status=free` only → else 422.
 * - `_include=Slot:schedule` required → else 422; the recursive includes
 *   `Schedule:actor:Practitioner|Location|HealthcareService` and `Location:managingOrganization`
 *   may come as `_include` or `_include:recurse`; any other include → 422.
 * - `searchFilter=system|code`: ODS code and organisation type are applied; other systems are
 *   ignored, as the spec requires.
 *
 * A date-only `start` means from the start of that UK day; a date-only `end` means to the end of
 * that UK day. The 14-day limit compares the dates (or date-times) as written.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { ProviderError } from "../provider-error.ts";
import { organisationTypeSystem } from "../practice/practice-resources.ts";
import { dateToEpochDay, msPerDay, ukLocalInstant, ukWallClockMs } from "./uk-time.ts";

/** A checked Search for free slots query. */
export interface SlotQuery {
  /** Slots must start at or after it. */
  readonly from: Date;
  /** Slots must end at or before it. */
  readonly to: Date;
  readonly includePractitioners: boolean;
  readonly includeLocations: boolean;
  /** Consumer organisation types from `searchFilter`. */
  readonly organisationTypes: readonly string[];
  /** Consumer ODS codes from `searchFilter`. */
  readonly odsCodes: readonly string[];
}

const maxRangeDays = 14;
const recursiveIncludes = new Set([
  "Schedule:actor:Practitioner",
  "Schedule:actor:Location",
  "Schedule:actor:HealthcareService",
  "Location:managingOrganization",
]);

function invalid(diagnostics: string): ProviderError {
  return new ProviderError("INVALID_PARAMETER", diagnostics);
}

/** A bound: the instant it denotes and the instant the range limit measures from. */
interface Bound {
  readonly instant: Date;
  readonly nominal: Date;
}

/**
 * Parses `yyyy-mm-dd` or `yyyy-mm-ddThh:mm:ss±hh:mm`; a date means its start, or with
 * `endOfDay` its end (the next local midnight).
 */
export function parseSearchDate(text: string, endOfDay: boolean): Bound | undefined {
  const day = dateToEpochDay(text);
  if (day !== undefined) {
    return {
      instant: ukLocalInstant(endOfDay ? day + 1 : day, 0),
      nominal: ukLocalInstant(day, 0),
    };
  }
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!match || dateToEpochDay(match[1]!) === undefined) return undefined;
  const [hh, mm, ss, oh, om] = [match[2], match[3], match[4], match[6], match[7]].map(Number);
  if (hh! > 23 || mm! > 59 || ss! > 59 || oh! > 14 || om! > 59) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : { instant, nominal: instant };
}

function single(params: URLSearchParams, name: string): string {
  const values = params.getAll(name);
  if (values.length > 1) throw invalid(`The ${name} parameter may be given only once`);
  const value = values[0]!.trim();
  if (value === "") throw invalid(`The ${name} parameter has no value`);
  return value;
}

function bound(params: URLSearchParams, name: "start" | "end"): Bound {
  const prefix = name === "start" ? "ge" : "le";
  // An unencoded `+` in a time-zone offset arrives as a space.
  const value = single(params, name).replace(/ /g, "+");
  if (!value.startsWith(prefix)) {
    throw invalid(`The ${name} parameter must have the ${prefix} prefix, got ${value}`);
  }
  const parsed = parseSearchDate(value.slice(2), name === "end");
  if (!parsed) {
    throw invalid(
      `The ${name} parameter must be ${prefix}yyyy-mm-dd or ${prefix}yyyy-mm-ddThh:mm:ss+hh:mm, got ${value}`,
    );
  }
  return parsed;
}

/**
 * Checks a Search for free slots query; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * slotQuery(new URLSearchParams("start=ge2025-01-16&end=le2025-01-20&status=free&_include=Slot:schedule"));
 * ```
 */
export function slotQuery(params: URLSearchParams): SlotQuery {
  for (const name of ["start", "end", "status"]) {
    if (!params.has(name)) {
      throw new ProviderError("BAD_REQUEST", `The ${name} parameter is required`);
    }
  }
  const status = single(params, "status");
  if (status !== "free") throw invalid(`The status parameter must be free, got ${status}`);
  const start = bound(params, "start");
  const end = bound(params, "end");
  const rangeMs = ukWallClockMs(end.nominal) - ukWallClockMs(start.nominal);
  if (rangeMs < 0) throw invalid("The end parameter is before the start parameter");
  if (rangeMs > maxRangeDays * msPerDay) {
    throw invalid(`The search period may be at most ${maxRangeDays} days`);
  }

  const includes = [...params.getAll("_include"), ...params.getAll("_include:recurse")];
  const unknown = includes.filter((value) =>
    value !== "Slot:schedule" && !recursiveIncludes.has(value)
  );
  if (unknown.length > 0) throw invalid(`Unsupported _include ${unknown.join(", ")}`);
  if (!includes.includes("Slot:schedule")) throw invalid("_include=Slot:schedule is required");

  const organisationTypes: string[] = [];
  const odsCodes: string[] = [];
  for (const filter of params.getAll("searchFilter")) {
    const bar = filter.indexOf("|");
    if (bar < 0) continue;
    const system = filter.slice(0, bar);
    const code = filter.slice(bar + 1).trim();
    if (code === "") continue;
    if (system === organisationTypeSystem) organisationTypes.push(code);
    else if (system === identifierSystems.odsOrganizationCode) odsCodes.push(code);
  }

  return {
    from: start.instant,
    to: end.instant,
    includePractitioners: includes.includes("Schedule:actor:Practitioner"),
    includeLocations: includes.includes("Schedule:actor:Location"),
    organisationTypes,
    odsCodes,
  };
}
