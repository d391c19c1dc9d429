/**
 * The patients a provider practice holds: the fixture patients whose provider record is at the
 * practice, by logical id and by NHS number, plus the temporary registrations made through
 * `$gpc.registerpatient` (persisted in the provider's store). Only `active` records are served;
 * GP Connect treats sensitive, deceased, inactive, superseded and unverified patients as not found
 * (reference pds-sds.md §1.6; GPC-1.6 "Find a patient": only active patients are returned).
 *
 * {@linkcode patientRegister} is the synchronous fixture view; {@linkcode practicePatients} is
 * the view every product should serve from, because it also sees registrations.
 *
 * @module
 */
import type { ProviderStore } from "./provider-store.ts";
import type { FixturePatient, FixtureProviderRecord } from "../pds/fixture-patients.ts";
import {
  type PatientRegistration,
  type PatientRegistrations,
  patientRegistrations,
} from "./practice/patient-registrations.ts";

/** A patient held by the practice, with the practice's record of them. */
export interface HeldPatient {
  readonly patient: FixturePatient;
  readonly record: FixtureProviderRecord;
  /** Present when the record is a temporary registration made through `$gpc.registerpatient`. */
  readonly registration?: PatientRegistration;
}

/** A practice's patient register (fixture patients only). */
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
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../pds/fixture-patients.ts";
 * const register = patientRegister(fixturePatients, "B82617");
 * assert.equal(register.byLogicalId("2")?.patient.nhsNumber, "9690937286");
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

/** The served patients of a practice: fixture register and stored registrations together. */
export interface PracticePatients {
  /** The served patient with a logical id. */
  readonly byLogicalId: (id: string) => Promise<HeldPatient | undefined>;
  /** The served patient with an NHS number. */
  readonly byNhsNumber: (nhsNumber: string) => Promise<HeldPatient | undefined>;
  /** Any record the practice holds for an NHS number, served or not (the duplicate check). */
  readonly anyRecord: (nhsNumber: string) => Promise<HeldPatient | undefined>;
  /** The practice's registrations in the store. */
  readonly registrations: PatientRegistrations;
}

/** What {@linkcode practicePatients} reads. */
export interface PracticePatientsOptions {
  readonly register: PatientRegister;
  readonly store: ProviderStore;
  readonly odsCode: string;
}

/**
 * The practice's served patients, registrations first (a re-activated record replaces the
 * inactive fixture record it re-activated).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../pds/fixture-patients.ts";
 * import { inMemoryProviderStore } from "./provider-store.ts";
 * const patients = practicePatients({
 *   register: patientRegister(fixturePatients, "B82617"),
 *   store: inMemoryProviderStore(),
 *   odsCode: "B82617",
 * });
 * assert.equal((await patients.byNhsNumber("9690937278"))?.record.logicalId, "1");
 * ```
 */
export function practicePatients(options: PracticePatientsOptions): PracticePatients {
  const registrations = patientRegistrations(options.store, options.odsCode);
  const heldByNhs = new Map(options.register.held.map((entry) => [entry.patient.nhsNumber, entry]));
  const fromRegistration = (registration: PatientRegistration): HeldPatient =>
    registeredPatient(registration, options.odsCode, heldByNhs.get(registration.nhsNumber));
  return {
    async byLogicalId(id) {
      const registration = await registrations.byLogicalId(id);
      return registration ? fromRegistration(registration) : options.register.byLogicalId(id);
    },
    async byNhsNumber(nhsNumber) {
      const registration = await registrations.byNhsNumber(nhsNumber);
      return registration
        ? fromRegistration(registration)
        : options.register.byNhsNumber(nhsNumber);
    },
    async anyRecord(nhsNumber) {
      const registration = await registrations.byNhsNumber(nhsNumber);
      return registration ? fromRegistration(registration) : heldByNhs.get(nhsNumber);
    },
    registrations,
  };
}

/**
 * A registration as a held patient. A re-activated record keeps the fixture patient's role and
 * test-pack key (so its clinical data still belongs to it) with the registered demographics.
 */
export function registeredPatient(
  registration: PatientRegistration,
  odsCode: string,
  previous?: HeldPatient,
): HeldPatient {
  const demographics = {
    nhsNumber: registration.nhsNumber,
    name: registration.name,
    birthDate: registration.birthDate,
    ...(registration.gender ? { gender: registration.gender } : {}),
    ...(registration.address ? { address: registration.address } : {}),
    ...(registration.telecom ? { telecom: registration.telecom } : {}),
  };
  const patient: FixturePatient = previous ? { ...previous.patient, ...demographics } : {
    role: `registered-${registration.nhsNumber}`,
    description: "temporary registration made through $gpc.registerpatient",
    pds: { record: "present" },
    ...demographics,
  };
  return {
    patient,
    record: { odsCode, logicalId: registration.logicalId, status: "active" },
    registration,
  };
}
