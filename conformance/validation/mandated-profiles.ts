/**
 * The GP Connect (1.6, STU3) profile each resource type a provider returns must claim in
 * `meta.profile`: the spec's resource pages name one per type (two for Condition: a problem
 * header or, in a consultation, a condition). Bundles depend on the interaction (a structured
 * record claims `GPConnect-StructuredRecord-Bundle-1`, a document search
 * `GPConnect-Searchset-Bundle-1`), so they are the response check's (`../checks/meta-profile.ts`)
 * to judge, not this table's.
 *
 * @module
 */

const stu3 = "https://fhir.nhs.uk/STU3/StructureDefinition/";

const careConnect = [
  "AllergyIntolerance",
  "DiagnosticReport",
  "DocumentReference",
  "Encounter",
  "Immunization",
  "List",
  "Location",
  "Medication",
  "MedicationRequest",
  "MedicationStatement",
  "Observation",
  "Organization",
  "Patient",
  "Practitioner",
  "PractitionerRole",
  "ProcedureRequest",
  "ReferralRequest",
  "Specimen",
];

/** Profile URLs accepted for each resource type GP Connect profiles (Bundle aside). */
export const mandatedProfiles: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(careConnect.map((type) => [type, [`${stu3}CareConnect-GPC-${type}-1`]])),
  Condition: [
    `${stu3}CareConnect-GPC-ProblemHeader-Condition-1`,
    `${stu3}CareConnect-GPC-Condition-1`,
  ],
  Appointment: [`${stu3}GPConnect-Appointment-1`],
  Slot: [`${stu3}GPConnect-Slot-1`],
  Schedule: [`${stu3}GPConnect-Schedule-1`],
  OperationOutcome: [`${stu3}GPConnect-OperationOutcome-1`],
  Device: [`${stu3}GPConnect-Device-1`],
};

/** The structured record Bundle's profile. */
export const structuredBundleProfile = `${stu3}GPConnect-StructuredRecord-Bundle-1`;
/** The document search Bundle's profile. */
export const searchsetBundleProfile = `${stu3}GPConnect-Searchset-Bundle-1`;

/** The profile URLs a resource claims, versions (`|1.0.0`) dropped. */
export function claimedProfileUrls(resource: Record<string, unknown>): string[] {
  const meta = resource.meta;
  const profiles = typeof meta === "object" && meta !== null && !Array.isArray(meta)
    ? (meta as Record<string, unknown>).profile
    : undefined;
  return Array.isArray(profiles)
    ? profiles.filter((p): p is string => typeof p === "string").map((p) => p.split("|")[0] ?? p)
    : [];
}

/**
 * Why `resource` misses its mandated profile, or undefined when it claims one of `accepted`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.match(missingMandatedProfile({ resourceType: "Patient" }, mandatedProfiles.Patient!)!, /no meta/);
 * ```
 */
export function missingMandatedProfile(
  resource: Record<string, unknown>,
  accepted: readonly string[],
): string | undefined {
  const claimed = claimedProfileUrls(resource);
  if (claimed.some((url) => accepted.includes(url))) return undefined;
  const type = String(resource.resourceType);
  const wanted = accepted.map((url) => url.replace(stu3, "")).join(" or ");
  if (resource.meta === undefined) return `${type} has no meta (meta.profile ${wanted} required)`;
  if (claimed.length === 0) return `${type} claims no profile (${wanted} required)`;
  return `${type} claims ${claimed.join(", ")}, not ${wanted}`;
}
