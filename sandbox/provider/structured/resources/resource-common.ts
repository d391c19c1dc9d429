/**
 * What every Access Record Structured resource shares (GPC-1.6 resource pages): `meta.profile`,
 * a persistent cross-care-setting identifier, coded concepts, references to the patient and
 * practitioners.
 *
 * @module
 */
import { errorProfiles } from "../../../../gpconnect/specs.ts";
import type { ClinicalCode } from "../../clinical/clinical-record-types.ts";

const stu3 = "https://fhir.nhs.uk/STU3/StructureDefinition";

/** Profiles of the structured resources. */
export const structuredProfiles = {
  Bundle: `${stu3}/GPConnect-StructuredRecord-Bundle-1`,
  List: `${stu3}/CareConnect-GPC-List-1`,
  AllergyIntolerance: `${stu3}/CareConnect-GPC-AllergyIntolerance-1`,
  MedicationStatement: `${stu3}/CareConnect-GPC-MedicationStatement-1`,
  MedicationRequest: `${stu3}/CareConnect-GPC-MedicationRequest-1`,
  Medication: `${stu3}/CareConnect-GPC-Medication-1`,
  Condition: `${stu3}/CareConnect-GPC-ProblemHeader-Condition-1`,
  Encounter: `${stu3}/CareConnect-GPC-Encounter-1`,
  Immunization: `${stu3}/CareConnect-GPC-Immunization-1`,
  Observation: `${stu3}/CareConnect-GPC-Observation-1`,
  DiagnosticReport: `${stu3}/CareConnect-GPC-DiagnosticReport-1`,
  Specimen: `${stu3}/CareConnect-GPC-Specimen-1`,
  ProcedureRequest: `${stu3}/CareConnect-GPC-ProcedureRequest-1`,
  ReferralRequest: `${stu3}/CareConnect-GPC-ReferralRequest-1`,
  PractitionerRole: `${stu3}/CareConnect-GPC-PractitionerRole-1`,
  OperationOutcome: errorProfiles.stu3,
} as const;

/** A FHIR resource as plain JSON. */
export type Resource = Record<string, unknown> & { resourceType: string; id: string };

/** The identifier system GP Connect uses for persistent record identifiers. */
export const crossCareSettingIdentifier = "https://fhir.nhs.uk/Id/cross-care-setting-identifier";

/** What a resource builder needs besides the item. */
export interface ResourceContext {
  /** The patient's NHS number (seeds persistent identifiers). */
  readonly nhsNumber: string;
  /** `Patient/{id}`. */
  readonly patientReference: string;
  /** `Organization/{id}` of the practice. */
  readonly organizationReference: string;
}

/**
 * A UUID-shaped value derived from a seed: the same record item always has the same identifier
 * (GP Connect identifiers are persistent), without any stored state.
 *
 * @example
 * ```ts
 * stableUuid("9690937286/allergy-1") === stableUuid("9690937286/allergy-1"); // true
 * ```
 */
export function stableUuid(seed: string): string {
  let hex = "";
  for (let round = 0; round < 4; round++) {
    let hash = 0x811c9dc5 ^ round;
    for (let i = 0; i < seed.length; i++) {
      hash ^= seed.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hex += (hash >>> 0).toString(16).padStart(8, "0");
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${
    hex.slice(20, 32)
  }`;
}

/** `meta` with the profile of a resource type. */
export function meta(resourceType: keyof typeof structuredProfiles): { profile: string[] } {
  return { profile: [structuredProfiles[resourceType]] };
}

/** The persistent identifier of a resource built from a record item. */
export function identifier(context: ResourceContext, id: string): Array<Record<string, string>> {
  return [{ system: crossCareSettingIdentifier, value: stableUuid(`${context.nhsNumber}/${id}`) }];
}

/** A CodeableConcept of one coding, with the display as text. */
export function codeableConcept(code: ClinicalCode): Record<string, unknown> {
  return {
    coding: [{ system: code.system, code: code.code, display: code.display }],
    text: code.display,
  };
}

/** `{ reference: "Practitioner/{id}" }`. */
export function practitionerReference(id: string): { reference: string } {
  return { reference: `Practitioner/${id}` };
}

/** `[{ text }]` when there is a note, else nothing to spread. */
export function noteOf(note: string | undefined): { note?: Array<{ text: string }> } {
  return note === undefined ? {} : { note: [{ text: note }] };
}

/**
 * `context` referring to the Encounter of the consultation an item was recorded in, else nothing
 * to spread.
 *
 * @example
 * ```ts
 * encounterContext("cons-1"); // { context: { reference: "Encounter/cons-1" } }
 * encounterContext(undefined); // {}
 * ```
 */
export function encounterContext(
  consultationId: string | undefined,
): { context?: { reference: string } } {
  return consultationId ? { context: { reference: `Encounter/${consultationId}` } } : {};
}

/** The date part (`YYYY-MM-DD`) of an ISO date or date-time. */
export function dayOf(value: string): string {
  return value.slice(0, 10);
}
