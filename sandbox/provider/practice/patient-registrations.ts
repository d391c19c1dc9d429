/**
 * Temporary registrations made through `$gpc.registerpatient`, persisted in the provider's store
 * so they survive restarts (Deno KV in `deno task start`).
 *
 * Key schema: `provider:{odsCode}:registration:{nhsNumber}` → {@linkcode PatientRegistration}.
 * One registration per NHS number and practice; the NHS number is the key because the duplicate
 * check (409 DUPLICATE_REJECTED) asks by NHS number. Reads by logical id scan the practice's
 * registrations, which is fine for a sandbox's handful.
 *
 * @module
 */
import type { ProviderStore } from "../provider-store.ts";
import type { FixtureAddress, FixtureName, FixtureTelecom } from "../../pds/fixture-patients.ts";

/**
 * GP Connect registers federated patients as **temporary** (CareConnect-RegistrationType-1 `T`;
 * GPC-1.6 register a patient: "MUST NOT create or re-activate a patient as a GMS (regular)
 * patient").
 */
export type RegistrationTypeCode = "T";

/** One temporary registration, as stored. */
export interface PatientRegistration {
  readonly nhsNumber: string;
  /** The Patient's logical id: new, or the re-activated record's. */
  readonly logicalId: string;
  /** `meta.versionId` and ETag of the Patient: epoch milliseconds of the registration. */
  readonly versionId: string;
  readonly registrationType: RegistrationTypeCode;
  /** `registrationPeriod.start`, an instant. */
  readonly registeredAt: string;
  /** Whether an inactive record of the practice was re-activated (keeps its logical id). */
  readonly reactivated: boolean;
  readonly name: FixtureName;
  readonly gender?: "male" | "female" | "other" | "unknown";
  readonly birthDate: string;
  readonly address?: FixtureAddress;
  readonly telecom?: readonly FixtureTelecom[];
}

/** A practice's registrations in the store. */
export interface PatientRegistrations {
  /** The registration of an NHS number, if any. */
  readonly byNhsNumber: (nhsNumber: string) => Promise<PatientRegistration | undefined>;
  /** The registration whose Patient has a logical id, if any. */
  readonly byLogicalId: (logicalId: string) => Promise<PatientRegistration | undefined>;
  /** Stores (or replaces) a registration. */
  readonly save: (registration: PatientRegistration) => Promise<void>;
}

/** The store key prefix of a practice's registrations. */
export function registrationKeyPrefix(odsCode: string): string {
  return `provider:${odsCode}:registration:`;
}

/**
 * The store key of one registration.
 *
 * @example
 * ```ts
 * registrationKey("B82617", "9990000204"); // "provider:B82617:registration:9990000204"
 * ```
 */
export function registrationKey(odsCode: string, nhsNumber: string): string {
  return `${registrationKeyPrefix(odsCode)}${nhsNumber}`;
}

/**
 * The registrations of practice `odsCode` in `store`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * const registrations = patientRegistrations(inMemoryProviderStore(), "B82617");
 * assert.equal(await registrations.byNhsNumber("9990000204"), undefined); // until registered
 * ```
 */
export function patientRegistrations(store: ProviderStore, odsCode: string): PatientRegistrations {
  return {
    byNhsNumber: (nhsNumber) => store.get<PatientRegistration>(registrationKey(odsCode, nhsNumber)),
    async byLogicalId(logicalId) {
      const entries = await store.list<PatientRegistration>(registrationKeyPrefix(odsCode));
      return entries.find((entry) => entry.value.logicalId === logicalId)?.value;
    },
    save: (registration) =>
      store.set(registrationKey(odsCode, registration.nhsNumber), registration),
  };
}
