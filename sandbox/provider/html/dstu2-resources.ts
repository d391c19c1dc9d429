/**
 * The structured resources that travel with a care record section, in their DSTU2 GP Connect
 * 0.7 shapes (GPC-0.7 HTML implementation guide "Minimal Structured Data"; PT-0.7.4
 * `AccessRecord.feature`: meta.profile and versionId on each, http://fhir.nhs.net identifier
 * systems, a Practitioner with one name, one SDS user id and at most one role profile id, the
 * Device type fixed to SNOMED CT 462240000):
 * - Patient (`gpconnect-patient-1`): NHS number, name (DSTU2 `family` is a list), gender, birth
 *   date, telecom, address, `careProvider` (the usual GP) and `managingOrganization`;
 * - Practitioner (`gpconnect-practitioner-1`) with its practice role;
 * - Organization (`gpconnect-organization-1`);
 * - Device (`gpconnect-device-1`): the system that generated the composition (its author).
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import { errorProfiles } from "../../../gpconnect/specs.ts";
import { sandboxSoftware } from "../capability-statement-base.ts";
import { patientVersionId } from "../foundations/patient-resource.ts";
import type { PracticeOrganization, PracticePractitioner } from "../practice/practice-data.ts";
import { addressParts, contactAndBirth, nameParts } from "../patient-demographics.ts";
import type { HeldPatient } from "../provider-patients.ts";

const net = "http://fhir.nhs.net";

/** DSTU2 GP Connect profiles by resource type. */
export const dstu2Profiles = {
  Patient: `${net}/StructureDefinition/gpconnect-patient-1`,
  Practitioner: `${net}/StructureDefinition/gpconnect-practitioner-1`,
  Organization: `${net}/StructureDefinition/gpconnect-organization-1`,
  Device: `${net}/StructureDefinition/gpconnect-device-1`,
  Composition: `${net}/StructureDefinition/gpconnect-carerecord-composition-1`,
  Bundle: `${net}/StructureDefinition/gpconnect-searchset-bundle-1`,
  Location: `${net}/StructureDefinition/gpconnect-location-1`,
  OperationOutcome: errorProfiles.dstu2,
} as const;

/** DSTU2 SDS identifier systems of a Practitioner. */
export const dstu2PractitionerSystems = {
  sdsUserId: `${net}/Id/sds-user-id`,
  sdsRoleProfileId: `${net}/Id/sds-role-profile-id`,
} as const;

/** What the Patient refers to. */
export interface Dstu2PatientReferences {
  readonly organizationId: string;
  readonly practitionerId: string;
}

/**
 * The DSTU2 Patient of a held patient.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fixturePatients } from "../../pds/fixture-patients.ts";
 * import { patientRegister } from "../provider-patients.ts";
 * const held = patientRegister(fixturePatients, "B82617").byLogicalId("2")!;
 * const patient = dstu2Patient(held, { organizationId: "1", practitionerId: "1" });
 * assert.deepEqual(patient.careProvider, [{ reference: "Practitioner/1" }]);
 * ```
 */
export function dstu2Patient(
  held: HeldPatient,
  references: Dstu2PatientReferences,
): Record<string, unknown> {
  const { patient, record } = held;
  const resource: Record<string, unknown> = {
    resourceType: "Patient",
    id: record.logicalId,
    meta: { versionId: patientVersionId, profile: [dstu2Profiles.Patient] },
    identifier: [{ system: identifierSystems.nhsNumberDstu2, value: patient.nhsNumber }],
  };
  if (patient.name) {
    resource.name = [{
      use: "usual",
      family: [patient.name.family],
      ...nameParts(patient.name),
    }];
  }
  Object.assign(resource, contactAndBirth(patient));
  if (patient.address) resource.address = [{ use: "home", ...addressParts(patient.address) }];
  resource.careProvider = [{ reference: `Practitioner/${references.practitionerId}` }];
  resource.managingOrganization = { reference: `Organization/${references.organizationId}` };
  return resource;
}

/**
 * The DSTU2 Practitioner of a practice practitioner, with their role at the organisation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../practice/practice-data.ts";
 * assert.deepEqual(dstu2Practitioner(practiceData.practitioners[0]!, "1").name, {
 *   family: ["Gilbert"],
 *   given: ["Nichole"],
 *   prefix: ["Miss"],
 * });
 * ```
 */
export function dstu2Practitioner(
  practitioner: PracticePractitioner,
  organizationId: string,
): Record<string, unknown> {
  const roleProfile = practitioner.sdsRoleProfileIds[0];
  return {
    resourceType: "Practitioner",
    id: practitioner.id,
    meta: { versionId: practitioner.versionId, profile: [dstu2Profiles.Practitioner] },
    identifier: [
      { system: dstu2PractitionerSystems.sdsUserId, value: practitioner.sdsUserId },
      ...(roleProfile === undefined
        ? []
        : [{ system: dstu2PractitionerSystems.sdsRoleProfileId, value: roleProfile }]),
    ],
    name: {
      family: [practitioner.family],
      given: [...practitioner.given],
      prefix: [practitioner.prefix],
    },
    gender: practitioner.gender,
    practitionerRole: [{
      managingOrganization: { reference: `Organization/${organizationId}` },
      role: {
        coding: [{
          system: identifierSystems.sdsJobRoleNameDstu2,
          code: "R0260",
          display: "General Medical Practitioner",
        }],
      },
    }],
  };
}

/**
 * The DSTU2 Organization of a practice organisation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../practice/practice-data.ts";
 * assert.deepEqual(dstu2Organization(practiceData.organizations[0]!).identifier, [
 *   { system: "http://fhir.nhs.net/Id/ods-organization-code", value: "B82617" },
 * ]);
 * ```
 */
export function dstu2Organization(organization: PracticeOrganization): Record<string, unknown> {
  const town = organization.address.length > 1
    ? organization.address[organization.address.length - 1]
    : undefined;
  return {
    resourceType: "Organization",
    id: organization.id,
    meta: { versionId: organization.versionId, profile: [dstu2Profiles.Organization] },
    identifier: [{
      system: identifierSystems.odsOrganizationCodeDstu2,
      value: organization.odsCode,
    }],
    name: organization.name,
    telecom: [{ system: "phone", value: organization.phone, use: "work" }],
    address: [{
      use: "work",
      line: town === undefined ? [...organization.address] : organization.address.slice(0, -1),
      ...(town === undefined ? {} : { city: town }),
      postalCode: organization.postcode,
    }],
  };
}

/** The generating system's Device (logical id `1`). */
export function dstu2Device(): Record<string, unknown> {
  return {
    resourceType: "Device",
    id: "1",
    meta: { versionId: "1", profile: [dstu2Profiles.Device] },
    type: {
      coding: [{
        system: "http://snomed.info/sct",
        code: "462240000",
        display: "Patient health record information system (physical object)",
      }],
    },
    manufacturer: "gpc-edge",
    model: sandboxSoftware.name,
    version: sandboxSoftware.version,
  };
}
