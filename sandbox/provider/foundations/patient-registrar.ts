/**
 * The business of `$gpc.registerpatient` once the request is valid (GPC-1.6 register a patient,
 * "Provider system registration requirements"), in the spec's order:
 *
 * 1. PDS retrieval ({@linkcode tracePdsPatient}); PDS unreachable → 500 INTERNAL_SERVER_ERROR.
 * 2. Not on PDS → 400 INVALID_PATIENT_DEMOGRAPHICS; invalidated or superseded → 400
 *    INVALID_NHS_NUMBER (the spec's error table: "invalid or superseded flag").
 * 3. Sensitive (`R` or `V`) or deceased on PDS → 400 INVALID_PATIENT_DEMOGRAPHICS.
 * 4. NHS number not verified by the date of birth / name rule ({@linkcode verificationProblem})
 *    → 400 INVALID_PATIENT_DEMOGRAPHICS.
 * 5. Duplicate prevention against the practice's records by NHS number: an active record (a
 *    fixture patient or an earlier registration) → 409 DUPLICATE_REJECTED; a deceased one → 400
 *    INVALID_PATIENT_DEMOGRAPHICS; an inactive (or never traced) one is re-activated as a
 *    temporary registration keeping its logical id; otherwise a new record gets a new id.
 * 6. The registration (type `T` Temporary) is stored; demographics are the consumer's, completed
 *    from PDS where the consumer sent none (gender, home address, telecom).
 *
 * Registrations of one NHS number are serialised within the process, so two concurrent requests
 * cannot both pass the duplicate check.
 *
 * @module
 */
import type { PatientRegistration } from "../practice/patient-registrations.ts";
import { ProviderError } from "../provider-error.ts";
import {
  type HeldPatient,
  type PracticePatients,
  registeredPatient,
} from "../provider-patients.ts";
import { verificationProblem } from "./nhs-number-verification.ts";
import { type PdsRecord, type PdsTraceOptions, tracePdsPatient } from "./pds-trace.ts";
import type { RegisterPatientRequest } from "./register-patient-request.ts";

/** What {@linkcode patientRegistrar} needs. */
export interface PatientRegistrarOptions {
  readonly odsCode: string;
  readonly patients: PracticePatients;
  readonly pds: PdsTraceOptions;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Registers patients; each call resolves to the registered patient or throws ProviderError. */
export type PatientRegistrar = (request: RegisterPatientRequest) => Promise<HeldPatient>;

function demographics(diagnostics: string): ProviderError {
  return new ProviderError("INVALID_PATIENT_DEMOGRAPHICS", diagnostics);
}

/**
 * A registrar for one practice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { patientRegister, practicePatients } from "../provider-patients.ts";
 * import { inMemoryProviderStore } from "../provider-store.ts";
 * import { pdsSandboxFetch, registerPatientBody, testNow } from "./provider-test-client.ts";
 * import { parseRegisterPatientRequest } from "./register-patient-request.ts";
 * const odsCode = "B82617";
 * const patients = practicePatients({
 *   register: patientRegister(fixturePatients, odsCode),
 *   store: inMemoryProviderStore(),
 *   odsCode,
 * });
 * const registrar = patientRegistrar({
 *   odsCode,
 *   patients,
 *   // PDS: the sandbox app, in-process.
 *   pds: { pdsBaseUrl: "http://pds.test", fetch: pdsSandboxFetch() },
 *   now: () => testNow,
 *   newId: () => crypto.randomUUID(),
 * });
 * // A fixture patient registered at another practice, with the demographics PDS holds.
 * const body = registerPatientBody({
 *   nhsNumber: "9990000204",
 *   family: "NETTLESHIP",
 *   given: "Florence",
 *   birthDate: "1972-01-28",
 * });
 * const held = await registrar(parseRegisterPatientRequest(body));
 * assert.equal(held.registration?.nhsNumber, "9990000204");
 * ```
 */
export function patientRegistrar(options: PatientRegistrarOptions): PatientRegistrar {
  const inFlight = new Map<string, Promise<unknown>>();
  return async (request) => {
    const previous = inFlight.get(request.nhsNumber) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => register(request, options));
    inFlight.set(request.nhsNumber, current);
    try {
      return await current;
    } finally {
      if (inFlight.get(request.nhsNumber) === current) inFlight.delete(request.nhsNumber);
    }
  };
}

async function register(
  request: RegisterPatientRequest,
  options: PatientRegistrarOptions,
): Promise<HeldPatient> {
  const pds = await checkedPdsRecord(request, options);
  const existing = await options.patients.anyRecord(request.nhsNumber);
  if (existing?.registration || existing?.record.status === "active") {
    throw new ProviderError(
      "DUPLICATE_REJECTED",
      `NHS number ${request.nhsNumber} is already registered at ${options.odsCode}`,
    );
  }
  if (existing?.record.status === "deceased") {
    throw demographics(`The practice records NHS number ${request.nhsNumber} as deceased`);
  }
  if (
    existing && existing.record.status !== "inactive" && existing.record.status !== "unverified"
  ) {
    throw demographics(
      `The practice's record of NHS number ${request.nhsNumber} cannot be re-activated`,
    );
  }
  const now = options.now();
  const address = request.address ?? pds.address;
  const telecom = request.telecom ?? (pds.telecom.length ? pds.telecom : undefined);
  const gender = request.gender ?? pds.gender;
  const registration: PatientRegistration = {
    nhsNumber: request.nhsNumber,
    logicalId: existing?.record.logicalId ?? options.newId(),
    versionId: String(now.getTime()),
    registrationType: "T",
    registeredAt: now.toISOString(),
    reactivated: existing !== undefined,
    name: request.name,
    birthDate: request.birthDate,
    ...(gender ? { gender } : {}),
    ...(address ? { address } : {}),
    ...(telecom ? { telecom } : {}),
  };
  await options.patients.registrations.save(registration);
  return registeredPatient(registration, options.odsCode, existing);
}

/** Steps 1–4: the PDS record, or the error the spec prescribes. */
async function checkedPdsRecord(
  request: RegisterPatientRequest,
  options: PatientRegistrarOptions,
): Promise<PdsRecord> {
  const trace = await tracePdsPatient(request.nhsNumber, options.pds);
  if (trace.kind === "not-found") {
    throw demographics(`NHS number ${request.nhsNumber} was not found on PDS`);
  }
  if (trace.kind === "invalidated") {
    throw new ProviderError(
      "INVALID_NHS_NUMBER",
      `The PDS record of NHS number ${request.nhsNumber} is marked invalid`,
    );
  }
  const record = trace.record;
  if (record.nhsNumber !== request.nhsNumber) {
    throw new ProviderError(
      "INVALID_NHS_NUMBER",
      `NHS number ${request.nhsNumber} is superseded on PDS`,
    );
  }
  if (record.security === "R" || record.security === "V") {
    throw demographics(`NHS number ${request.nhsNumber} belongs to a sensitive patient`);
  }
  if (record.deceased) {
    throw demographics(`PDS records NHS number ${request.nhsNumber} as deceased`);
  }
  const problem = verificationProblem(
    { birthDate: request.birthDate, family: request.name.family, given: request.name.given },
    record,
  );
  if (problem !== undefined) throw demographics(problem);
  return record;
}
