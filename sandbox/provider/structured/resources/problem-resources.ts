/**
 * Problems as `CareConnect-GPC-ProblemHeader-Condition-1` (GPC-1.6 problems guidance): category
 * `problem-list-item`, clinical status `active` or `inactive`, the `problemSignificance`
 * extension, and one `relatedClinicalContent` extension per linked record item (a linked problem
 * is a `relatedProblemHeader` instead).
 *
 * @module
 */
import type { ProblemItem } from "../../clinical/clinical-record-types.ts";
import { type IndexedItem, itemReference } from "../record-index.ts";
import {
  codeableConcept,
  encounterContext,
  identifier,
  meta,
  noteOf,
  practitionerReference,
  type Resource,
  type ResourceContext,
} from "./resource-common.ts";

const hl7Uk = "https://fhir.hl7.org.uk/STU3/StructureDefinition";

/** The extension urls a ProblemHeader links with. */
export const problemLinkUrls = {
  relatedClinicalContent: `${hl7Uk}/Extension-CareConnect-RelatedClinicalContent-1`,
  relatedProblemHeader: `${hl7Uk}/Extension-CareConnect-RelatedProblemHeader-1`,
} as const;

/** A `relatedProblemHeader` extension pointing at a problem. */
export function relatedProblemHeader(problemId: string): Record<string, unknown> {
  return {
    url: problemLinkUrls.relatedProblemHeader,
    extension: [
      { url: "type", valueCode: "sibling" },
      { url: "target", valueReference: { reference: `Condition/${problemId}` } },
    ],
  };
}

/**
 * The ProblemHeader Condition for a problem; `linked` resolves its related item ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clinicalRecordFor } from "../../clinical/clinical-records.ts";
 * import { recordIndex } from "../record-index.ts";
 * const record = clinicalRecordFor("9690937286", new Date())!; // the rich record
 * const index = recordIndex(record);
 * const context = {
 *   nhsNumber: "9690937286",
 *   patientReference: "Patient/2",
 *   organizationReference: "Organization/1",
 * };
 * const header = problemHeader(context, record.problems[0]!, (id) => index.get(id));
 * assert.equal(header.clinicalStatus, "active");
 * ```
 */
export function problemHeader(
  context: ResourceContext,
  problem: ProblemItem,
  linked: (id: string) => IndexedItem | undefined,
): Resource {
  const links = problem.relatedItemIds.flatMap((id) => {
    const entry = linked(id);
    if (!entry) return [];
    if (entry.kind === "problem") return [relatedProblemHeader(id)];
    return [{ url: problemLinkUrls.relatedClinicalContent, valueReference: itemReference(entry) }];
  });
  return {
    resourceType: "Condition",
    id: problem.id,
    meta: meta("Condition"),
    extension: [
      {
        url: `${hl7Uk}/Extension-CareConnect-ProblemSignificance-1`,
        valueCode: problem.significance,
      },
      ...links,
    ],
    identifier: identifier(context, problem.id),
    clinicalStatus: problem.status,
    category: [{
      coding: [{
        system: "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1",
        code: "problem-list-item",
        display: "Problem List Item",
      }],
    }],
    code: codeableConcept(problem.code),
    subject: { reference: context.patientReference },
    ...encounterContext(problem.consultationId),
    onsetDateTime: problem.onset,
    ...(problem.abatement ? { abatementDateTime: problem.abatement } : {}),
    assertedDate: problem.recordedAt,
    asserter: practitionerReference(problem.recorderId),
    ...noteOf(problem.note),
  };
}
