/**
 * Whether a path under a service root names FHIR REST the reference provider does not implement:
 * a resource type of FHIR STU3 (or DSTU2) the root does not serve, or an operation (`$name`), so
 * the answer is
 * 501 NOT_IMPLEMENTED (GPC-1.6 error handling: "unimplemented op or resource"), while a path
 * that is no FHIR REST at all (`/metadatas`, `/Metadata`: paths are case sensitive) stays 404.
 * An unknown id of an implemented resource is its handler's 404.
 *
 * @module
 */

import { interactions, type RootKind } from "../../gpconnect/specs.ts";

/** The resource type names of FHIR STU3 and DSTU2. */
const fhirResourceTypes: ReadonlySet<string> = new Set([
  "Account",
  "ActivityDefinition",
  "AdverseEvent",
  "AllergyIntolerance",
  "Appointment",
  "AppointmentResponse",
  "AuditEvent",
  "Basic",
  "Binary",
  "BodySite",
  "Bundle",
  "CapabilityStatement",
  "CarePlan",
  "CareTeam",
  "ChargeItem",
  "Claim",
  "ClaimResponse",
  "ClinicalImpression",
  "CodeSystem",
  "Communication",
  "CommunicationRequest",
  "CompartmentDefinition",
  "Composition",
  "ConceptMap",
  "Condition",
  "Conformance",
  "Consent",
  "Contract",
  "Coverage",
  "DataElement",
  "DetectedIssue",
  "Device",
  "DeviceComponent",
  "DeviceMetric",
  "DeviceRequest",
  "DeviceUseRequest",
  "DeviceUseStatement",
  "DiagnosticOrder",
  "DiagnosticReport",
  "DocumentManifest",
  "DocumentReference",
  "EligibilityRequest",
  "EligibilityResponse",
  "Encounter",
  "Endpoint",
  "EnrollmentRequest",
  "EnrollmentResponse",
  "EpisodeOfCare",
  "ExpansionProfile",
  "ExplanationOfBenefit",
  "FamilyMemberHistory",
  "Flag",
  "Goal",
  "GraphDefinition",
  "Group",
  "GuidanceResponse",
  "HealthcareService",
  "ImagingManifest",
  "ImagingStudy",
  "Immunization",
  "ImmunizationRecommendation",
  "ImplementationGuide",
  "Library",
  "Linkage",
  "List",
  "Location",
  "Measure",
  "MeasureReport",
  "Media",
  "Medication",
  "MedicationAdministration",
  "MedicationDispense",
  "MedicationOrder",
  "MedicationRequest",
  "MedicationStatement",
  "MessageDefinition",
  "MessageHeader",
  "NamingSystem",
  "NutritionOrder",
  "Observation",
  "OperationDefinition",
  "OperationOutcome",
  "Order",
  "OrderResponse",
  "Organization",
  "Parameters",
  "Patient",
  "PaymentNotice",
  "PaymentReconciliation",
  "Person",
  "PlanDefinition",
  "Practitioner",
  "PractitionerRole",
  "Procedure",
  "ProcedureRequest",
  "ProcessRequest",
  "ProcessResponse",
  "Provenance",
  "Questionnaire",
  "QuestionnaireResponse",
  "ReferralRequest",
  "RelatedPerson",
  "RequestGroup",
  "ResearchStudy",
  "ResearchSubject",
  "RiskAssessment",
  "Schedule",
  "SearchParameter",
  "Sequence",
  "ServiceDefinition",
  "Slot",
  "Specimen",
  "StructureDefinition",
  "StructureMap",
  "Subscription",
  "Substance",
  "SupplyDelivery",
  "SupplyRequest",
  "Task",
  "TestReport",
  "TestScript",
  "ValueSet",
  "VisionPrescription",
]);

/** The resource types a root's catalogue paths name (`/Patient/{id}/Appointment`: both). */
function implementedTypes(kind: RootKind): Set<string> {
  return new Set(
    interactions.filter((interaction) => interaction.root === kind).flatMap((interaction) =>
      interaction.path.split("/").filter((segment) => fhirResourceTypes.has(segment))
    ),
  );
}

/**
 * True when `relativePath` (relative to a service root of `kind`, and matching none of its
 * catalogue paths) asks for FHIR REST the root does not implement: an operation (`$name`), or a
 * resource type (first segment, or a compartment's) the root's catalogue never names. A path of
 * implemented types that matches no catalogue path (`/Patient/`), or no FHIR REST at all
 * (`/metadatas`, `/Metadata`), is not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(namesUnimplementedFhir("foundations", "/Observation"), true);
 * assert.equal(namesUnimplementedFhir("foundations", "/Patient/$gpc.unknown"), true);
 * assert.equal(namesUnimplementedFhir("documents", "/Patient/1/Appointment"), true);
 * assert.equal(namesUnimplementedFhir("foundations", "/Patient/"), false);
 * assert.equal(namesUnimplementedFhir("foundations", "/Metadata"), false);
 * ```
 */
export function namesUnimplementedFhir(kind: RootKind, relativePath: string): boolean {
  const segments = relativePath.split("/").filter((s) => s !== "");
  if (segments.some((segment) => segment.startsWith("$"))) return true;
  const implemented = implementedTypes(kind);
  return segments.some((segment, i) =>
    i % 2 === 0 && fhirResourceTypes.has(segment) && !implemented.has(segment)
  );
}
