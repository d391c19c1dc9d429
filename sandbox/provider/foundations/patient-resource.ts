/**
 * A held patient as a GP Connect STU3 Patient (`CareConnect-GPC-Patient-1`; GPC-1.6 foundations
 * read/find examples): NHS number with its verification status, one `official` name, gender,
 * birth date, address and telecom where known, registration details with the preferred branch
 * surgery, and the managing organisation.
 *
 * A temporary registration (`$gpc.registerpatient`) carries its own version, registration
 * period (from the moment of registration) and type `T` Temporary; the preferred branch surgery
 * only when an existing record was re-activated (GPC-1.6 register a patient, response fields).
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { resolveFixtureDate } from "../../pds/fixture-patients.ts";
import { addressParts, contactAndBirth, nameParts } from "../patient-demographics.ts";
import type { HeldPatient } from "../provider-patients.ts";

/** The profile every Patient declares. */
export const gpcPatientProfile =
  "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1";

/** `meta.versionId` (and ETag) of every fixture Patient; the demonstrator uses epoch millis. */
export const patientVersionId = "1521806400000";

const stu3 = "https://fhir.nhs.uk/STU3";

/** References the sandbox provider's Patient resources make. */
export interface PatientReferences {
  /** Logical id of the practice Organization. */
  readonly organizationId: string;
  /** Logical id of the preferred branch surgery Location. */
  readonly locationId: string;
}

/**
 * The STU3 Patient for a held patient; `today` resolves relative registration dates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { patientRegister } from "../provider-patients.ts";
 * const held = patientRegister(fixturePatients, "B82617").byLogicalId("2")!;
 * const patient = gpConnectPatient(held, "2025-01-15", { organizationId: "1", locationId: "1" });
 * assert.equal(patient.id, "2");
 * ```
 */
export function gpConnectPatient(
  held: HeldPatient,
  today: string,
  references: PatientReferences,
): Record<string, unknown> {
  const { patient, record } = held;
  const resource: Record<string, unknown> = {
    resourceType: "Patient",
    id: record.logicalId,
    meta: {
      versionId: held.registration?.versionId ?? patientVersionId,
      profile: [gpcPatientProfile],
    },
    extension: [{
      url: `${stu3}/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1`,
      extension: registrationDetails(held, today, references),
    }],
    identifier: [{
      extension: [{
        url: `${stu3}/StructureDefinition/Extension-CareConnect-GPC-NHSNumberVerificationStatus-1`,
        valueCodeableConcept: {
          coding: [{
            system: `${stu3}/CodeSystem/CareConnect-NHSNumberVerificationStatus-1`,
            code: "01",
            display: "Number present and verified",
          }],
        },
      }],
      system: identifierSystems.nhsNumber,
      value: patient.nhsNumber,
    }],
    active: true,
  };
  if (patient.name) {
    const prefix = patient.name.prefix?.[0];
    resource.name = [{
      use: "official",
      text: `${patient.name.family} ${patient.name.given.join(" ")}${prefix ? ` (${prefix})` : ""}`,
      family: patient.name.family,
      ...nameParts(patient.name),
    }];
  }
  Object.assign(resource, contactAndBirth(patient));
  if (patient.address) {
    resource.address = [{ use: "home", type: "physical", ...addressParts(patient.address) }];
  }
  resource.managingOrganization = { reference: `Organization/${references.organizationId}` };
  return resource;
}

const registrationTypes = { R: "Regular", T: "Temporary" } as const;

/** The sub-extensions of `Extension-CareConnect-GPC-RegistrationDetails-1`. */
function registrationDetails(
  held: HeldPatient,
  today: string,
  references: PatientReferences,
): Array<Record<string, unknown>> {
  const details: Array<Record<string, unknown>> = [];
  const registration = held.registration;
  const start = registration
    ? registration.registeredAt
    : held.patient.pds.generalPractitioner
    ? resolveFixtureDate(held.patient.pds.generalPractitioner.start, today)
    : undefined;
  if (start !== undefined) details.push({ url: "registrationPeriod", valuePeriod: { start } });
  const type = registration?.registrationType ?? "R";
  details.push({
    url: "registrationType",
    valueCodeableConcept: {
      coding: [{
        system: `${stu3}/CodeSystem/CareConnect-RegistrationType-1`,
        code: type,
        display: registrationTypes[type],
      }],
    },
  });
  if (!registration || registration.reactivated) {
    details.push({
      url: "preferredBranchSurgery",
      valueReference: { reference: `Location/${references.locationId}` },
    });
  }
  return details;
}
