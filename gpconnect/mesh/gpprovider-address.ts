/**
 * The GPPROVIDER automated routing address, `GPPROVIDER_{NHS number}_{date of birth}_{surname}`
 * (shared/reference/mesh.md §5.2), built by senders and parsed by the MESH service.
 *
 * - The literal `GPPROVIDER_` must be upper case: anything else is an ordinary mailbox id.
 * - The date of birth is `YYYYMMDD` (MESH guidance, GP Connect 1.5.1). Older GP Connect Messaging
 *   pages say `DDMMYYYY`; a date that is not a real `YYYYMMDD` date but is a real `DDMMYYYY` one
 *   is accepted and reported as such, so the caller can flag it. With years from 1800 on, no
 *   8-digit string is a real date both ways, so the reading is never ambiguous.
 * - The surname is everything after the third `_`, so a surname can hold spaces, hyphens and
 *   apostrophes; MESH's sandbox upper-cases `mex-To`, so matching must be case-insensitive.
 * - Parsing never judges the NHS number or the patient: it returns the parts as written, and the
 *   router decides (EPL-152, EPL-153, EPL-154) in MESH's order.
 *
 * @module
 */

/** The prefix that asks MESH for automated routing. */
export const gpProviderPrefix = "GPPROVIDER_";

/** How a GPPROVIDER address wrote the date of birth. */
export type DateOfBirthFormat = "YYYYMMDD" | "DDMMYYYY";

/** A parsed GPPROVIDER address: the parts as written, and the date when it is one. */
export interface GpProviderAddress {
  /** The NHS number part, as written (not checked). */
  readonly nhsNumber: string;
  /** The date-of-birth part, as written. */
  readonly dateOfBirthText: string;
  /** The date of birth as `yyyy-mm-dd`, or `undefined` when the part is not a real date. */
  readonly dateOfBirth: string | undefined;
  /** Which format the date was read in (`undefined` when it is not a date). */
  readonly dateOfBirthFormat: DateOfBirthFormat | undefined;
  /** The surname part, trimmed (may be empty). */
  readonly surname: string;
}

/** What {@linkcode buildGpProviderAddress} needs. */
export interface GpProviderAddressParts {
  /** The patient's NHS number (written as given: negative tests may pass a wrong one). */
  readonly nhsNumber: string;
  /** The date of birth, `yyyy-mm-dd` (PDS's `birthDate`). */
  readonly birthDate: string;
  /** The family name as PDS holds it. */
  readonly familyName: string;
  /** `YYYYMMDD` (default, what MESH documents) or the legacy `DDMMYYYY`. */
  readonly dateOfBirthFormat?: DateOfBirthFormat;
}

/**
 * Whether `mexTo` asks for automated routing (starts with upper-case `GPPROVIDER_`).
 *
 * @example
 * ```ts
 * isGpProviderAddress("GPPROVIDER_9690937286_19420203_SKELLY"); // true
 * isGpProviderAddress("gpprovider_9690937286_19420203_SKELLY"); // false
 * ```
 */
export function isGpProviderAddress(mexTo: string): boolean {
  return mexTo.startsWith(gpProviderPrefix);
}

/**
 * Builds `GPPROVIDER_{nhs}_{dob}_{surname}`. Throws `RangeError` when `birthDate` is not a full
 * `yyyy-mm-dd` date or the surname is empty, holds `_` or a control character (it would not
 * parse back to itself).
 *
 * @example
 * ```ts
 * buildGpProviderAddress({ nhsNumber: "9690937286", birthDate: "1942-02-03", familyName: "Skelly" });
 * // "GPPROVIDER_9690937286_19420203_Skelly"
 * ```
 */
export function buildGpProviderAddress(parts: GpProviderAddressParts): string {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(parts.birthDate);
  if (!match) {
    throw new RangeError(`birth date ${JSON.stringify(parts.birthDate)} is not yyyy-mm-dd`);
  }
  const surname = parts.familyName.trim();
  // deno-lint-ignore no-control-regex
  if (surname === "" || /[_\x00-\x1f\x7f]/.test(surname)) {
    throw new RangeError("the family name must be non-empty, without `_` or control characters");
  }
  const [, year, month, day] = match;
  const date = parts.dateOfBirthFormat === "DDMMYYYY"
    ? `${day}${month}${year}`
    : `${year}${month}${day}`;
  return `${gpProviderPrefix}${parts.nhsNumber}_${date}_${surname}`;
}

/**
 * Splits a GPPROVIDER address into its parts, or `undefined` when `mexTo` is not one. Missing
 * parts come back empty, so the router can still say which check fails first.
 *
 * @example
 * ```ts
 * const address = parseGpProviderAddress("GPPROVIDER_9690937286_03021942_Skelly");
 * address?.dateOfBirth; // "1942-02-03"
 * address?.dateOfBirthFormat; // "DDMMYYYY"
 * ```
 */
export function parseGpProviderAddress(mexTo: string): GpProviderAddress | undefined {
  if (!isGpProviderAddress(mexTo)) return undefined;
  const [nhsNumber = "", dateOfBirthText = "", ...surname] = mexTo
    .slice(gpProviderPrefix.length)
    .split("_");
  const date = readDateOfBirth(dateOfBirthText);
  return {
    nhsNumber,
    dateOfBirthText,
    dateOfBirth: date?.date,
    dateOfBirthFormat: date?.format,
    surname: surname.join("_").trim(),
  };
}

/** Earliest year read as a date of birth: keeps YYYYMMDD and DDMMYYYY from both matching. */
const earliestYear = 1800;

function readDateOfBirth(
  text: string,
): { date: string; format: DateOfBirthFormat } | undefined {
  if (!/^[0-9]{8}$/.test(text)) return undefined;
  const iso = calendarDate(text.slice(0, 4), text.slice(4, 6), text.slice(6, 8));
  if (iso) return { date: iso, format: "YYYYMMDD" };
  const legacy = calendarDate(text.slice(4, 8), text.slice(2, 4), text.slice(0, 2));
  return legacy ? { date: legacy, format: "DDMMYYYY" } : undefined;
}

/** `yyyy-mm-dd` when the parts name a real day from {@linkcode earliestYear} on. */
function calendarDate(year: string, month: string, day: string): string | undefined {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  if (y < earliestYear || m < 1 || m > 12 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= daysInMonth ? `${year}-${month}-${day}` : undefined;
}
