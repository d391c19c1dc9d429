/**
 * The CapabilityStatement of the structured root (GPC-1.6 Access Record Structured; PT-1.6
 * `Structured162Specification.feature` "Structured CapabilityStatement returns correct profile
 * versions"): FHIR 3.0.1, JSON and XML, the two operations `gpc.getstructuredrecord` and
 * `gpc.migratestructuredrecord` with their OperationDefinitions, and the profiles the structured
 * responses use, with their version history.
 *
 * @module
 */
import { capabilityStatement, gpConnectVersion } from "../capability-statement-base.ts";

const nhs = "https://fhir.nhs.uk/STU3";

/** Profiles (with `_history` versions) the structured responses conform to. */
export const structuredProfileVersions: readonly string[] = [
  `${nhs}/StructureDefinition/CareConnect-GPC-Patient-1/_history/1.8`,
  `${nhs}/StructureDefinition/CareConnect-GPC-Organization-1/_history/1.4`,
  `${nhs}/StructureDefinition/CareConnect-GPC-Practitioner-1/_history/1.3`,
  `${nhs}/StructureDefinition/CareConnect-GPC-PractitionerRole-1/_history/1.2`,
  `${nhs}/StructureDefinition/CareConnect-GPC-AllergyIntolerance-1/_history/1.7`,
  `${nhs}/StructureDefinition/CareConnect-GPC-Medication-1/_history/1.2`,
  `${nhs}/StructureDefinition/CareConnect-GPC-MedicationStatement-1/_history/1.8`,
  `${nhs}/StructureDefinition/CareConnect-GPC-MedicationRequest-1/_history/1.6`,
  `${nhs}/StructureDefinition/CareConnect-GPC-List-1/_history/1.7`,
  `${nhs}/StructureDefinition/GPConnect-StructuredRecord-Bundle-1/_history/1.3`,
  `${nhs}/StructureDefinition/GPConnect-OperationOutcome-1/_history/1.2`,
  `${nhs}/StructureDefinition/CareConnect-GPC-Immunization-1/_history/1.5`,
  `${nhs}/StructureDefinition/CareConnect-GPC-ProblemHeader-Condition-1/_history/1.8`,
  `${nhs}/StructureDefinition/CareConnect-GPC-Encounter-1/_history/1.6.1`,
  `${nhs}/StructureDefinition/CareConnect-GPC-Observation-1/_history/1.7`,
  `${nhs}/StructureDefinition/CareConnect-GPC-DiagnosticReport-1/_history/1.3`,
  `${nhs}/StructureDefinition/CareConnect-GPC-Specimen-1/_history/1.3`,
  `${nhs}/StructureDefinition/CareConnect-GPC-ProcedureRequest-1/_history/1.4`,
  `${nhs}/StructureDefinition/CareConnect-GPC-ReferralRequest-1/_history/1.2`,
  `${nhs}/StructureDefinition/CareConnect-GPC-DocumentReference-1/_history/1.3`,
  "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-HealthcareService-1/_history/1.0",
];

/** The operations of the structured root and their OperationDefinitions. */
export const structuredOperations = [
  {
    name: "gpc.getstructuredrecord",
    definition: {
      reference:
        `${nhs}/OperationDefinition/GPConnect-GetStructuredRecord-Operation-1/_history/1.16`,
    },
  },
  {
    name: "gpc.migratestructuredrecord",
    definition: {
      reference:
        `${nhs}/OperationDefinition/GPConnect-MigrateStructuredRecord-Operation-1/_history/1.15`,
    },
  },
] as const;

/**
 * The CapabilityStatement served at `GET [structured root]/metadata`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const statement = structuredCapabilityStatement(new Date());
 * assert.deepEqual(statement.rest[0]?.operation.map((operation) => operation.name), [
 *   "gpc.getstructuredrecord",
 *   "gpc.migratestructuredrecord",
 * ]);
 * ```
 */
export function structuredCapabilityStatement(now: Date) {
  return capabilityStatement(now, {
    name: "GP Connect - Access Record Structured",
    description:
      `This server implements the GP Connect API version ${gpConnectVersion}: Access Record Structured`,
    profiles: structuredProfileVersions,
    rest: { operation: structuredOperations.map((operation) => ({ ...operation })) },
  });
}
