/**
 * A clinical record's items by id, with their clinical area, and the FHIR resource each area's
 * item becomes in Access Record Structured (GPC-1.6 "Returning data in lists": an allergy is an
 * `AllergyIntolerance`, a medication a `MedicationStatement` with its plan, a problem a
 * ProblemHeader `Condition`, a consultation an `Encounter`, an investigation a `DiagnosticReport`,
 * a referral a `ReferralRequest`, uncategorised data an `Observation`, a diary entry a
 * `ProcedureRequest`).
 *
 * @module
 */
import type {
  AllergyItem,
  ClinicalItemBase,
  ClinicalRecord,
  ConsultationItem,
  DiaryItem,
  ImmunisationItem,
  InvestigationItem,
  MedicationItem,
  ProblemItem,
  ReferralItem,
  UncategorisedItem,
} from "../clinical/clinical-record-types.ts";

/** The clinical area of an item. */
export type ItemKind =
  | "allergy"
  | "medication"
  | "problem"
  | "consultation"
  | "immunisation"
  | "investigation"
  | "referral"
  | "uncategorised"
  | "diary";

/** An item of a record with its area. */
export type IndexedItem =
  | { readonly kind: "allergy"; readonly item: AllergyItem }
  | { readonly kind: "medication"; readonly item: MedicationItem }
  | { readonly kind: "problem"; readonly item: ProblemItem }
  | { readonly kind: "consultation"; readonly item: ConsultationItem }
  | { readonly kind: "immunisation"; readonly item: ImmunisationItem }
  | { readonly kind: "investigation"; readonly item: InvestigationItem }
  | { readonly kind: "referral"; readonly item: ReferralItem }
  | { readonly kind: "uncategorised"; readonly item: UncategorisedItem }
  | { readonly kind: "diary"; readonly item: DiaryItem };

/** The resource type an item of each area is referenced as. */
export const itemResourceTypes: Readonly<Record<ItemKind, string>> = {
  allergy: "AllergyIntolerance",
  medication: "MedicationStatement",
  problem: "Condition",
  consultation: "Encounter",
  immunisation: "Immunization",
  investigation: "DiagnosticReport",
  referral: "ReferralRequest",
  uncategorised: "Observation",
  diary: "ProcedureRequest",
};

/** `{ reference: "Type/id" }` for an indexed item. */
export function itemReference(entry: IndexedItem): { reference: string } {
  return { reference: `${itemResourceTypes[entry.kind]}/${entry.item.id}` };
}

/**
 * Every item of a record by id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clinicalRecordFor } from "../clinical/clinical-records.ts";
 * const record = clinicalRecordFor("9690937286", new Date())!; // the rich record
 * assert.equal(recordIndex(record).get("med-1")?.kind, "medication");
 * ```
 */
export function recordIndex(record: ClinicalRecord): ReadonlyMap<string, IndexedItem> {
  const index = new Map<string, IndexedItem>();
  const add = <K extends ItemKind>(kind: K, items: readonly ClinicalItemBase[]) => {
    for (const item of items) index.set(item.id, { kind, item } as IndexedItem);
  };
  add("allergy", record.allergies);
  add("medication", record.medications);
  add("problem", record.problems);
  add("consultation", record.consultations);
  add("immunisation", record.immunisations);
  add("investigation", record.investigations);
  add("referral", record.referrals);
  add("uncategorised", record.uncategorised);
  add("diary", record.diary);
  return index;
}
