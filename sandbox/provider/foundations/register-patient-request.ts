/**
 * Reads the body of `POST /Patient/$gpc.registerpatient` (GPC-1.6 register a patient, "Payload
 * request body"; OperationDefinition `GPConnect-RegisterPatient-Operation-1`): a `Parameters`
 * resource with exactly one parameter, `registerPatient`, holding a `CareConnect-GPC-Patient-1`
 * Patient with at least the NHS number, one `official` name with `family` and `given`, and
 * `birthDate`; `gender`, `address` and `telecom` are optional. All other Patient elements MUST
 * NOT be populated, and the consumer SHALL NOT send `registrationDetails`.
 *
 * | Problem | Answer |
 * |---|---|
 * | body is not JSON, or not a Parameters; no, another or a second parameter; `registerPatient` not a Patient; a missing or malformed minimum element; an element that must not be sent | 422 INVALID_RESOURCE |
 * | identifiers present but none in `https://fhir.nhs.uk/Id/nhs-number` | 400 INVALID_IDENTIFIER_SYSTEM |
 * | the NHS number fails format or check digit | 400 INVALID_NHS_NUMBER |
 *
 * @module
 */
import { isJsonObject } from "../../../gpconnect/json-object.ts";
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { nhsNumberProblem } from "../../../gpconnect/nhs-number.ts";
import type { FixtureAddress, FixtureName, FixtureTelecom } from "../../pds/fixture-patients.ts";
import { ProviderError } from "../provider-error.ts";

/** What the consumer asked to register. */
export interface RegisterPatientRequest {
  readonly nhsNumber: string;
  readonly name: FixtureName;
  readonly birthDate: string;
  readonly gender?: "male" | "female" | "other" | "unknown";
  /** The home address, when sent with a postcode. */
  readonly address?: FixtureAddress;
  /** Telecoms other than `use: old`. */
  readonly telecom?: readonly FixtureTelecom[];
}

type Json = Record<string, unknown>;

const allowedPatientElements = new Set([
  "resourceType",
  "id",
  "meta",
  "extension",
  "identifier",
  "active",
  "name",
  "telecom",
  "gender",
  "birthDate",
  "address",
]);
const registrationDetailsUrl =
  "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1";
const genders = new Set(["male", "female", "other", "unknown"]);
const fullDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function invalid(diagnostics: string): ProviderError {
  return new ProviderError("INVALID_RESOURCE", diagnostics);
}

function strings(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item !== "")) {
    throw invalid(`${what} must be an array of non-empty strings`);
  }
  return value as string[];
}

function objects(value: unknown, what: string): Json[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0 || !value.every(isJsonObject)) {
    throw invalid(`${what} must be a non-empty array of objects`);
  }
  return value as Json[];
}

/**
 * Parses and validates the request body text; throws {@linkcode ProviderError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registerPatientBody } from "./provider-test-client.ts";
 * // A fixture patient registered at another practice (PDS sandbox data).
 * const body = registerPatientBody({
 *   nhsNumber: "9990000204",
 *   family: "NETTLESHIP",
 *   given: "Florence",
 *   birthDate: "1972-01-28",
 * });
 * assert.equal(parseRegisterPatientRequest(body).nhsNumber, "9990000204");
 * ```
 */
export function parseRegisterPatientRequest(body: string): RegisterPatientRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid("The request body is not a JSON Parameters resource");
  }
  if (!isJsonObject(parsed) || parsed.resourceType !== "Parameters") {
    throw invalid("The request body must be a Parameters resource");
  }
  const parameters = objects(parsed.parameter, "Parameters.parameter");
  const names = parameters.map((parameter) => String(parameter.name));
  if (names.length !== 1 || names[0] !== "registerPatient") {
    throw invalid(
      `Parameters must hold exactly one parameter, registerPatient (found ${
        names.length === 0 ? "none" : names.join(", ")
      })`,
    );
  }
  const patient = parameters[0]!.resource;
  if (!isJsonObject(patient) || patient.resourceType !== "Patient") {
    throw invalid("The registerPatient parameter must hold a Patient resource");
  }
  return readPatient(patient);
}

function readPatient(patient: Json): RegisterPatientRequest {
  const unexpected = Object.keys(patient).filter((key) => !allowedPatientElements.has(key));
  if (unexpected.length > 0) {
    throw invalid(`registerPatient must not populate ${unexpected.join(", ")}`);
  }
  for (const extension of objects(patient.extension, "Patient.extension")) {
    if (extension.url === registrationDetailsUrl) {
      throw invalid("registerPatient must not populate the registrationDetails extension");
    }
  }
  const nhsNumber = readNhsNumber(patient.identifier);
  const officialNames = objects(patient.name, "Patient.name").filter((n) => n.use === "official");
  if (officialNames.length !== 1) {
    throw invalid(
      `registerPatient needs exactly one official name (found ${officialNames.length})`,
    );
  }
  const name = officialNames[0]!;
  const given = strings(name.given, "name.given");
  if (typeof name.family !== "string" || name.family.trim() === "" || given.length === 0) {
    throw invalid("The official name needs a family name and at least one given name");
  }
  const prefix = strings(name.prefix, "name.prefix");
  if (typeof patient.birthDate !== "string" || !fullDate.test(patient.birthDate)) {
    throw invalid("registerPatient needs birthDate as a full date, yyyy-mm-dd");
  }
  if (patient.gender !== undefined && !genders.has(String(patient.gender))) {
    throw invalid("gender must be male, female, other or unknown");
  }
  const address = readHomeAddress(patient.address);
  const telecom = readTelecom(patient.telecom);
  return {
    nhsNumber,
    name: { family: name.family, given, ...(prefix.length ? { prefix } : {}) },
    birthDate: patient.birthDate,
    ...(patient.gender === undefined
      ? {}
      : { gender: patient.gender as NonNullable<RegisterPatientRequest["gender"]> }),
    ...(address ? { address } : {}),
    ...(telecom.length ? { telecom } : {}),
  };
}

function readNhsNumber(value: unknown): string {
  const identifiers = objects(value, "Patient.identifier");
  if (identifiers.length === 0) throw invalid("registerPatient needs the NHS number identifier");
  for (const identifier of identifiers) {
    if (typeof identifier.system !== "string" || typeof identifier.value !== "string") {
      throw invalid("Every Patient.identifier needs a system and a value");
    }
  }
  const nhs = identifiers.filter((identifier) => identifier.system === identifierSystems.nhsNumber);
  if (nhs.length === 0) {
    throw new ProviderError(
      "INVALID_IDENTIFIER_SYSTEM",
      `No identifier in ${identifierSystems.nhsNumber} (found ${
        identifiers.map((identifier) => String(identifier.system)).join(", ")
      })`,
    );
  }
  if (nhs.length > 1) throw invalid("registerPatient must carry a single NHS number");
  const nhsNumber = String(nhs[0]!.value);
  const problem = nhsNumberProblem(nhsNumber);
  if (problem !== undefined) throw new ProviderError("INVALID_NHS_NUMBER", problem);
  return nhsNumber;
}

function readHomeAddress(value: unknown): FixtureAddress | undefined {
  const home = objects(value, "Patient.address").find((a) => a.use === "home" || !a.use);
  if (!home || typeof home.postalCode !== "string") return undefined;
  return {
    line: strings(home.line, "address.line"),
    ...(typeof home.city === "string" ? { city: home.city } : {}),
    postalCode: home.postalCode,
  };
}

function readTelecom(value: unknown): FixtureTelecom[] {
  return objects(value, "Patient.telecom")
    .filter((t) => t.use !== "old")
    .map((t) => {
      if (typeof t.system !== "string" || typeof t.value !== "string") {
        throw invalid("Every Patient.telecom needs a system and a value");
      }
      return { system: t.system, value: t.value, use: typeof t.use === "string" ? t.use : "home" };
    });
}
