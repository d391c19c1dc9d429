/**
 * Allergies as `CareConnect-GPC-AllergyIntolerance-1` (GPC-1.6 AllergyIntolerance page and
 * allergies guidance): `verificationStatus` is always `unconfirmed`; `category` is `medication`
 * or `environment` (GP Connect maps every non-drug allergy to `environment`); one reaction with
 * one manifestation; a resolved allergy carries `clinicalStatus: resolved` and the
 * `AllergyIntoleranceEnd` extension (end date and reason). An explicit "no known allergies"
 * assertion becomes an AllergyIntolerance coded `716186003 |No known allergy|`.
 *
 * @module
 */
import { snomed } from "../../clinical/clinical-codes.ts";
import type { AllergyItem } from "../../clinical/clinical-record-types.ts";
import {
  codeableConcept,
  identifier,
  meta,
  noteOf,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

const endExtensionUrl =
  "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-AllergyIntoleranceEnd-1";

/** The id of the resource asserting "no known allergies". */
export const noKnownAllergiesId = "allergy-nka";

/** The STU3 AllergyIntolerance for an allergy item. */
export function allergyIntolerance(context: ResourceContext, allergy: AllergyItem): Resource {
  const resolved = allergy.clinicalStatus === "resolved";
  return {
    resourceType: "AllergyIntolerance",
    id: allergy.id,
    meta: meta("AllergyIntolerance"),
    ...(resolved
      ? {
        extension: [{
          url: endExtensionUrl,
          extension: [
            ...(allergy.endDate ? [{ url: "endDate", valueDateTime: allergy.endDate }] : []),
            ...(allergy.endReason ? [{ url: "reasonEnded", valueString: allergy.endReason }] : []),
          ],
        }],
      }
      : {}),
    identifier: identifier(context, allergy.id),
    clinicalStatus: allergy.clinicalStatus,
    verificationStatus: "unconfirmed",
    type: "allergy",
    category: [allergy.category === "medication" ? "medication" : "environment"],
    code: codeableConcept(allergy.code),
    patient: { reference: context.patientReference },
    onsetDateTime: allergy.onset,
    assertedDate: allergy.recordedAt,
    recorder: practitionerReference(allergy.recorderId),
    ...noteOf(allergy.note),
    ...(allergy.reaction || allergy.severity
      ? {
        reaction: [{
          manifestation: [
            allergy.reaction ? { text: allergy.reaction } : {
              coding: [{
                system: "http://hl7.org/fhir/v3/NullFlavor",
                code: "NI",
                display: "NoInformation",
              }],
            },
          ],
          ...(allergy.severity ? { severity: allergy.severity } : {}),
        }],
      }
      : {}),
  };
}

/**
 * The AllergyIntolerance asserting "no known allergies" (allergies guidance, "Negation"). Its
 * `recorder` is mandatory (CareConnect-GPC-AllergyIntolerance-1, 1..1); the record holds no
 * recorder for the NKA code, so it is the practice's usual GP unless given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const context = {
 *   nhsNumber: "9690937286",
 *   patientReference: "Patient/2",
 *   organizationReference: "Organization/1",
 * };
 * const resource = noKnownAllergies(context, "2024-01-01T09:30:00Z");
 * assert.deepEqual(resource.code, {
 *   coding: [{ system: "http://snomed.info/sct", code: "716186003", display: "No known allergy" }],
 *   text: "No known allergy",
 * });
 * ```
 */
export function noKnownAllergies(
  context: ResourceContext,
  assertedDate: string,
  recorderId = "3",
): Resource {
  return {
    resourceType: "AllergyIntolerance",
    id: noKnownAllergiesId,
    meta: meta("AllergyIntolerance"),
    identifier: identifier(context, noKnownAllergiesId),
    clinicalStatus: "active",
    verificationStatus: "unconfirmed",
    category: ["environment"],
    code: codeableConcept(snomed("716186003", "No known allergy")),
    patient: { reference: context.patientReference },
    assertedDate,
    recorder: practitionerReference(recorderId),
  };
}
