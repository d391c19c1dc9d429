/**
 * The secondary lists of a structured response (GPC-1.6 "Returning data in lists", secondary
 * lists and the related problems list):
 *
 * - with `includeProblems`: for the returned problems, the items related to them (their
 *   `relatedItemIds`, and the consultations whose topics are about them), one
 *   "Problems - … related to problems" list per area;
 * - with `includeConsultations`: the items recorded in the returned consultations (in a topic or
 *   pointing at the consultation), one "Consultations - … contained in consultations" list per
 *   area;
 * - for any query, one "Problems - linked problems not relating to the primary query" list of the
 *   problems linked to an item of a primary list that the Problems list did not return.
 *
 * A secondary list is returned only when it has entries or an item was withheld from it; resolved
 * allergies are contained in their "allergies that have been ended" list. Linked medications come
 * without their issues and linked consultations as the Encounter only.
 *
 * @module
 */
import { clinicalList, secondaryList } from "./clinical-lists.ts";
import { type IndexedItem, type ItemKind, itemReference } from "./record-index.ts";
import type { SectionWriter } from "./section-writer.ts";

type Scope = "problems" | "consultations";

const areaCodes: Readonly<Record<Scope, Readonly<Partial<Record<ItemKind, string>>>>> = {
  problems: {
    allergy: "problems-allergies-related-to-problems",
    consultation: "problems-consultations-related-to-problems",
    diary: "problems-diary-entries-related-to-problems",
    immunisation: "problems-immunisations-related-to-problems",
    investigation: "problems-investigations-related-to-problems",
    medication: "problems-medications-related-to-problems",
    referral: "problems-outbound-referrals-related-to-problems",
    uncategorised: "problems-uncategorised-data-related-to-problems",
  },
  consultations: {
    allergy: "consultations-allergies-contained-in-consultations",
    diary: "consultations-diary-entries-contained-in-consultations",
    immunisation: "consultations-immunisations-contained-in-consultations",
    investigation: "consultations-investigations-contained-in-consultations",
    medication: "consultations-medications-contained-in-consultations",
    referral: "consultations-outbound-referrals-in-consultations",
    problem: "consultations-problems-contained-in-consultations",
    uncategorised: "consultations-uncategorised-data-contained-in-consultations",
  },
};

const endedAllergyCodes: Readonly<Record<Scope, string>> = {
  problems: "problems-allergies-that-have-been-ended-related-to-problems",
  consultations: "consultations-allergies-that-have-been-ended-contained-in-consultations",
};

function codeFor(scope: Scope, entry: IndexedItem): string | undefined {
  if (entry.kind === "allergy" && entry.item.clinicalStatus === "resolved") {
    return endedAllergyCodes[scope];
  }
  return areaCodes[scope][entry.kind];
}

function addSecondaryLists(writer: SectionWriter, scope: Scope, ids: Iterable<string>): void {
  const groups = new Map<string, IndexedItem[]>();
  for (const id of new Set(ids)) {
    const entry = writer.index.get(id);
    const code = entry ? codeFor(scope, entry) : undefined;
    if (!entry || !code) continue;
    groups.set(code, [...(groups.get(code) ?? []), entry]);
  }
  for (const code of [...groups.keys()].sort()) {
    const entries = groups.get(code)!;
    const { shown, warnings } = writer.split(entries.map((entry) => entry.item));
    if (shown.length === 0 && warnings.size === 0) continue;
    const returned = entries.filter((entry) => shown.includes(entry.item));
    if (code === endedAllergyCodes[scope]) {
      const contained = returned.flatMap((entry) => writer.resourcesOf(entry, false));
      writer.builder.add(clinicalList(
        secondaryList(code),
        contained.map((resource) => ({ reference: `#${resource.id}` })),
        writer.listOptions(warnings, contained),
      ));
      continue;
    }
    writer.builder.add(
      clinicalList(secondaryList(code), returned.map(itemReference), writer.listOptions(warnings)),
      ...returned.flatMap((entry) => writer.resourcesOf(entry, false)),
    );
  }
}

/** Ids of the problems linked to an item: its problem links in both directions, topics. */
function problemsLinkedTo(writer: SectionWriter, id: string): string[] {
  const { record } = writer;
  const linked = record.problems
    .filter((problem) => problem.relatedItemIds.includes(id))
    .map((problem) => problem.id);
  const entry = writer.index.get(id);
  if (entry?.kind === "problem") {
    linked.push(
      ...entry.item.relatedItemIds.filter((other) => writer.index.get(other)?.kind === "problem"),
    );
  }
  if (entry?.kind === "consultation") {
    linked.push(...entry.item.topics.flatMap((topic) => topic.problemId ? [topic.problemId] : []));
  }
  return linked;
}

/**
 * Adds the secondary lists for the problems and consultations the primary lists returned, and
 * the related problems list.
 */
export function addLinkedSections(
  writer: SectionWriter,
  requested: { readonly problems: boolean; readonly consultations: boolean },
): void {
  const { record, primaryIds } = writer;
  if (requested.problems) {
    const problems = record.problems.filter((problem) => primaryIds.has(problem.id));
    addSecondaryLists(
      writer,
      "problems",
      problems.flatMap((problem) => [
        ...problem.relatedItemIds,
        ...record.consultations
          .filter((consultation) => consultation.topics.some((t) => t.problemId === problem.id))
          .map((consultation) => consultation.id),
      ]),
    );
  }
  if (requested.consultations) {
    const consultations = record.consultations.filter((c) => primaryIds.has(c.id));
    const returned = new Set(consultations.map((c) => c.id));
    const recordedIn = [...writer.index.values()]
      .filter((entry) => entry.item.consultationId && returned.has(entry.item.consultationId))
      .map((entry) => entry.item.id);
    addSecondaryLists(writer, "consultations", [
      ...consultations.flatMap((consultation) =>
        consultation.topics.flatMap((topic) => [
          ...(topic.problemId ? [topic.problemId] : []),
          ...topic.itemIds,
        ])
      ),
      ...recordedIn,
    ]);
  }
  const related = new Set(
    [...primaryIds].flatMap((id) => problemsLinkedTo(writer, id)).filter((id) =>
      !primaryIds.has(id)
    ),
  );
  const problems = record.problems.filter((problem) => related.has(problem.id));
  const { shown, warnings } = writer.split(problems);
  if (shown.length === 0 && warnings.size === 0) return;
  const entries = shown.map((problem) => writer.index.get(problem.id)!);
  writer.builder.add(
    clinicalList(
      secondaryList("problems-linked-problems-not-relating-to-the-primary-query"),
      entries.map(itemReference),
      writer.listOptions(warnings),
    ),
    ...entries.flatMap((entry) => writer.resourcesOf(entry, false)),
  );
}
