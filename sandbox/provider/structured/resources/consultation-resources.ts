/**
 * A consultation as GP Connect resources (GPC-1.6 consultation guidance, "List - consultation
 * structure"): the `Encounter`, then the structure lists that reference it —
 *
 * - `List` (consultation, `325851000000107`) → one `List` (topic, `25851000000105`) per topic,
 *   carrying `relatedProblemHeader` when the topic is about a problem →
 * - one `List` (category, `24781000000107`) per heading within the topic → the items.
 *
 * Headings follow the item's clinical area (Examination, Medication, Test results …). Items the
 * response withholds are left out; structure lists carry no warnings (the spec keeps warnings on
 * the primary and secondary lists). Problems recorded in a topic are shown by the topic's
 * problem link, and resolved allergies (contained in their own list) are not linked here.
 *
 * @module
 */
import type { ConsultationItem } from "../../clinical/clinical-record-types.ts";
import { type IndexedItem, type ItemKind, itemReference } from "../record-index.ts";
import { relatedProblemHeader } from "./problem-resources.ts";
import {
  identifier,
  meta,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

const headings: Readonly<Record<ItemKind, string | undefined>> = {
  uncategorised: "Examination",
  medication: "Medication",
  allergy: "Allergies",
  immunisation: "Immunisations",
  investigation: "Test results",
  referral: "Referral",
  diary: "Plan",
  problem: undefined,
  consultation: undefined,
};

const snomed = "http://snomed.info/sct";

function structureList(
  context: ResourceContext,
  consultation: ConsultationItem,
  fields: { id: string; code: string; display: string; title: string; entries: unknown[] },
  extension?: unknown[],
): Resource {
  return {
    resourceType: "List",
    id: fields.id,
    meta: meta("List"),
    ...(extension ? { extension } : {}),
    status: "current",
    mode: "snapshot",
    title: fields.title,
    code: { coding: [{ system: snomed, code: fields.code, display: fields.display }] },
    subject: { reference: context.patientReference },
    encounter: { reference: `Encounter/${consultation.id}` },
    date: consultation.recordedAt,
    entry: fields.entries.map((item) => ({ item })),
  };
}

/** The Encounter of a consultation. */
export function encounter(context: ResourceContext, consultation: ConsultationItem): Resource {
  return {
    resourceType: "Encounter",
    id: consultation.id,
    meta: meta("Encounter"),
    identifier: identifier(context, consultation.id),
    status: "finished",
    type: [{ text: consultation.type }],
    subject: { reference: context.patientReference },
    participant: [{
      type: [{
        coding: [{
          system: "http://hl7.org/fhir/v3/ParticipationType",
          code: "PPRF",
          display: "primary performer",
        }],
      }],
      individual: practitionerReference(consultation.recorderId),
    }],
    period: { start: consultation.start, end: consultation.end },
    location: [{ location: { reference: `Location/${consultation.locationId}` } }],
    serviceProvider: { reference: context.organizationReference },
  };
}

/**
 * The structure lists of a consultation, the consultation list first. `shown` resolves an item
 * id to the item when the response includes it.
 */
export function consultationLists(
  context: ResourceContext,
  consultation: ConsultationItem,
  shown: (id: string) => IndexedItem | undefined,
): Resource[] {
  const topics: Resource[] = [];
  const categories: Resource[] = [];
  consultation.topics.forEach((topic, topicIndex) => {
    const topicId = `${consultation.id}-topic-${topicIndex + 1}`;
    const byHeading = new Map<string, unknown[]>();
    for (const id of topic.itemIds) {
      const entry = shown(id);
      const heading = entry ? headings[entry.kind] : undefined;
      if (!entry || !heading) continue;
      if (entry.kind === "allergy" && entry.item.clinicalStatus === "resolved") continue;
      byHeading.set(heading, [...(byHeading.get(heading) ?? []), itemReference(entry)]);
    }
    const topicCategories = [...byHeading].map(([heading, entries], index) =>
      structureList(context, consultation, {
        id: `${topicId}-category-${index + 1}`,
        code: "24781000000107",
        display: "Category (EHR)",
        title: heading,
        entries,
      })
    );
    categories.push(...topicCategories);
    const problem = topic.problemId ? shown(topic.problemId) : undefined;
    topics.push(structureList(
      context,
      consultation,
      {
        id: topicId,
        code: "25851000000105",
        display: "Topic (EHR)",
        title: topic.title,
        entries: topicCategories.map((list) => ({ reference: `List/${list.id}` })),
      },
      problem ? [relatedProblemHeader(problem.item.id)] : undefined,
    ));
  });
  const consultationList = structureList(context, consultation, {
    id: `${consultation.id}-consultation`,
    code: "325851000000107",
    display: "Consultation encounter type",
    title: consultation.type,
    entries: topics.map((list) => ({ reference: `List/${list.id}` })),
  });
  return [consultationList, ...topics, ...categories];
}
