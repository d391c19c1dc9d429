/**
 * A care record HTML view as data, and its XHTML (GPC-0.7 HTML layout guide, 0.7.4 as PT-0.7.4
 * `HTML.feature` checks it):
 *
 * - single-table views (ADM, CLI, ENC, IMM, INV, OBS, REF, PAT): `<h1>` title, then as siblings
 *   the GP transfer banner, content banner, date banner, exclusion banner and the table;
 * - multi-table views (ALL, MED, PRB, SUM): `<h1>` title, GP transfer and content banners, then one
 *   `<div>` per subsection: `<h2>` title immediately followed by its date banner, then its
 *   content banner, exclusion banner and table.
 *
 * Banners (classes `gptransfer-banner`, `content-banner`, `date-banner`, `exclusion-banner`):
 * - date: "For the period 'dd-Mmm-yyyy' to 'dd-Mmm-yyyy'", "Data items from '…'", "Data items
 *   until '…'" (PT-0.7.4 wording, #317), "All relevant items" without a period, and "Date filter
 *   not applied" on a table that ignores the consumer's period; views of sections that take no
 *   period (ALL, IMM, PAT, SUM) have none;
 * - exclusion: "Items excluded due to confidentiality and/or patient preferences";
 * - GP transfer: "Patient record transfer from previous GP Practice not yet complete; any
 *   information recorded before 'dd-Mmm-yyyy' has been excluded".
 * A table with no rows is replaced by "No '<title>' data is recorded for this patient."
 *
 * @module
 */
import type { TimePeriod } from "./care-record-request.ts";
import {
  banner,
  displayDate,
  escapeText,
  type TableRow,
  tableXhtml,
  xhtmlNamespace,
} from "./xhtml.ts";

/** What a date banner says. */
export type DateBanner =
  | { readonly kind: "all" }
  | { readonly kind: "period"; readonly period: TimePeriod }
  | { readonly kind: "not-applied" };

/** One table and its banners. */
export interface TableView {
  /** The table's title: the section title for a single-table view, else the `<h2>`. */
  readonly title: string;
  readonly id: string;
  readonly headers: readonly string[];
  readonly rows: readonly TableRow[];
  readonly dateBanner?: DateBanner;
  readonly contentBanner?: string;
  /** Items were left out as confidential. */
  readonly excluded?: boolean;
}

/** A section's view. */
export interface SectionView {
  readonly title: string;
  readonly layout: "single" | "multiple";
  readonly tables: readonly TableView[];
  /** Date (`YYYY-MM-DD`) before which a record in transit is incomplete. */
  readonly gpTransferSince?: string;
  readonly contentBanner?: string;
}

/** The text of a date banner. */
export function dateBannerText(dateBanner: DateBanner): string {
  if (dateBanner.kind === "all") return "All relevant items";
  if (dateBanner.kind === "not-applied") return "Date filter not applied";
  const { start, end } = dateBanner.period;
  if (start && end) {
    return `For the period '${displayDate(start.firstDay)}' to '${displayDate(end.lastDay)}'`;
  }
  if (start) return `Data items from '${displayDate(start.firstDay)}'`;
  return `Data items until '${displayDate(end!.lastDay)}'`;
}

function tableParts(table: TableView): string {
  return (table.dateBanner ? banner("date-banner", dateBannerText(table.dateBanner)) : "") +
    (table.contentBanner ? banner("content-banner", table.contentBanner) : "") +
    (table.excluded
      ? banner(
        "exclusion-banner",
        "Items excluded due to confidentiality and/or patient preferences",
      )
      : "") +
    (table.rows.length === 0
      ? banner(undefined, `No '${table.title}' data is recorded for this patient.`)
      : tableXhtml(table.id, table.headers, table.rows));
}

/**
 * The view's XHTML: one `div` in the XHTML namespace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cell } from "./xhtml.ts";
 * const xhtml = sectionXhtml({
 *   title: "Encounters",
 *   layout: "single",
 *   tables: [{
 *     title: "Encounters",
 *     id: "enc-tab",
 *     headers: ["Date", "Details"],
 *     rows: [[cell("10-Jan-2024"), cell("Seen")]],
 *   }],
 * });
 * assert.match(xhtml, /^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml">/);
 * ```
 */
export function sectionXhtml(view: SectionView): string {
  const head = `<h1>${escapeText(view.title)}</h1>` +
    (view.gpTransferSince
      ? banner(
        "gptransfer-banner",
        "Patient record transfer from previous GP Practice not yet complete; any information " +
          `recorded before '${displayDate(view.gpTransferSince)}' has been excluded`,
      )
      : "") +
    (view.contentBanner ? banner("content-banner", view.contentBanner) : "");
  const body = view.layout === "single"
    ? view.tables.map(tableParts).join("")
    : view.tables.map((table) =>
      `<div><h2>${escapeText(table.title)}</h2>${tableParts(table)}</div>`
    )
      .join("");
  return `<div xmlns="${xhtmlNamespace}">${head}${body}</div>`;
}
