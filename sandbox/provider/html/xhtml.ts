/**
 * The XHTML the care record views are written in (GPC-0.7 HTML layout guide; FHIR DSTU2
 * narrative rules): every text is escaped, tabs and line breaks become spaces (PT-0.7 `HTML.feature`
 * "Check html for non html formatting": no `\n`, `\r`, `\t`), no entities other than XML's, no
 * `head`, `body`, `script`, `style`, `form`, `a` or event attributes. Dates display as
 * `dd-Mmm-yyyy` (CUI date display; PT date banners `03-May-2014`). Tables follow the 0.7.4 view
 * pages: an `id`, a `<thead>` of plain `<th>` headers and date cells marked `class="date-column"`;
 * grouped tables start each group with a one-cell row of `class="med-item-column"`.
 *
 * @module
 */
import { displayDate } from "../clinical/clinical-dates.ts";

/** Dates display as `dd-Mmm-yyyy`; the views take it from here with the cells. */
export { displayDate };

/** The XHTML namespace of a narrative `div`. */
export const xhtmlNamespace = "http://www.w3.org/1999/xhtml";

// deno-lint-ignore no-control-regex
const controls = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

/**
 * Text escaped for XHTML element content or a double-quoted attribute, on one line. Apostrophes
 * stay as they are: the banners quote dates and titles with them ("No 'Encounters' data …").
 *
 * @example
 * ```ts
 * escapeText('Fish & "chips" <b>\n'); // "Fish &amp; &quot;chips&quot; &lt;b&gt; "
 * ```
 */
export function escapeText(text: string): string {
  return text.toWellFormed()
    .replace(/[\t\n\r]/g, " ")
    .replace(controls, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A table cell: its text, and whether it is a date column. */
export interface Cell {
  readonly text: string;
  readonly date?: boolean;
}

/** A table body row: cells, or a group heading row. */
export type TableRow = readonly Cell[] | { readonly group: string };

/** A plain text cell. */
export function cell(text: string | undefined): Cell {
  return { text: text ?? "" };
}

/** A date cell (`dd-Mmm-yyyy`, empty when there is no date). */
export function dateCell(iso: string | undefined): Cell {
  return iso === undefined ? { text: "", date: true } : { text: displayDate(iso), date: true };
}

/**
 * A `<table>` with an id, headers and rows.
 *
 * @example
 * ```ts
 * tableXhtml("enc-tab", ["Date", "Title", "Details"], [[dateCell("2025-01-10"), cell("Surgery"), cell("")]]);
 * ```
 */
export function tableXhtml(
  id: string,
  headers: readonly string[],
  rows: readonly TableRow[],
): string {
  const head = headers.map((header) => `<th>${escapeText(header)}</th>`).join("");
  const body = rows.map((row) => {
    if ("group" in row) {
      return `<tr><td class="med-item-column" colspan="${headers.length}">${
        escapeText(row.group)
      }</td></tr>`;
    }
    return `<tr>${
      row.map((c) =>
        c.date
          ? `<td class="date-column">${escapeText(c.text)}</td>`
          : `<td>${escapeText(c.text)}</td>`
      ).join("")
    }</tr>`;
  }).join("");
  return `<table id="${
    escapeText(id)
  }"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * A banner: `<div class="…"><p>…</p></div>`, or `<div><p>…</p></div>` without a class.
 *
 * @example
 * ```ts
 * banner("date-banner", "All relevant items"); // '<div class="date-banner"><p>All relevant items</p></div>'
 * ```
 */
export function banner(className: string | undefined, text: string): string {
  const open = className === undefined ? "<div>" : `<div class="${escapeText(className)}">`;
  return `${open}<p>${escapeText(text)}</p></div>`;
}
