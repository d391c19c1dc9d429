/**
 * The shared machinery of a structured response's sections: which items are withheld and why,
 * the resources an item becomes, the list options (warnings, in-transit date) and the record of
 * which items the primary lists returned (their linked problems go in the related problems list).
 *
 * An item is withheld when it is still awaiting filing (`data-awaiting-filing`) or confidential
 * and the response may not include confidential items (`confidential-items`; only a migration
 * with `conf/R` and `includeSensitiveInformation` may). A record in transit puts
 * `data-in-transit` on every list returned.
 *
 * @module
 */
import type { ClinicalItemBase, ClinicalRecord } from "../clinical/clinical-record-types.ts";
import type { BundleBuilder } from "./bundle-builder.ts";
import type { ListOptions, ListWarning } from "./clinical-lists.ts";
import { type IndexedItem, recordIndex } from "./record-index.ts";
import { allergyIntolerance } from "./resources/allergy-resources.ts";
import { consultationLists, encounter } from "./resources/consultation-resources.ts";
import { immunization } from "./resources/immunisation-resources.ts";
import { investigationResources } from "./resources/investigation-resources.ts";
import {
  medicationPlan,
  medicationResource,
  medicationStatement,
} from "./resources/medication-resources.ts";
import { uncategorisedObservation } from "./resources/observation-resources.ts";
import { problemHeader } from "./resources/problem-resources.ts";
import { diaryEntry, referralRequest } from "./resources/request-resources.ts";
import type { Resource, ResourceContext } from "./resources/resource-common.ts";

/** Everything a section needs. */
export interface SectionInput {
  readonly record: ClinicalRecord;
  readonly context: ResourceContext;
  /** `List.date` of every list: the response time. */
  readonly date: string;
  /** Whether confidential items may be returned (migration with sensitive information). */
  readonly includeConfidential: boolean;
  readonly builder: BundleBuilder;
}

/** Items split into those returned and the warnings for those withheld. */
export interface Split<T> {
  readonly shown: T[];
  readonly warnings: Set<ListWarning>;
}

/** The section machinery for one response. */
export interface SectionWriter extends SectionInput {
  readonly index: ReadonlyMap<string, IndexedItem>;
  /** Ids of the items the primary lists returned. */
  readonly primaryIds: Set<string>;
  /** Why an item is withheld, or `undefined` when it is returned. */
  readonly withheld: (item: ClinicalItemBase) => ListWarning | undefined;
  /** Splits items into returned and withheld-warnings. */
  readonly split: <T extends ClinicalItemBase>(items: readonly T[]) => Split<T>;
  /** List options with the record-wide warnings added. */
  readonly listOptions: (
    warnings: ReadonlySet<ListWarning>,
    contained?: readonly Resource[],
  ) => ListOptions;
  /** The resources of an item; `full` adds a consultation's structure lists. */
  readonly resourcesOf: (entry: IndexedItem, full: boolean) => Resource[];
  /** The returned item of an id, or `undefined` when absent or withheld. */
  readonly shownItem: (id: string) => IndexedItem | undefined;
}

/** The section writer of one response. */
export function sectionWriter(input: SectionInput): SectionWriter {
  const index = recordIndex(input.record);
  const { context } = input;
  const withheld = (item: ClinicalItemBase): ListWarning | undefined =>
    item.awaitingFiling
      ? "data-awaiting-filing"
      : item.confidential && !input.includeConfidential
      ? "confidential-items"
      : undefined;
  const shownItem = (id: string) => {
    const entry = index.get(id);
    return entry && withheld(entry.item) === undefined ? entry : undefined;
  };
  const resourcesOf = (entry: IndexedItem, full: boolean): Resource[] => {
    switch (entry.kind) {
      case "allergy":
        return [allergyIntolerance(context, entry.item)];
      case "medication":
        return [
          medicationStatement(context, entry.item),
          medicationPlan(context, entry.item),
          medicationResource(entry.item),
        ];
      case "problem":
        return [problemHeader(context, entry.item, (id) => index.get(id))];
      case "consultation":
        return full
          ? [encounter(context, entry.item), ...consultationLists(context, entry.item, shownItem)]
          : [encounter(context, entry.item)];
      case "immunisation":
        return [immunization(context, entry.item)];
      case "investigation":
        return investigationResources(context, entry.item);
      case "referral":
        return [referralRequest(context, entry.item)];
      case "uncategorised":
        return [uncategorisedObservation(context, entry.item)];
      case "diary":
        return [diaryEntry(context, entry.item)];
    }
  };
  return {
    ...input,
    index,
    primaryIds: new Set(),
    withheld,
    shownItem,
    split(items) {
      const shown: typeof items[number][] = [];
      const warnings = new Set<ListWarning>();
      for (const item of items) {
        const reason = withheld(item);
        if (reason) warnings.add(reason);
        else shown.push(item);
      }
      return { shown, warnings };
    },
    listOptions(warnings, contained) {
      const all = new Set(warnings);
      if (input.record.inTransit) all.add("data-in-transit");
      return {
        patientReference: context.patientReference,
        date: input.date,
        warnings: all,
        inTransitSince: input.record.inTransitSince,
        ...(contained ? { contained } : {}),
      };
    },
    resourcesOf,
  };
}
