/**
 * Reading a PDS `Patient` (reference pds-sds.md §1.5–§1.7): the current registered practice, the
 * current family names and the date of birth, on the UK civil date PDS dates are in.
 *
 * - The current GP is the `generalPractitioner` whose `identifier.period` (the period sits inside
 *   the identifier) covers today; a missing period is open, a partial date is widened to its
 *   first day (start) or last possible day (end).
 * - Current names are the patient's own names (`usual`, `official`, `temp` or no use; not `old`,
 *   `maiden`, `nickname` or `anonymous`) whose `period`, if any, covers today; `usual` ones first,
 *   since PDS holds the patient's main name as `usual`.
 *
 * @module
 */
import { identifierSystems } from "../../gpconnect/identifier-systems.ts";
import type { PatientDemographics } from "./directory-types.ts";

/** The parts of a PDS Patient gpc-edge reads; everything is `unknown` until checked. */
export interface PdsPatient {
  resourceType?: unknown;
  id?: unknown;
  meta?: { versionId?: unknown; security?: Array<{ code?: unknown }> };
  name?: Array<{ use?: unknown; family?: unknown; period?: { start?: unknown; end?: unknown } }>;
  birthDate?: unknown;
  generalPractitioner?: Array<
    {
      identifier?: {
        system?: unknown;
        value?: unknown;
        period?: { start?: unknown; end?: unknown };
      };
    }
  >;
  deceasedDateTime?: unknown;
  deceasedBoolean?: unknown;
}

/** A registration with a practice, dates as PDS wrote them. */
export interface PracticeRegistration {
  readonly odsCode: string;
  readonly start: string | undefined;
  readonly end: string | undefined;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** Every practice registration PDS lists, current or not. */
export function practiceRegistrations(patient: PdsPatient): PracticeRegistration[] {
  return (patient.generalPractitioner ?? []).flatMap((gp) => {
    const id = gp.identifier;
    const odsCode = text(id?.value);
    if (odsCode === undefined) return [];
    if (id?.system !== undefined && id.system !== identifierSystems.odsOrganizationCode) return [];
    return [{ odsCode, start: text(id?.period?.start), end: text(id?.period?.end) }];
  });
}

/** Whether a period (either end may be open) covers `today` (`yyyy-mm-dd`). */
export function periodCovers(start: string | undefined, end: string | undefined, today: string) {
  return (start === undefined || fullDate(start, "start") <= today) &&
    (end === undefined || fullDate(end, "end") >= today);
}

/** The registration current on `today`, if any. */
export function currentPractice(
  registrations: readonly PracticeRegistration[],
  today: string,
): PracticeRegistration | undefined {
  return registrations.find((p) => periodCovers(p.start, p.end, today));
}

/** Whether PDS records the patient as deceased. */
export function isDeceased(patient: PdsPatient): boolean {
  return (typeof patient.deceasedDateTime === "string" && patient.deceasedDateTime !== "") ||
    patient.deceasedBoolean === true;
}

/** The confidentiality labels (`meta.security[].code`). */
export function securityLabels(patient: PdsPatient): unknown[] {
  return (patient.meta?.security ?? []).map((label) => label.code);
}

const currentNameUses: ReadonlySet<unknown> = new Set(["usual", "official", "temp", undefined]);

/**
 * The demographics GPPROVIDER routing compares a MESH address with. Fields PDS withholds (no GP
 * for `R`, no name or birth date for `V`) come back absent: the router then fails closed.
 */
export function patientDemographics(
  patient: PdsPatient,
  requested: string,
  nhsNumber: string,
  today: string,
): PatientDemographics {
  const names = (patient.name ?? []).filter((name) =>
    currentNameUses.has(name.use) && text(name.family) !== undefined &&
    periodCovers(text(name.period?.start), text(name.period?.end), today)
  );
  names.sort((a, b) => Number(b.use === "usual") - Number(a.use === "usual"));
  return {
    requestedNhsNumber: requested,
    nhsNumber,
    superseded: nhsNumber !== requested,
    birthDate: text(patient.birthDate),
    familyNames: [...new Set(names.map((name) => name.family as string))],
    gpOdsCode: currentPractice(practiceRegistrations(patient), today)?.odsCode,
    deceased: isDeceased(patient),
  };
}

/**
 * A FHIR date (`yyyy`, `yyyy-mm`, `yyyy-mm-dd` or a dateTime) as `yyyy-mm-dd`, a partial date
 * widened to its first day (`start`) or its last possible day (`end`), so string comparison with
 * today is a date comparison.
 */
export function fullDate(value: string, edge: "start" | "end"): string {
  const date = value.slice(0, 10);
  if (date.length === 10) return date;
  if (date.length === 7) return `${date}-${edge === "start" ? "01" : "31"}`;
  return `${date}-${edge === "start" ? "01-01" : "12-31"}`;
}

const londonDate = (() => {
  try {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: "Europe/London",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
  } catch {
    return undefined;
  }
})();

/** Today's date in England (PDS dates are UK civil dates), `yyyy-mm-dd`. */
export function ukDate(nowMs: number): string {
  const parts = londonDate?.formatToParts(nowMs);
  const part = (type: string) => parts?.find((p) => p.type === type)?.value;
  const [year, month, day] = [part("year"), part("month"), part("day")];
  if (year && month && day) return `${year}-${month}-${day}`;
  return new Date(nowMs).toISOString().slice(0, 10);
}
