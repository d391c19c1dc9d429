/**
 * An investigation as GP Connect pathology resources (GPC-1.6 pathology guidance):
 * `DiagnosticReport` (issued on the investigation date, `basedOn` the test request, with the
 * specimen and results) → `ProcedureRequest` (the test request, intent `order`) → `Specimen`
 * → result `Observation`s (laboratory category, UCUM quantity, v2-0078 interpretation, reference
 * range text). A report with several results groups them under a test group header Observation
 * (`related: has-member`).
 *
 * @module
 */
import { snomed } from "../../clinical/clinical-codes.ts";
import type { InvestigationItem } from "../../clinical/clinical-record-types.ts";
import { ucumQuantity } from "./observation-resources.ts";
import {
  codeableConcept,
  encounterContext,
  identifier,
  meta,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

const interpretations = {
  normal: { code: "N", display: "Normal" },
  high: { code: "H", display: "High" },
  low: { code: "L", display: "Low" },
  abnormal: { code: "A", display: "Abnormal" },
} as const;

const laboratory = [{
  coding: [{
    system: "http://hl7.org/fhir/observation-category",
    code: "laboratory",
    display: "Laboratory",
  }],
}];

function rangeOf(range: string): Record<string, unknown> {
  const match = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(range);
  return {
    ...(match ? { low: { value: Number(match[1]) }, high: { value: Number(match[2]) } } : {}),
    text: range,
  };
}

/** The resources of one investigation, the DiagnosticReport first. */
export function investigationResources(
  context: ResourceContext,
  investigation: InvestigationItem,
): Resource[] {
  const id = investigation.id;
  const requestId = `${id}-request`;
  const specimenId = `${id}-specimen`;
  const common = {
    subject: { reference: context.patientReference },
    ...encounterContext(investigation.consultationId),
  };
  const results: Resource[] = investigation.results.map((result, index) => ({
    resourceType: "Observation",
    id: `${id}-result-${index + 1}`,
    meta: meta("Observation"),
    identifier: identifier(context, `${id}-result-${index + 1}`),
    status: investigation.status,
    category: laboratory,
    code: codeableConcept(result.code),
    ...common,
    effectiveDateTime: investigation.date,
    issued: investigation.date,
    performer: [{ reference: context.organizationReference }],
    ...ucumQuantity(result.value, result.unit),
    ...(result.interpretation
      ? {
        interpretation: {
          coding: [{
            system: "http://hl7.org/fhir/v2/0078",
            ...interpretations[result.interpretation],
          }],
        },
      }
      : {}),
    specimen: { reference: `Specimen/${specimenId}` },
    ...(result.range ? { referenceRange: [rangeOf(result.range)] } : {}),
  }));
  const group: Resource[] = results.length > 1
    ? [{
      resourceType: "Observation",
      id: `${id}-group`,
      meta: meta("Observation"),
      identifier: identifier(context, `${id}-group`),
      status: investigation.status,
      category: laboratory,
      code: codeableConcept(investigation.code),
      ...common,
      effectiveDateTime: investigation.date,
      issued: investigation.date,
      performer: [{ reference: context.organizationReference }],
      specimen: { reference: `Specimen/${specimenId}` },
      related: results.map((result) => ({
        type: "has-member",
        target: { reference: `Observation/${result.id}` },
      })),
    }]
    : [];
  const report: Resource = {
    resourceType: "DiagnosticReport",
    id,
    meta: meta("DiagnosticReport"),
    identifier: identifier(context, id),
    basedOn: [{ reference: `ProcedureRequest/${requestId}` }],
    status: investigation.status,
    category: {
      coding: [{
        system: "http://hl7.org/fhir/v2/0074",
        code: "PAT",
        display: "Pathology (gross & histopath, not surgical)",
      }],
    },
    code: codeableConcept(snomed("721981007", "Diagnostic studies report")),
    ...common,
    issued: investigation.date,
    performer: [{ actor: { reference: context.organizationReference } }],
    specimen: [{ reference: `Specimen/${specimenId}` }],
    result: (group.length > 0 ? group : results).map((r) => ({
      reference: `Observation/${r.id}`,
    })),
  };
  const request: Resource = {
    resourceType: "ProcedureRequest",
    id: requestId,
    meta: meta("ProcedureRequest"),
    identifier: identifier(context, requestId),
    status: "active", // GPC-1.6 investigations ProcedureRequest: "Set value of active"
    intent: "order",
    code: codeableConcept(investigation.code),
    subject: { reference: context.patientReference },
    authoredOn: investigation.recordedAt,
    requester: { agent: practitionerReference(investigation.recorderId) },
  };
  const specimen: Resource = {
    resourceType: "Specimen",
    id: specimenId,
    meta: meta("Specimen"),
    identifier: identifier(context, specimenId),
    status: "available",
    type: codeableConcept(snomed("122555007", "Venous blood specimen")),
    subject: { reference: context.patientReference },
    collection: { collectedDateTime: investigation.date },
  };
  return [report, request, specimen, ...group, ...results];
}
