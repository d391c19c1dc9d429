/**
 * What every care record view is built from, and the one rule of how a table meets the
 * consumer's time period: confidential items are left out (with the exclusion banner), a table
 * that filters keeps the rows whose date is in the period (start of the first day to the end of
 * the last, either bound optional; GPC-0.7 layout guide "Date banner"), rows run newest first
 * (layout guide "Table construction requirements"), and the date banner says which applied.
 *
 * @module
 */
import type { ClinicalRecord } from "../clinical/clinical-record-types.ts";
import { instantOf } from "../fhir-date-span.ts";
import { type FixturePatient, resolveFixtureDate } from "../../pds/fixture-patients.ts";
import type { PracticeData } from "../practice/practice-data.ts";
import type { TimePeriod } from "./care-record-request.ts";
import type { DateBanner, SectionView, TableView } from "./section-view.ts";
import type { Cell } from "./xhtml.ts";

/** The inputs of a view. */
export interface ViewContext {
  /** The patient's clinical record. */
  readonly record: ClinicalRecord;
  /** The patient's demographics (Patient Details). */
  readonly patient: FixturePatient;
  /** The practice (names of practitioners and organisations). */
  readonly practice: PracticeData;
  /** The clock (e.g. "last 12 months"). */
  readonly now: Date;
  /** The consumer's period, if any. */
  readonly period: TimePeriod | undefined;
  /** Whether the section's tables carry date banners (sections that take a period do). */
  readonly dateBanners: boolean;
}

/** A body row with the date it is filtered and ordered by. */
export interface DatedRow {
  /** ISO date or date-time. */
  readonly at: string;
  readonly cells: readonly Cell[];
  readonly confidential?: boolean;
}

/** How a table is titled and laid out, and whether it honours the period. */
export interface TableSpec {
  readonly title: string;
  readonly id: string;
  readonly headers: readonly string[];
  /** The consumer's period filters this table (else "Date filter not applied"). */
  readonly filtered: boolean;
  readonly contentBanner?: string;
}

/**
 * Whether an ISO date or date-time lies in the period (always, without one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fhirDateSpan } from "../fhir-date-span.ts";
 * assert.equal(inPeriod("2015-06-01T09:30:00Z", { start: fhirDateSpan("2015")! }), true);
 * ```
 */
export function inPeriod(at: string, period: TimePeriod | undefined): boolean {
  if (!period) return true;
  const instant = instantOf(at);
  if (period.start && instant < period.start.start) return false;
  if (period.end && instant > period.end.end) return false;
  return true;
}

/** The date banner of a table in this context. */
export function dateBannerFor(context: ViewContext, filtered: boolean): DateBanner | undefined {
  if (!context.dateBanners) return undefined;
  if (!context.period) return { kind: "all" };
  return filtered ? { kind: "period", period: context.period } : { kind: "not-applied" };
}

/**
 * A table of dated rows under the context's period and confidentiality rules.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cell } from "./xhtml.ts";
 * import { patientByNhsNumber } from "../../pds/fixture-patients.ts";
 * import { clinicalRecordFor } from "../clinical/clinical-records.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * const now = new Date();
 * const context = { // the rich-record patient, no period asked for
 *   record: clinicalRecordFor("9690937286", now)!,
 *   patient: patientByNhsNumber("9690937286")!,
 *   practice: practiceData,
 *   now,
 *   period: undefined,
 *   dateBanners: true,
 * };
 * const table = datedTable(
 *   { title: "Encounters", id: "enc-tab", headers: ["Date", "Details"], filtered: true },
 *   [
 *     { at: "2024-01-10", cells: [cell("10-Jan-2024"), cell("Seen")] },
 *     { at: "2024-03-02", cells: [cell("02-Mar-2024"), cell("Reviewed")], confidential: true },
 *   ],
 *   context,
 * );
 * assert.equal(table.rows.length, 1); // the confidential row is withheld…
 * assert.equal(table.excluded, true); // …and the table says so
 * ```
 */
export function datedTable(
  spec: TableSpec,
  rows: readonly DatedRow[],
  context: ViewContext,
  limit?: number,
): TableView {
  const inRange = spec.filtered ? rows.filter((row) => inPeriod(row.at, context.period)) : rows;
  const shown = inRange.filter((row) => !row.confidential)
    .sort((a, b) => instantOf(b.at) - instantOf(a.at))
    .slice(0, limit);
  const dateBanner = dateBannerFor(context, spec.filtered);
  return {
    title: spec.title,
    id: spec.id,
    headers: spec.headers,
    rows: shown.map((row) => row.cells),
    ...(dateBanner ? { dateBanner } : {}),
    ...(spec.contentBanner ? { contentBanner: spec.contentBanner } : {}),
    ...(inRange.some((row) => row.confidential) ? { excluded: true } : {}),
  };
}

/** A clinical item's row: the date it is filtered and ordered by, and its cells. */
export interface ItemRow {
  /** ISO date or date-time. */
  readonly at: string;
  readonly cells: readonly Cell[];
}

/**
 * A {@linkcode datedTable} of one row per clinical item, each row withheld when its item is
 * confidential.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cell } from "./xhtml.ts";
 * import { patientByNhsNumber } from "../../pds/fixture-patients.ts";
 * import { clinicalRecordFor } from "../clinical/clinical-records.ts";
 * import { practiceData } from "../practice/practice-data.ts";
 * const now = new Date();
 * const context = { // the rich-record patient, no period asked for
 *   record: clinicalRecordFor("9690937286", now)!,
 *   patient: patientByNhsNumber("9690937286")!,
 *   practice: practiceData,
 *   now,
 *   period: undefined,
 *   dateBanners: true,
 * };
 * const table = itemsTable(
 *   { title: "Diary", id: "diary-tab", headers: ["Date", "Entry"], filtered: true },
 *   context.record.diary,
 *   (entry) => ({ at: entry.date, cells: [cell(entry.date), cell(entry.code.display)] }),
 *   context,
 * );
 * assert.equal(table.id, "diary-tab");
 * ```
 */
export function itemsTable<Item extends { readonly confidential?: boolean }>(
  spec: TableSpec,
  items: readonly Item[],
  row: (item: Item) => ItemRow,
  context: ViewContext,
  limit?: number,
): TableView {
  const rows = items.map((item) => ({ ...row(item), confidential: item.confidential ?? false }));
  return datedTable(spec, rows, context, limit);
}

/** A practitioner's display name ("Dr Melissa Parsons"), or the id when unknown. */
export function practitionerName(context: ViewContext, id: string): string {
  const p = context.practice.practitioners.find((candidate) => candidate.id === id);
  return p ? `${p.prefix} ${p.given.join(" ")} ${p.family}` : `Practitioner ${id}`;
}

/** Non-empty parts joined with "; ". */
export function details(...parts: ReadonlyArray<string | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === "string" && part !== "").join("; ");
}

/**
 * A section view in this context: with the GP transfer banner when the record is in transit
 * (dated from `inTransitSince`, else the patient's registration start).
 */
export function sectionView(
  context: ViewContext,
  title: string,
  layout: SectionView["layout"],
  tables: readonly TableView[],
  contentBanner?: string,
): SectionView {
  const today = context.now.toISOString().slice(0, 10);
  const since = context.record.inTransit
    ? context.record.inTransitSince ??
      resolveFixtureDate(context.patient.pds.generalPractitioner?.start ?? "today", today)
    : undefined;
  return {
    title,
    layout,
    tables,
    ...(since ? { gpTransferSince: since } : {}),
    ...(contentBanner ? { contentBanner } : {}),
  };
}
