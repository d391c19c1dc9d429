/**
 * The parts of a held patient's demographics that the provider's DSTU2 (GPC-0.7
 * `gpconnect-patient-1`) and STU3 (`CareConnect-GPC-Patient-1`) Patients write alike: given names
 * and prefixes, telecom, gender and birth date, and the lines, city and postcode of the home
 * address. What differs by release stays with each Patient: the name's `use`, `text` and
 * `family` (a list in DSTU2), and the address `type` (STU3 only).
 *
 * Each function returns only the elements it has a value for, in FHIR element order, to be
 * spread into (or assigned onto) the Patient where those elements belong.
 *
 * @module
 */
import type { FixtureAddress, FixtureName, FixturePatient } from "../pds/fixture-patients.ts";

/** `HumanName.given` and, when there are any, `HumanName.prefix`. */
export interface NameParts {
  given: string[];
  prefix?: string[];
}

/**
 * The given names and prefixes of a name.
 *
 * @example
 * ```ts
 * nameParts({ family: "Gilbert", given: ["Jane"], prefix: ["Mrs"] });
 * // { given: ["Jane"], prefix: ["Mrs"] }
 * ```
 */
export function nameParts(name: FixtureName): NameParts {
  return {
    given: [...name.given],
    ...(name.prefix ? { prefix: [...name.prefix] } : {}),
  };
}

/** `Patient.telecom`, `gender` and `birthDate`, where known. */
export interface ContactAndBirth {
  telecom?: Array<Record<string, string>>;
  gender?: string;
  birthDate?: string;
}

/**
 * The telecom (when there is any), gender and birth date of a patient.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { patientByNhsNumber } from "../pds/fixture-patients.ts";
 * const patient = patientByNhsNumber("9690937286");
 * assert.equal(patient && contactAndBirth(patient).birthDate, "1942-02-03");
 * ```
 */
export function contactAndBirth(patient: FixturePatient): ContactAndBirth {
  const elements: ContactAndBirth = {};
  if (patient.telecom?.length) elements.telecom = patient.telecom.map((t) => ({ ...t }));
  if (patient.gender) elements.gender = patient.gender;
  if (patient.birthDate) elements.birthDate = patient.birthDate;
  return elements;
}

/** `Address.line`, `city` (where known) and `postalCode`. */
export interface AddressParts {
  line: string[];
  city?: string;
  postalCode: string;
}

/**
 * The lines, city and postcode of a home address.
 *
 * @example
 * ```ts
 * addressParts({ line: ["1 Trevelyan Square"], city: "Leeds", postalCode: "LS1 6AE" });
 * // { line: ["1 Trevelyan Square"], city: "Leeds", postalCode: "LS1 6AE" }
 * ```
 */
export function addressParts(address: FixtureAddress): AddressParts {
  return {
    line: [...address.line],
    ...(address.city ? { city: address.city } : {}),
    postalCode: address.postalCode,
  };
}
