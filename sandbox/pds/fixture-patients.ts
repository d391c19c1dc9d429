/**
 * The test patients of `specs/fixture-patients.json`, typed, with lookups by role and NHS number
 * and the resolver for the relative dates (`today+30`) the fixture uses for periods that must stay
 * in the future (or past) whatever day the tests run.
 *
 * @module
 */
import fixtureDoc from "../../specs/fixture-patients.json" with { type: "json" };

/** PDS confidentiality label (`meta.security`, v3-Confidentiality). */
export type SecurityLabel = "U" | "R" | "V";

/**
 * What PDS holds under an NHS number: a record, nothing (404 RESOURCE_NOT_FOUND), an invalidated
 * record (404 INVALIDATED_RESOURCE) or a number superseded by another record (200 with that one).
 */
export type PdsRecordState = "present" | "absent" | "invalidated" | "superseded";

/**
 * A GP provider's view of its record: only `active` patients are served; sensitive, deceased,
 * inactive, superseded and unverified (not traced on PDS) ones are PATIENT_NOT_FOUND / not found.
 */
export type ProviderRecordStatus =
  | "active"
  | "sensitive"
  | "deceased"
  | "inactive"
  | "superseded"
  | "unverified";

/** A person's name. */
export interface FixtureName {
  readonly prefix?: readonly string[];
  readonly given: readonly string[];
  readonly family: string;
}

/** A home address. */
export interface FixtureAddress {
  readonly line: readonly string[];
  readonly city?: string;
  readonly postalCode: string;
}

/** A telecom contact point. */
export interface FixtureTelecom {
  readonly system: string;
  readonly value: string;
  readonly use: string;
}

/** A registration with a GP practice; dates are `yyyy-mm-dd` or `today±N`. */
export interface FixtureGeneralPractitioner {
  readonly odsCode: string;
  readonly start: string;
  readonly end?: string;
}

/** How PDS answers for the patient. */
export interface FixturePds {
  readonly record: PdsRecordState;
  readonly versionId?: string;
  readonly security?: SecurityLabel;
  readonly generalPractitioner?: FixtureGeneralPractitioner;
  /** For `superseded`: the NHS number of the record PDS returns instead. */
  readonly supersededBy?: string;
  readonly deceasedDateTime?: string;
  /** DeathNotificationStatus code: `1` informal, `2` formal. */
  readonly deathNotificationStatus?: "1" | "2" | "U";
}

/** The record a GP provider holds for the patient. */
export interface FixtureProviderRecord {
  readonly odsCode: string;
  readonly logicalId: string;
  readonly status: ProviderRecordStatus;
  readonly optedOut?: boolean;
}

/** One test patient. */
export interface FixturePatient {
  /** Unique lookup key, e.g. `sensitive`, `pds-gp-ended`. */
  readonly role: string;
  /** Key in NHS England's provider test pack (`patient1` …), when the patient comes from it. */
  readonly testPackKey?: string;
  /**
   * The role this patient is one more candidate for (a pool: the harness's preflight takes the
   * first candidate still absent at the target, so a flow that registers one can run again).
   */
  readonly candidateFor?: string;
  readonly description: string;
  readonly nhsNumber: string;
  readonly name?: FixtureName;
  readonly gender?: "male" | "female" | "other" | "unknown";
  readonly birthDate?: string;
  readonly address?: FixtureAddress;
  readonly telecom?: readonly FixtureTelecom[];
  readonly multipleBirthInteger?: number;
  readonly pds: FixturePds;
  readonly provider?: FixtureProviderRecord;
}

/** Every test patient of `specs/fixture-patients.json`. */
export const fixturePatients: readonly FixturePatient[] = fixtureDoc
  .patients as unknown as readonly FixturePatient[];

/**
 * The patient with a role; throws when there is none, so a typo fails loudly in a test.
 *
 * @example
 * ```ts
 * patientByRole("sensitive").nhsNumber; // "9690938533"
 * ```
 */
export function patientByRole(
  role: string,
  patients: readonly FixturePatient[] = fixturePatients,
): FixturePatient {
  const patient = patients.find((candidate) => candidate.role === role);
  if (!patient) throw new RangeError(`No fixture patient has role ${JSON.stringify(role)}`);
  return patient;
}

/** The patient with an NHS number, if any. */
export function patientByNhsNumber(
  nhsNumber: string,
  patients: readonly FixturePatient[] = fixturePatients,
): FixturePatient | undefined {
  return patients.find((candidate) => candidate.nhsNumber === nhsNumber);
}

const relativeDate = /^today(?:([+-])(\d{1,5}))?$/;

/**
 * Resolves a fixture date: `yyyy-mm-dd` stays as is, `today`, `today+30`, `today-7` are days
 * relative to `today` (a `yyyy-mm-dd` string).
 *
 * @example
 * ```ts
 * resolveFixtureDate("today+30", "2025-01-15"); // "2025-02-14"
 * ```
 */
export function resolveFixtureDate(value: string, today: string): string {
  const match = relativeDate.exec(value);
  if (!match) return value;
  const base = new Date(`${today}T00:00:00Z`);
  if (Number.isNaN(base.getTime())) throw new RangeError(`Invalid today ${JSON.stringify(today)}`);
  const days = match[2] === undefined ? 0 : Number(match[2]) * (match[1] === "-" ? -1 : 1);
  base.setUTCDate(base.getUTCDate() + days);
  return base.toISOString().slice(0, 10);
}

/** Today's date (UTC) as `yyyy-mm-dd`. */
export function systemToday(): string {
  return new Date().toISOString().slice(0, 10);
}
