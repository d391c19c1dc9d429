/**
 * A patient's medication as the Prescriptions API (FHIR R4, UK Core) serves it, built from the
 * same clinical record Access Record Structured renders (`clinicalRecordFor`, no fork): per
 * medication a `MedicationStatement`, the `MedicationRequest` with `intent: plan` (the
 * authorisation it is `basedOn`) and one `MedicationRequest` with `intent: order` per issue —
 * the structure of GPC-1.6's STU3 medication, in R4 (Simplifier "GP Connect (Patient Facing)
 * Prescriptions", Starting with Medication). Items the record withholds (confidential, awaiting
 * filing) are withheld here too.
 *
 * Ids are the structured record's prefixed with the patient's logical id (`2-med-1-plan`), so
 * they are unique in the practice; `identifier` values are the structured record's
 * cross-care-setting identifiers, so a consumer can match the two. Every date moves with the
 * clock.
 *
 * @module
 */
import type { ClinicalRecord, MedicationItem } from "../../clinical/clinical-record-types.ts";
import { clinicalRecordFor } from "../../clinical/clinical-records.ts";
import { emptyRecord } from "../../clinical/records/empty-record.ts";
import type { HeldPatient } from "../../provider-patients.ts";
import {
  crossCareSettingIdentifier,
  dayOf,
  stableUuid,
} from "../../structured/resources/resource-common.ts";
import {
  medicationIds,
  planValidityPeriod,
  quantityValueUnit,
} from "../../structured/resources/medication-resources.ts";
import type { PracticeData } from "../../practice/practice-data.ts";

/** A FHIR resource as plain JSON. */
export type R4Resource = Record<string, unknown> & { resourceType: string; id: string };

/** UK Core's profile URL of a resource type. */
export const ukCoreProfile = (name: string): string =>
  `https://fhir.hl7.org.uk/StructureDefinition/UKCore-${name}`;

const courseOfTherapy = {
  acute: {
    system: "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy",
    code: "acute",
    display: "Short course (acute) therapy",
  },
  repeat: {
    system: "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy",
    code: "continuous",
    display: "Continuous long term therapy",
  },
  "repeat-dispensing": {
    system: "https://fhir.hl7.org.uk/CodeSystem/UKCore-MedicationRequestCourseOfTherapy",
    code: "continuous-repeat-dispensing",
    display: "Continuous long term (repeat dispensing)",
  },
} as const;

/** Prescribed in the community (primary care). */
const communityCategory = [{
  coding: [{
    system: "http://terminology.hl7.org/CodeSystem/medicationrequest-category",
    code: "community",
    display: "Community",
  }],
}];

/** A patient's medication resources. */
export interface PatientMedication {
  readonly statements: readonly R4Resource[];
  /** Plans and orders, plans first, each group in record order. */
  readonly requests: readonly R4Resource[];
  /** The medication item behind each plan id (a Task's focus). */
  readonly planItems: ReadonlyMap<string, MedicationItem>;
}

function quantity(text: string): Record<string, unknown> {
  return quantityValueUnit(text) ?? { unit: text };
}

/** The display of a practitioner's role, e.g. `Dr Melissa Parsons`. */
export function practitionerDisplay(practice: PracticeData, id: string): string | undefined {
  const practitioner = practice.practitioners.find((candidate) => candidate.id === id);
  return practitioner
    ? `${practitioner.prefix} ${practitioner.given.join(" ")} ${practitioner.family}`
    : undefined;
}

/** What the builders need besides the item. */
interface Context {
  readonly nhsNumber: string;
  readonly logicalId: string;
  readonly practice: PracticeData;
}

const r4Id = (context: Context, id: string) => `${context.logicalId}-${id}`;

function common(context: Context, medication: MedicationItem, profile: string, id: string) {
  const display = practitionerDisplay(context.practice, medication.recorderId);
  return {
    meta: { profile: [ukCoreProfile(profile)] },
    identifier: [{
      system: crossCareSettingIdentifier,
      value: stableUuid(`${context.nhsNumber}/${id}`),
    }],
    medicationCodeableConcept: {
      coding: [{ ...medication.code }],
      text: medication.code.display,
    },
    subject: { reference: `Patient/${context.nhsNumber}` },
    requester: {
      reference: `PractitionerRole/${medication.recorderId}`,
      ...(display ? { display } : {}),
    },
  };
}

function plan(context: Context, medication: MedicationItem): R4Resource {
  const ids = medicationIds(medication);
  const { requester, ...shared } = common(context, medication, "MedicationRequest", ids.plan);
  const repeat = medication.prescriptionType !== "acute";
  return {
    resourceType: "MedicationRequest",
    id: r4Id(context, ids.plan),
    ...(repeat
      ? {
        extension: [{
          url:
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-MedicationRepeatInformation",
          extension: [{
            url: "numberOfPrescriptionsIssued",
            valueUnsignedInt: medication.issues.length,
          }],
        }],
      }
      : {}),
    ...shared,
    status: medication.status,
    ...(medication.status === "stopped"
      ? { statusReason: { text: medication.endReason ?? "Stopped" } }
      : {}),
    intent: "plan",
    category: communityCategory,
    authoredOn: medication.start,
    requester,
    courseOfTherapyType: { coding: [{ ...courseOfTherapy[medication.prescriptionType] }] },
    ...(medication.note ? { note: [{ text: medication.note }] } : {}),
    dosageInstruction: [{ text: medication.dosage }],
    dispenseRequest: {
      validityPeriod: planValidityPeriod(medication),
      quantity: quantity(medication.quantity),
    },
  };
}

function order(
  context: Context,
  medication: MedicationItem,
  issue: MedicationItem["issues"][number],
): R4Resource {
  const { requester, ...shared } = common(context, medication, "MedicationRequest", issue.id);
  return {
    resourceType: "MedicationRequest",
    id: r4Id(context, issue.id),
    ...shared,
    basedOn: [{ reference: `MedicationRequest/${r4Id(context, medicationIds(medication).plan)}` }],
    status: "completed",
    intent: "order",
    category: communityCategory,
    authoredOn: issue.date,
    requester,
    courseOfTherapyType: { coding: [{ ...courseOfTherapy[medication.prescriptionType] }] },
    dosageInstruction: [{ text: medication.dosage }],
    dispenseRequest: {
      validityPeriod: { start: dayOf(issue.date) },
      quantity: quantity(issue.quantity),
    },
  };
}

function statement(context: Context, medication: MedicationItem): R4Resource {
  const { requester: _requester, ...shared } = common(
    context,
    medication,
    "MedicationStatement",
    medication.id,
  );
  return {
    resourceType: "MedicationStatement",
    id: r4Id(context, medication.id),
    ...shared,
    basedOn: [{ reference: `MedicationRequest/${r4Id(context, medicationIds(medication).plan)}` }],
    status: medication.status,
    effectivePeriod: {
      start: medication.start,
      ...(medication.end ? { end: medication.end } : {}),
    },
    dateAsserted: medication.recordedAt,
    ...(medication.note ? { note: [{ text: medication.note }] } : {}),
    dosage: [{ text: medication.dosage }],
  };
}

/** The medication items the practice shares: none confidential or awaiting filing. */
export function sharedMedications(record: ClinicalRecord): MedicationItem[] {
  return record.medications.filter((item) => !item.confidential && !item.awaitingFiling);
}

/**
 * The held patient's medication on the day of `now`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { practiceData } from "../../practice/practice-data.ts";
 * import { fixturePatients } from "../../../pds/fixture-patients.ts";
 * import { patientRegister } from "../../provider-patients.ts";
 * const held = patientRegister(fixturePatients, "B82617").byNhsNumber("9690937286")!;
 * const medication = patientMedication(held, practiceData, new Date());
 * assert.equal(medication.statements.length, 6);
 * ```
 */
export function patientMedication(
  held: HeldPatient,
  practice: PracticeData,
  now: Date,
): PatientMedication {
  const nhsNumber = held.patient.nhsNumber;
  const record = clinicalRecordFor(nhsNumber, now) ?? emptyRecord(nhsNumber);
  const context: Context = { nhsNumber, logicalId: held.record.logicalId, practice };
  const items = sharedMedications(record);
  const planItems = new Map<string, MedicationItem>();
  for (const item of items) planItems.set(r4Id(context, medicationIds(item).plan), item);
  return {
    statements: items.map((item) => statement(context, item)),
    requests: [
      ...items.map((item) => plan(context, item)),
      ...items.flatMap((item) => item.issues.map((issue) => order(context, item, issue))),
    ],
    planItems,
  };
}
