/**
 * A medication as GP Connect resources (GPC-1.6 medication guidance and resource pages):
 *
 * - `MedicationStatement` (the summary: status, effective period, last issue date, dosage);
 * - `MedicationRequest` with `intent: plan` (the authorisation: prescription type, validity
 *   period, quantity), which the statement is `basedOn`;
 * - `MedicationRequest` with `intent: order` per issue, each `basedOn` the plan;
 * - `Medication` (the coded drug) referenced by all three.
 *
 * @module
 */
import type { MedicationItem } from "../../clinical/clinical-record-types.ts";
import {
  codeableConcept,
  dayOf,
  encounterContext,
  identifier,
  meta,
  noteOf,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

const nhsExtension = "https://fhir.nhs.uk/STU3/StructureDefinition";
const nhsCodeSystem = "https://fhir.nhs.uk/STU3/CodeSystem";

const prescriptionTypes = {
  acute: "Acute",
  repeat: "Repeat",
  "repeat-dispensing": "Repeat dispensing",
} as const;

/** Resource ids of a medication's plan and drug. */
export function medicationIds(medication: MedicationItem): { plan: string; medication: string } {
  return { plan: `${medication.id}-plan`, medication: `${medication.id}-medication` };
}

/**
 * The number and unit of a quantity as the record writes it (`28 tablet`), or undefined when it
 * starts with no number (`1 pack` has one, `as directed` none). STU3 and R4 medications share it.
 *
 * @example
 * ```ts
 * quantityValueUnit("28 tablet"); // { value: 28, unit: "tablet" }
 * ```
 */
export function quantityValueUnit(text: string): { value: number; unit: string } | undefined {
  const match = /^(\d+(?:\.\d+)?)\s+(.+)$/.exec(text);
  return match ? { value: Number(match[1]), unit: match[2]! } : undefined;
}

/**
 * A plan's `dispenseRequest.validityPeriod`: from the day it started to the day it ended, if it
 * has (STU3 and R4 alike).
 */
export function planValidityPeriod(medication: MedicationItem): Record<string, string> {
  return {
    start: dayOf(medication.start),
    ...(medication.end ? { end: dayOf(medication.end) } : {}),
  };
}

function quantity(text: string): Record<string, unknown> {
  return {
    extension: [{
      url: `${nhsExtension}/Extension-CareConnect-GPC-MedicationQuantityText-1`,
      valueString: text,
    }],
    ...quantityValueUnit(text),
  };
}

/** `Extension-CareConnect-GPC-PrescriptionType-1` of a plan or an order. */
function prescriptionTypeExtension(medication: MedicationItem): Record<string, unknown> {
  return {
    url: `${nhsExtension}/Extension-CareConnect-GPC-PrescriptionType-1`,
    valueCodeableConcept: {
      coding: [{
        system: `${nhsCodeSystem}/CareConnect-PrescriptionType-1`,
        code: medication.prescriptionType,
        display: prescriptionTypes[medication.prescriptionType],
      }],
    },
  };
}

/** The `Medication` resource. */
export function medicationResource(medication: MedicationItem): Resource {
  return {
    resourceType: "Medication",
    id: medicationIds(medication).medication,
    meta: meta("Medication"),
    code: codeableConcept(medication.code),
  };
}

/** The `MedicationStatement` summarising a medication. */
export function medicationStatement(
  context: ResourceContext,
  medication: MedicationItem,
): Resource {
  const ids = medicationIds(medication);
  const lastIssue = medication.issues.map((issue) => issue.date).sort().at(-1);
  return {
    resourceType: "MedicationStatement",
    id: medication.id,
    meta: meta("MedicationStatement"),
    extension: [
      ...(lastIssue
        ? [{
          url: `${nhsExtension}/Extension-CareConnect-GPC-MedicationStatementLastIssueDate-1`,
          valueDateTime: lastIssue,
        }]
        : []),
      {
        url: `${nhsExtension}/Extension-CareConnect-GPC-PrescribingAgency-1`,
        valueCodeableConcept: {
          coding: [{
            system: `${nhsCodeSystem}/CareConnect-PrescribingAgency-1`,
            code: "prescribed-at-gp-practice",
            display: "Prescribed at GP practice",
          }],
        },
      },
    ],
    identifier: identifier(context, medication.id),
    basedOn: [{ reference: `MedicationRequest/${ids.plan}` }],
    ...encounterContext(medication.consultationId),
    status: medication.status,
    medicationReference: { reference: `Medication/${ids.medication}` },
    effectivePeriod: {
      start: medication.start,
      ...(medication.end ? { end: medication.end } : {}),
    },
    dateAsserted: medication.recordedAt,
    subject: { reference: context.patientReference },
    taken: "unk",
    ...noteOf(medication.note),
    dosage: [{ text: medication.dosage }],
  };
}

/** The `MedicationRequest` (intent `plan`) authorising a medication. */
export function medicationPlan(context: ResourceContext, medication: MedicationItem): Resource {
  const ids = medicationIds(medication);
  return {
    resourceType: "MedicationRequest",
    id: ids.plan,
    meta: meta("MedicationRequest"),
    extension: [
      prescriptionTypeExtension(medication),
      ...(medication.status === "stopped"
        ? [{
          url: `${nhsExtension}/Extension-CareConnect-GPC-MedicationStatusReason-1`,
          extension: [
            ...(medication.end ? [{ url: "statusChangeDate", valueDateTime: medication.end }] : []),
            {
              url: "statusReason",
              valueCodeableConcept: { text: medication.endReason ?? "Stopped" },
            },
          ],
        }]
        : []),
    ],
    identifier: identifier(context, ids.plan),
    status: medication.status,
    intent: "plan",
    medicationReference: { reference: `Medication/${ids.medication}` },
    subject: { reference: context.patientReference },
    ...encounterContext(medication.consultationId),
    authoredOn: medication.start,
    recorder: practitionerReference(medication.recorderId),
    ...noteOf(medication.note),
    dosageInstruction: [{ text: medication.dosage }],
    dispenseRequest: {
      validityPeriod: planValidityPeriod(medication),
      quantity: quantity(medication.quantity),
    },
  };
}

/** The `MedicationRequest` (intent `order`) of one issue. */
export function medicationOrder(
  context: ResourceContext,
  medication: MedicationItem,
  issue: MedicationItem["issues"][number],
): Resource {
  const ids = medicationIds(medication);
  return {
    resourceType: "MedicationRequest",
    id: issue.id,
    meta: meta("MedicationRequest"),
    extension: [prescriptionTypeExtension(medication)],
    identifier: identifier(context, issue.id),
    basedOn: [{ reference: `MedicationRequest/${ids.plan}` }],
    status: "completed",
    intent: "order",
    medicationReference: { reference: `Medication/${ids.medication}` },
    subject: { reference: context.patientReference },
    authoredOn: issue.date,
    recorder: practitionerReference(medication.recorderId),
    dosageInstruction: [{ text: medication.dosage }],
    dispenseRequest: {
      validityPeriod: { start: dayOf(issue.date) },
      quantity: quantity(issue.quantity),
    },
  };
}
