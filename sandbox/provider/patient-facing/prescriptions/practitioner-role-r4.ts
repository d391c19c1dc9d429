/**
 * `PractitionerRole` (UK Core) of the practice's practitioners, the `requester` of every
 * MedicationRequest: the practitioner by SDS user id with a display, the practice by ODS code,
 * the role profile ids as identifiers. Its id is the practitioner's.
 *
 * @module
 */
import type { PracticeData } from "../../practice/practice-data.ts";
import { practitionerDisplay, type R4Resource, ukCoreProfile } from "./medication-r4.ts";

/**
 * The PractitionerRole with `id`, or `undefined`.
 *
 * @example
 * ```ts
 * import { practiceData } from "../../practice/practice-data.ts";
 * practitionerRole(practiceData, "B82617", "3")?.resourceType; // "PractitionerRole"
 * ```
 */
export function practitionerRole(
  practice: PracticeData,
  odsCode: string,
  id: string,
): R4Resource | undefined {
  const practitioner = practice.practitioners.find((candidate) => candidate.id === id);
  if (!practitioner) return undefined;
  const organisation = practice.organizations.find((candidate) => candidate.odsCode === odsCode);
  return {
    resourceType: "PractitionerRole",
    id,
    meta: { profile: [ukCoreProfile("PractitionerRole")] },
    ...(practitioner.sdsRoleProfileIds.length > 0
      ? {
        identifier: practitioner.sdsRoleProfileIds.map((value) => ({
          system: "https://fhir.nhs.uk/Id/sds-role-profile-id",
          value,
        })),
      }
      : {}),
    active: true,
    practitioner: {
      identifier: { system: "https://fhir.nhs.uk/Id/sds-user-id", value: practitioner.sdsUserId },
      display: practitionerDisplay(practice, id),
    },
    organization: {
      identifier: { system: "https://fhir.nhs.uk/Id/ods-organization-code", value: odsCode },
      ...(organisation ? { display: organisation.name } : {}),
    },
  };
}
