/**
 * The Foundations CapabilityStatement of the reference provider, modelled on the GPC-1.6.2
 * example (`foundations/get_capability_statement_response_example.json`): FHIR 3.0.1, JSON and
 * XML, the 23 GP Connect profiles, and every Foundations and Appointment Management resource
 * with its interactions and search parameters — Patient, Organization, Practitioner, Location,
 * Appointment, Slot (Schedule comes only through Slot's `_include`, as in the example) — plus the
 * operations the example lists, `gpc.registerpatient` and `gpc.getstructuredrecord`.
 *
 * It states what a GP Connect 1.6 provider offers at this root; interactions another product
 * area has not built yet still answer 501 NOT_IMPLEMENTED.
 *
 * @module
 */
import { capabilityStatement, gpConnectVersion } from "../capability-statement-base.ts";

const structureDefinition = "https://fhir.nhs.uk/STU3/StructureDefinition";
const operationDefinition = "https://fhir.nhs.uk/STU3/OperationDefinition";

/** The profiles the example CapabilityStatement lists, in its order. */
export const capabilityProfiles: readonly string[] = [
  "CareConnect-GPC-Patient-1",
  "CareConnect-GPC-Organization-1",
  "CareConnect-GPC-Practitioner-1",
  "CareConnect-GPC-PractitionerRole-1",
  "CareConnect-GPC-Location-1",
  "GPConnect-OperationOutcome-1",
  "GPConnect-Appointment-1",
  "GPConnect-Schedule-1",
  "GPConnect-Slot-1",
  "CareConnect-GPC-AllergyIntolerance-1",
  "CareConnect-GPC-Medication-1",
  "CareConnect-GPC-MedicationStatement-1",
  "CareConnect-GPC-MedicationRequest-1",
  "CareConnect-GPC-List-1",
  "GPConnect-StructuredRecord-Bundle-1",
  "CareConnect-GPC-Immunization-1",
  "CareConnect-GPC-ProblemHeader-Condition-1",
  "CareConnect-GPC-Encounter-1",
  "CareConnect-GPC-Observation-1",
  "CareConnect-GPC-DiagnosticReport-1",
  "CareConnect-GPC-Specimen-1",
  "CareConnect-GPC-ProcedureRequest-1",
  "CareConnect-GPC-ReferralRequest-1",
].map((name) => `${structureDefinition}/${name}`);

const read = { code: "read" };
const searchType = { code: "search-type" };

function identifierParam(documentation: string): Record<string, unknown> {
  return { name: "identifier", type: "token", documentation };
}

const nhsNumberParam = identifierParam(
  "NHS Number (i.e. https://fhir.nhs.uk/Id/nhs-number|123456789)",
);

/**
 * The CapabilityStatement served at `GET [foundations root]/metadata`.
 *
 * @example
 * ```ts
 * foundationsCapabilityStatement(new Date("2025-01-15T00:00:00Z")).fhirVersion; // "3.0.1"
 * ```
 */
export function foundationsCapabilityStatement(now: Date): Record<string, unknown> {
  return capabilityStatement(now, {
    name: "GP Connect",
    description: `This server implements the GP Connect API version ${gpConnectVersion}`,
    profiles: capabilityProfiles,
    rest: {
      resource: [
        { type: "Patient", interaction: [read, searchType], searchParam: [nhsNumberParam] },
        {
          type: "Organization",
          interaction: [read, searchType],
          searchParam: [
            identifierParam("ODS Code (i.e. https://fhir.nhs.uk/Id/ods-organization-code|Y12345)"),
          ],
        },
        {
          type: "Practitioner",
          interaction: [read, searchType],
          searchParam: [
            identifierParam("SDS User Id (i.e. https://fhir.nhs.uk/Id/sds-user-id|999999)"),
          ],
        },
        { type: "Location", interaction: [read] },
        {
          type: "Appointment",
          interaction: [read, { code: "create" }, { code: "update" }, searchType],
          updateCreate: false,
          searchParam: [nhsNumberParam],
        },
        {
          type: "Slot",
          interaction: [searchType],
          searchInclude: [
            "Schedule:actor:Location",
            "Schedule:actor:Practitioner",
            "Slot:schedule",
            "Location:managingOrganization",
          ],
          searchParam: [
            { name: "start", type: "date" },
            { name: "end", type: "date" },
            { name: "status", type: "token" },
            { name: "searchFilter", type: "token" },
          ],
        },
      ],
      operation: [
        {
          name: "gpc.registerpatient",
          definition: { reference: `${operationDefinition}/GPConnect-RegisterPatient-Operation-1` },
        },
        {
          name: "gpc.getstructuredrecord",
          definition: {
            reference:
              `${operationDefinition}/GPConnect-GetStructuredRecord-Operation-1/_history/1.15`,
          },
        },
      ],
    },
  });
}
