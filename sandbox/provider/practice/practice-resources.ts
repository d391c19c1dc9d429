/**
 * The practice's organisations, practitioners and locations as GP Connect STU3 resources
 * (`CareConnect-GPC-Organization-1`, `-Practitioner-1`, `-Location-1`; GPC-1.6 foundations read
 * and find pages and examples). Each carries `meta.versionId` (also its ETag) and `meta.profile`.
 *
 * - Organization: ODS code identifier, name, `type` (GPConnect-OrganisationType-1 when the
 *   organisation is a GP practice or urgent care), work telecom, address. No `contact`/`endpoint`.
 * - Practitioner: SDS user id and one identifier per SDS role profile id, exactly one name
 *   (the profile's `name` is 1..1), gender. No telecom, address, birthDate, photo, qualification.
 * - Location: ODS site code identifier, `status`, name, telecom, one address (STU3
 *   `Location.address` is 0..1, a single object), managing organisation. No `endpoint`.
 *
 * @module
 */
import { identifierSystems } from "../../../gpconnect/identifier-systems.ts";
import type {
  PracticeLocation,
  PracticeOrganization,
  PracticePractitioner,
} from "./practice-data.ts";

const stu3 = "https://fhir.nhs.uk/STU3";

/** Profiles of the practice resources, by resource type. */
export const practiceProfiles = {
  Organization: `${stu3}/StructureDefinition/CareConnect-GPC-Organization-1`,
  Practitioner: `${stu3}/StructureDefinition/CareConnect-GPC-Practitioner-1`,
  Location: `${stu3}/StructureDefinition/CareConnect-GPC-Location-1`,
} as const;

/** The coding system of `Organization.type` in GP Connect appointment searches. */
export const organisationTypeSystem = `${stu3}/CodeSystem/GPConnect-OrganisationType-1`;

const organisationTypeDisplays = { "gp-practice": "GP Practice", "urgent-care": "Urgent Care" };

/** A FHIR address from the practice data's lines (the last is the town) and postcode. */
function address(lines: readonly string[], postcode: string): Record<string, unknown> {
  const town = lines.length > 1 ? lines[lines.length - 1] : undefined;
  return {
    use: "work",
    type: "physical",
    line: town === undefined ? [...lines] : lines.slice(0, -1),
    ...(town === undefined ? {} : { city: town }),
    postalCode: postcode,
  };
}

function workPhone(value: string): Record<string, unknown> {
  return { system: "phone", value, use: "work" };
}

/**
 * The STU3 Organization for a practice organisation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "./practice-data.ts";
 * assert.deepEqual(gpConnectOrganization(practiceData.organizations[0]!).identifier, [
 *   { system: "https://fhir.nhs.uk/Id/ods-organization-code", value: "B82617" },
 * ]);
 * ```
 */
export function gpConnectOrganization(organization: PracticeOrganization): Record<string, unknown> {
  const type = organization.type === "other" ? undefined : [{
    coding: [{
      system: organisationTypeSystem,
      code: organization.type,
      display: organisationTypeDisplays[organization.type],
    }],
  }];
  return {
    resourceType: "Organization",
    id: organization.id,
    meta: { versionId: organization.versionId, profile: [practiceProfiles.Organization] },
    identifier: [{ system: identifierSystems.odsOrganizationCode, value: organization.odsCode }],
    ...(type ? { type } : {}),
    name: organization.name,
    // An organisation known only from a filed message may have no phone or address.
    ...(organization.phone ? { telecom: [workPhone(organization.phone)] } : {}),
    ...(organization.address.length > 0 || organization.postcode
      ? { address: [address(organization.address, organization.postcode)] }
      : {}),
  };
}

/**
 * The STU3 Practitioner for a practice practitioner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "./practice-data.ts";
 * // The SDS user id and one SDS role profile id.
 * assert.equal(gpConnectPractitioner(practiceData.practitioners[1]!).identifier.length, 2);
 * ```
 */
export function gpConnectPractitioner(
  practitioner: PracticePractitioner,
): Record<string, unknown> & { identifier: unknown[] } {
  return {
    resourceType: "Practitioner",
    id: practitioner.id,
    meta: { versionId: practitioner.versionId, profile: [practiceProfiles.Practitioner] },
    identifier: [
      { system: identifierSystems.sdsUserId, value: practitioner.sdsUserId },
      ...practitioner.sdsRoleProfileIds.map((value) => ({
        system: identifierSystems.sdsRoleProfileId,
        value,
      })),
    ],
    name: [{
      family: practitioner.family,
      given: [...practitioner.given],
      prefix: [practitioner.prefix],
    }],
    gender: practitioner.gender,
  };
}

/**
 * The STU3 Location for a practice site.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "./practice-data.ts";
 * const location = gpConnectLocation(practiceData.locations[0]!);
 * assert.deepEqual(location.managingOrganization, { reference: "Organization/1" });
 * ```
 */
export function gpConnectLocation(location: PracticeLocation): Record<string, unknown> {
  return {
    resourceType: "Location",
    id: location.id,
    meta: { versionId: location.versionId, profile: [practiceProfiles.Location] },
    identifier: [{ system: identifierSystems.odsSiteCode, value: location.odsSiteCode }],
    status: "active",
    name: location.name,
    ...(location.phone ? { telecom: [workPhone(location.phone)] } : {}),
    address: address(location.address, location.postcode),
    managingOrganization: { reference: `Organization/${location.managingOrganizationId}` },
  };
}
