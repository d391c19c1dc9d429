/**
 * The patients a provider practice holds: the fixture patients whose provider record is at the
 * practice, by logical id and by NHS number. Only `active` records are served; GP Connect treats
 * sensitive, deceased, inactive, superseded and unverified patients as not found (reference
 * pds-sds.md §1.6; GPC-1.6 "Find a patient": only active patients are returned).
 *
 * @module
 */
import type { FixturePatient, FixtureProviderRecord } from "../pds/fixture-patients.ts";

/** A patient held by the practice, with the practice's record of them. */
export interface HeldPatient {
  readonly patient: FixturePatient;
  readonly record: FixtureProviderRecord;
}

/** A practice's patient register. */
export interface PatientRegister {
  /** The served (active) patient with a logical id. */
  readonly byLogicalId: (id: string) => HeldPatient | undefined;
  /** The served (active) patient with an NHS number. */
  readonly byNhsNumber: (nhsNumber: string) => HeldPatient | undefined;
  /** Every patient held, served or not. */
  readonly held: readonly HeldPatient[];
}

/**
 * The register of the practice `odsCode`.
 *
 * @example
 * ```ts
 * patientRegister(fixturePatients, "B82617").byLogicalId("2")?.patient.nhsNumber; // "9690937286"
 * ```
 */
export function patientRegister(
  patients: readonly FixturePatient[],
  odsCode: string,
): PatientRegister {
  const held: HeldPatient[] = [];
  for (const patient of patients) {
    if (patient.provider?.odsCode === odsCode) held.push({ patient, record: patient.provider });
  }
  const served = held.filter((entry) => entry.record.status === "active");
  const byId = new Map(served.map((entry) => [entry.record.logicalId, entry]));
  const byNhs = new Map(served.map((entry) => [entry.patient.nhsNumber, entry]));
  return {
    byLogicalId: (id) => byId.get(id),
    byNhsNumber: (nhsNumber) => byNhs.get(nhsNumber),
    held,
  };
}
