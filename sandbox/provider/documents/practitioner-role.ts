/**
 * The `CareConnect-GPC-PractitionerRole-1` of a practice practitioner at the practice, returned by
 * `_revinclude:recurse=PractitionerRole:practitioner` in a documents search (GPC-1.6
 * `documents_response.json`): practitioner, organisation and SDS job role.
 *
 * @module
 */
import type { PracticePractitioner } from "../practice/practice-data.ts";

/** The profile every PractitionerRole declares. */
export const practitionerRoleProfile =
  "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-PractitionerRole-1";

/** The SDS job role code system of `PractitionerRole.code`. */
export const sdsJobRoleNameSystem =
  "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1";

/**
 * The practitioner's role at the organisation with logical id `organizationId`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../practice/practice-data.ts";
 * const role = gpConnectPractitionerRole(practiceData.practitioners[2]!, "1");
 * assert.deepEqual(role.practitioner, { reference: "Practitioner/3" });
 * ```
 */
export function gpConnectPractitionerRole(
  practitioner: PracticePractitioner,
  organizationId: string,
): Record<string, unknown> {
  return {
    resourceType: "PractitionerRole",
    id: `${practitioner.id}-${organizationId}`,
    meta: { versionId: practitioner.versionId, profile: [practitionerRoleProfile] },
    practitioner: { reference: `Practitioner/${practitioner.id}` },
    organization: { reference: `Organization/${organizationId}` },
    code: [{
      coding: [{
        system: sdsJobRoleNameSystem,
        code: "R0260",
        display: "General Medical Practitioner",
      }],
    }],
  };
}
