/**
 * PDS patient search, the small non-fuzzy subset (reference pds-sds.md §1.2; validation order of
 * the hosted sandbox's `get-patient-search.js`): no parameters → UNSUPPORTED_SERVICE, an unknown
 * one → ADDITIONAL_PROPERTIES, a malformed date → INVALID_VALUE, no birthdate → MISSING_VALUE, no
 * family → INVALID_SEARCH_DATA. More matches than `_max-results` (default 1) → TOO_MANY_MATCHES.
 * Invalidated and superseded numbers are never returned; restricted records are left out when the
 * search uses a postcode or the GP; very restricted ones are never found by demographics.
 *
 * @module
 */
import type { FixturePatient } from "./fixture-patients.ts";
import { PdsError } from "./pds-outcome.ts";

const validParams = new Set([
  "_fuzzy-match",
  "_exact-match",
  "_history",
  "_max-results",
  "family",
  "given",
  "gender",
  "birthdate",
  "death-date",
  "address-postcode",
  "address-postalcode",
  "general-practitioner",
  "email",
  "phone",
]);

/** A date comparison from `birthdate=ge2010-01-01`. */
export interface DateFilter {
  readonly comparator: "eq" | "ge" | "le";
  readonly date: string;
}

/** A validated PDS search. */
export interface PdsSearchQuery {
  readonly family: string;
  readonly given: readonly string[];
  readonly gender: string | undefined;
  readonly birthdate: readonly DateFilter[];
  readonly deathDate: readonly DateFilter[];
  readonly postalCode: string | undefined;
  readonly generalPractitioner: string | undefined;
  readonly phone: string | undefined;
  readonly email: string | undefined;
  readonly maxResults: number;
}

function dateFilters(params: URLSearchParams, name: string): DateFilter[] {
  return params.getAll(name).map((value) => {
    const match = /^(eq|ge|le)?([0-9]{4}-[0-9]{2}-[0-9]{2})$/.exec(value);
    if (!match) {
      throw new PdsError("INVALID_VALUE", `Invalid value - '${value}' in field '${name}'`);
    }
    return { comparator: (match[1] ?? "eq") as DateFilter["comparator"], date: match[2]! };
  });
}

/**
 * Validates search parameters; throws {@linkcode PdsError} like PDS does.
 *
 * @example
 * ```ts
 * parsePdsSearch(new URLSearchParams("family=SKELLY&birthdate=eq1942-02-03")).maxResults; // 1
 * ```
 */
export function parsePdsSearch(params: URLSearchParams): PdsSearchQuery {
  const names = [...new Set(params.keys())];
  if (names.length === 0) throw new PdsError("UNSUPPORTED_SERVICE");
  const unexpected = names.filter((name) => !validParams.has(name));
  if (unexpected.length > 0) {
    const list = unexpected.map((name) => `'${name}'`).join(", ");
    throw new PdsError(
      "ADDITIONAL_PROPERTIES",
      `Invalid request with error - Additional properties are not allowed (${list} ${
        unexpected.length === 1 ? "was" : "were"
      } unexpected)`,
    );
  }
  const birthdate = dateFilters(params, "birthdate");
  const deathDate = dateFilters(params, "death-date");
  if (birthdate.length === 0) {
    throw new PdsError(
      "MISSING_VALUE",
      "Missing value - 'birth_date/birth_date_range_start/birth_date_range_end'",
    );
  }
  const family = params.get("family");
  if (!family) {
    throw new PdsError(
      "INVALID_SEARCH_DATA",
      "Invalid search data provided - 'No searches were performed as the search criteria did not meet the minimum requirements'",
    );
  }
  const maxText = params.get("_max-results");
  const maxResults = maxText === null ? 1 : Number(maxText);
  if (!/^[0-9]{1,2}$/.test(maxText ?? "1") || maxResults < 1 || maxResults > 50) {
    throw new PdsError("INVALID_VALUE", `Invalid value - '${maxText}' in field '_max-results'`);
  }
  return {
    family,
    given: params.getAll("given"),
    gender: params.get("gender") ?? undefined,
    birthdate,
    deathDate,
    postalCode: params.get("address-postalcode") ?? params.get("address-postcode") ?? undefined,
    generalPractitioner: params.get("general-practitioner") ?? undefined,
    phone: params.get("phone") ?? undefined,
    email: params.get("email") ?? undefined,
    maxResults,
  };
}

/** Case-insensitive match with a trailing `*` wildcard, as PDS allows on names and postcodes. */
function textMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const norm = (text: string) => text.replace(/\s+/g, "").toLowerCase();
  return pattern.endsWith("*")
    ? norm(value).startsWith(norm(pattern.slice(0, -1)))
    : norm(value) === norm(pattern);
}

function dateMatches(filters: readonly DateFilter[], value: string | undefined): boolean {
  if (filters.length === 0) return true;
  if (value === undefined) return false;
  const date = value.slice(0, 10);
  return filters.every(({ comparator, date: bound }) =>
    comparator === "eq" ? date === bound : comparator === "ge" ? date >= bound : date <= bound
  );
}

function matches(patient: FixturePatient, query: PdsSearchQuery): boolean {
  const security = patient.pds.security ?? "U";
  if (security === "V") return false;
  if (security === "R" && (query.postalCode || query.generalPractitioner)) return false;
  const name = patient.name;
  if (!name || !textMatches(query.family, name.family)) return false;
  if (!query.given.every((given) => name.given.some((g) => textMatches(given, g)))) return false;
  if (query.gender !== undefined && query.gender.toLowerCase() !== patient.gender) return false;
  if (!dateMatches(query.birthdate, patient.birthDate)) return false;
  if (query.deathDate.length > 0 && !dateMatches(query.deathDate, patient.pds.deceasedDateTime)) {
    return false;
  }
  if (query.postalCode && !textMatches(query.postalCode, patient.address?.postalCode)) return false;
  if (
    query.generalPractitioner &&
    query.generalPractitioner !== patient.pds.generalPractitioner?.odsCode
  ) return false;
  const telecom = patient.telecom ?? [];
  if (query.phone && !telecom.some((t) => t.system === "phone" && t.value === query.phone)) {
    return false;
  }
  if (query.email && !telecom.some((t) => t.system === "email" && t.value === query.email)) {
    return false;
  }
  return true;
}

/**
 * The present records a search matches; throws TOO_MANY_MATCHES past `maxResults`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "./fixture-patients.ts";
 * const query = parsePdsSearch(new URLSearchParams("family=SKELLY&birthdate=1942-02-03"));
 * const found = searchPdsPatients(fixturePatients, query);
 * assert.deepEqual(found.map((patient) => patient.nhsNumber), ["9690937286"]);
 * ```
 */
export function searchPdsPatients(
  patients: readonly FixturePatient[],
  query: PdsSearchQuery,
): FixturePatient[] {
  const found = patients.filter((patient) =>
    patient.pds.record === "present" && matches(patient, query)
  );
  if (found.length > query.maxResults) throw new PdsError("TOO_MANY_MATCHES");
  return found;
}
