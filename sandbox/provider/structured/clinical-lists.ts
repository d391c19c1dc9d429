/**
 * The lists that organise a structured response (GPC-1.6 "Returning data in lists", List page):
 * one primary list per requested clinical area, secondary lists for what is linked to returned
 * problems or contained in returned consultations, and warnings.
 *
 * Every list is `status: current`, `mode: snapshot`, titled as the spec's table says, with the
 * clinical setting extension. An empty list carries `emptyReason` "No Content Recorded" and the
 * note "Information not available". A warning is a `ListWarningCode` extension plus its
 * associated text as a note: `confidential-items` (an item was withheld as confidential),
 * `data-awaiting-filing` (an item is still in the filing workflow) and `data-in-transit` (the
 * record is still arriving from the previous practice; on every list returned).
 *
 * @module
 */
import { displayDate } from "../clinical/clinical-dates.ts";
import { meta, type Resource } from "./resources/resource-common.ts";

/** A list warning code (CareConnect-ListWarningCode-1). */
export type ListWarning = "confidential-items" | "data-in-transit" | "data-awaiting-filing";

/** What identifies a kind of list. */
export interface ListKind {
  readonly id: string;
  readonly title: string;
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

const snomed = "http://snomed.info/sct";
const secondarySystem = "https://fhir.hl7.org.uk/STU3/CodeSystem/GPConnect-SecondaryListValues-1";

function primary(id: string, code: string, display: string, title = display): ListKind {
  return { id, title, system: snomed, code, display };
}

/** The primary lists (title, SNOMED code and preferred term from the spec's table). */
export const primaryLists = {
  allergies: primary("allergies", "886921000000105", "Allergies and adverse reactions"),
  endedAllergies: primary("ended-allergies", "1103671000000101", "Ended allergies"),
  consultations: primary("consultations", "1149501000000101", "List of consultations"),
  diary: primary("diary-entries", "714311000000108", "Patient recall administration"),
  immunisations: primary("immunisations", "1102181000000102", "Immunisations"),
  investigations: primary("investigations", "887191000000108", "Investigations and results"),
  medications: primary("medications", "933361000000108", "Medications and medical devices"),
  referrals: primary("referrals", "792931000000107", "Outbound referral"),
  problems: primary("problems", "717711000000103", "Problems"),
  uncategorised: primary(
    "uncategorised",
    "826501000000100",
    "Miscellaneous record",
    "Uncategorised data",
  ),
} as const;

/**
 * A secondary list kind from its GPConnect-SecondaryListValues-1 code; the title is the display.
 *
 * @example
 * ```ts
 * secondaryList("problems-medications-related-to-problems").title;
 * // "Problems - medications related to problems"
 * ```
 */
export function secondaryList(code: string): ListKind {
  const [area, ...rest] = code.split("-");
  const display = `${area![0]!.toUpperCase()}${area!.slice(1)} - ${rest.join(" ")}`;
  return { id: code, title: display, system: secondarySystem, code, display };
}

const warningTexts: Readonly<Record<Exclude<ListWarning, "data-in-transit">, string>> = {
  "confidential-items": "Items excluded due to confidentiality and/or patient preferences.",
  "data-awaiting-filing":
    "Patient data may be incomplete as there is data supplied by a third party awaiting review before becoming available.",
};

/** `YYYY-MM-DD` as `dd-Mmm-yyyy`, the form of the data-in-transit note. */
export const transitDate: (date: string) => string = displayDate;

/** What a list needs besides its kind and entries. */
export interface ListOptions {
  readonly patientReference: string;
  /** `List.date`: when the list was made (the response time). */
  readonly date: string;
  readonly warnings: ReadonlySet<ListWarning>;
  /** For `data-in-transit`: when the patient registered (`YYYY-MM-DD`). */
  readonly inTransitSince?: string | undefined;
  /** Resources contained in the list (resolved allergies). */
  readonly contained?: readonly Resource[];
}

/**
 * A primary or secondary List of references.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const list = clinicalList(primaryLists.allergies, [], {
 *   patientReference: "Patient/2",
 *   date: "2025-03-10T15:00:00+00:00",
 *   warnings: new Set(),
 * });
 * assert.ok(list.emptyReason); // an empty list says why
 * ```
 */
export function clinicalList(
  kind: ListKind,
  entries: ReadonlyArray<{ reference: string }>,
  options: ListOptions,
): Resource {
  const warnings = [...options.warnings].sort();
  const notes = warnings.map((warning) =>
    warning === "data-in-transit"
      ? `Patient record transfer from previous GP practice not yet complete; information recorded before ${
        transitDate(options.inTransitSince ?? options.date.slice(0, 10))
      } may be missing.`
      : warningTexts[warning]
  );
  if (entries.length === 0) notes.push("Information not available");
  return {
    resourceType: "List",
    id: `list-${kind.id}`,
    meta: meta("List"),
    ...(options.contained?.length ? { contained: [...options.contained] } : {}),
    extension: [
      {
        url:
          "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-ClinicalSetting-1",
        valueCodeableConcept: {
          coding: [{
            system: snomed,
            code: "1060971000000108",
            display: "General practice service",
          }],
        },
      },
      ...warnings.map((warning) => ({
        url:
          "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-ListWarningCode-1",
        valueCode: warning,
      })),
    ],
    status: "current",
    mode: "snapshot",
    title: kind.title,
    code: { coding: [{ system: kind.system, code: kind.code, display: kind.display }] },
    subject: { reference: options.patientReference },
    date: options.date,
    orderedBy: { coding: [{ system: "http://hl7.org/fhir/list-order", code: "event-date" }] },
    ...(notes.length > 0 ? { note: notes.map((text) => ({ text })) } : {}),
    ...(entries.length > 0 ? { entry: entries.map((item) => ({ item })) } : {
      emptyReason: {
        coding: [{
          system: "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-ListEmptyReasonCode-1",
          code: "no-content-recorded",
          display: "No Content Recorded",
        }],
      },
    }),
  };
}
