/**
 * The primary sections of a structured response, one per requested clinical area (GPC-1.6
 * retrieve a patient's structured record, "Payload response body"): the area's primary list and
 * the resources it references, in the order allergies, medications, consultations, problems,
 * immunisations, uncategorised data, investigations, referrals, diary entries.
 *
 * Allergies: active allergies in "Allergies and adverse reactions" (an explicit "no known
 * allergies" record with no active allergy becomes the NKA AllergyIntolerance; no allergies and
 * no NKA code is an empty list); with `includeResolvedAllergies`, resolved ones contained in
 * "Ended allergies". Medications: statement, plan and drug, and with `includePrescriptionIssues`
 * (default true) the issues as orders. Immunisations: with `includeStatus` (default true) the
 * observations recording the patient's immunisation consent or dissent are listed too (as in the
 * spec's example `immunizations_response3`).
 *
 * @module
 */
import type { ClinicalItemBase } from "../clinical/clinical-record-types.ts";
import {
  inPeriod,
  matchingConsultations,
  matchingMedications,
  matchingProblems,
} from "./area-filters.ts";
import { clinicalList, type ListKind, primaryLists } from "./clinical-lists.ts";
import { type ItemKind, itemReference } from "./record-index.ts";
import {
  allergyIntolerance,
  noKnownAllergies,
  noKnownAllergiesId,
} from "./resources/allergy-resources.ts";
import { medicationOrder } from "./resources/medication-resources.ts";
import { dayOf, type Resource } from "./resources/resource-common.ts";
import type { SectionWriter } from "./section-writer.ts";
import type { StructuredQuery } from "./structured-query.ts";

/** The clinical areas of a query (no NHS number, no unsupported parameters). */
export type RecordRequest = Omit<StructuredQuery, "nhsNumber" | "unsupported">;

/** A plain section: the items the filters matched become the list's entries and resources. */
function plainSection(
  writer: SectionWriter,
  kind: ItemKind,
  list: ListKind,
  items: readonly ClinicalItemBase[],
): void {
  const { shown, warnings } = writer.split(items);
  const entries = shown.map((item) => writer.index.get(item.id)!);
  writer.builder.add(
    clinicalList(list, entries.map(itemReference), writer.listOptions(warnings)),
    ...entries.flatMap((entry) => writer.resourcesOf(entry, kind === "consultation")),
  );
  for (const item of shown) writer.primaryIds.add(item.id);
}

function allergySections(writer: SectionWriter, includeResolved: boolean): void {
  const { record, context } = writer;
  const active = record.allergies.filter((allergy) => allergy.clinicalStatus === "active");
  const { shown, warnings } = writer.split(active);
  const resources: Resource[] = shown.map((allergy) => allergyIntolerance(context, allergy));
  if (record.noKnownAllergies && active.length === 0) {
    resources.push(
      noKnownAllergies(context, record.noKnownAllergiesRecordedAt ?? writer.date),
    );
  }
  writer.builder.add(
    clinicalList(
      primaryLists.allergies,
      resources.map((resource) => ({ reference: `AllergyIntolerance/${resource.id}` })),
      writer.listOptions(warnings),
    ),
    ...resources,
  );
  for (const resource of resources) {
    if (resource.id !== noKnownAllergiesId) writer.primaryIds.add(resource.id);
  }
  if (!includeResolved) return;
  const resolved = writer.split(
    record.allergies.filter((allergy) => allergy.clinicalStatus === "resolved"),
  );
  const contained = resolved.shown.map((allergy) => allergyIntolerance(context, allergy));
  writer.builder.add(clinicalList(
    primaryLists.endedAllergies,
    contained.map((resource) => ({ reference: `#${resource.id}` })),
    writer.listOptions(resolved.warnings, contained),
  ));
  for (const allergy of resolved.shown) writer.primaryIds.add(allergy.id);
}

function medicationSection(
  writer: SectionWriter,
  query: NonNullable<RecordRequest["medication"]>,
): void {
  const { shown, warnings } = writer.split(matchingMedications(writer.record, query.searchFrom));
  const resources = shown.flatMap((medication) => [
    ...writer.resourcesOf({ kind: "medication", item: medication }, false),
    ...(query.includeIssues
      ? medication.issues
        .filter((issue) => query.searchFrom === undefined || dayOf(issue.date) >= query.searchFrom)
        .map((issue) => medicationOrder(writer.context, medication, issue))
      : []),
  ]);
  writer.builder.add(
    clinicalList(
      primaryLists.medications,
      shown.map((medication) => ({ reference: `MedicationStatement/${medication.id}` })),
      writer.listOptions(warnings),
    ),
    ...resources,
  );
  for (const medication of shown) writer.primaryIds.add(medication.id);
}

/** Immunisations, given ones only unless `includeNotGiven`; with `includeStatus` the status observations too. */
function immunisationSection(
  writer: SectionWriter,
  query: NonNullable<RecordRequest["immunisations"]>,
): void {
  const { record } = writer;
  const immunisations = writer.split(
    record.immunisations.filter((item) => query.includeNotGiven || !item.notGiven),
  );
  const statuses = writer.split(
    query.includeStatus ? record.uncategorised.filter((item) => item.immunisationStatus) : [],
  );
  const entries = [...immunisations.shown, ...statuses.shown].map((item) =>
    writer.index.get(item.id)!
  );
  writer.builder.add(
    clinicalList(
      primaryLists.immunisations,
      entries.map(itemReference),
      writer.listOptions(new Set([...immunisations.warnings, ...statuses.warnings])),
    ),
    ...entries.flatMap((entry) => writer.resourcesOf(entry, false)),
  );
  for (const entry of entries) writer.primaryIds.add(entry.item.id);
}

/**
 * Adds the primary section of every requested area.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clinicalRecordFor } from "../clinical/clinical-records.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * import { bundleBuilder } from "./bundle-builder.ts";
 * import { sectionWriter } from "./section-writer.ts";
 * const builder = bundleBuilder(practiceData, "1");
 * const writer = sectionWriter({
 *   record: clinicalRecordFor("9690937286", new Date())!, // the rich record
 *   context: {
 *     nhsNumber: "9690937286",
 *     patientReference: "Patient/2",
 *     organizationReference: "Organization/1",
 *   },
 *   date: new Date().toISOString(),
 *   includeConfidential: false,
 *   builder,
 * });
 * addPrimarySections(writer, { allergies: { includeResolved: true } });
 * const types = builder.resources([]).map((resource) => resource.resourceType);
 * assert.ok(types.includes("AllergyIntolerance"));
 * ```
 */
export function addPrimarySections(writer: SectionWriter, request: RecordRequest): void {
  const { record } = writer;
  if (request.allergies) allergySections(writer, request.allergies.includeResolved);
  if (request.medication) medicationSection(writer, request.medication);
  if (request.consultations) {
    plainSection(
      writer,
      "consultation",
      primaryLists.consultations,
      matchingConsultations(record, request.consultations),
    );
  }
  if (request.problems) {
    plainSection(
      writer,
      "problem",
      primaryLists.problems,
      matchingProblems(record, request.problems),
    );
  }
  if (request.immunisations) immunisationSection(writer, request.immunisations);
  const periodSections = [
    ["uncategorised", primaryLists.uncategorised, request.uncategorised, record.uncategorised],
    ["investigation", primaryLists.investigations, request.investigations, record.investigations],
    ["referral", primaryLists.referrals, request.referrals, record.referrals],
  ] as const;
  for (const [kind, list, area, items] of periodSections) {
    if (!area) continue;
    const matched = (items as ReadonlyArray<ClinicalItemBase & { date: string }>)
      .filter((item) => inPeriod(item.date, area.period));
    plainSection(writer, kind, list, matched);
  }
  if (request.diary) {
    const until = request.diary.searchDate;
    plainSection(
      writer,
      "diary",
      primaryLists.diary,
      // GPC-1.6 diary entry: only incomplete entries, status MUST be active.
      record.diary.filter((entry) =>
        entry.status === "active" && (until === undefined || dayOf(entry.date) <= until)
      ),
    );
  }
}
