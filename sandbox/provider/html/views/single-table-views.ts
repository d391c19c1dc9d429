/**
 * The single-table care record views, their tables as the 0.7.4 view pages and PT-0.7.4
 * `HTML.feature` name them (id, headers; date column first):
 *
 * | Section | Table id | Columns | Rows from the clinical record |
 * |---|---|---|---|
 * | ENC Encounters | `enc-tab` | Date, Title, Details | consultations |
 * | CLI Clinical Items | `cli-tab` | Date, Entry, Details | problems (conditions) |
 * | ADM Administrative Items | `adm-tab` | Date, Entry, Details | diary entries (recalls, planned activity) |
 * | IMM Immunisations | `imm-tab` | Date, Vaccination, Part, Contents, Details | immunisations |
 * | INV Investigations | `inv-tab` | Date, Title, Details | investigations with results |
 * | OBS Observations | `obs-tab` | Date, Entry, Value, Range, Details | uncategorised observations |
 * | REF Referrals | `ref-tab` | Date, From, To, Priority, Details | referrals |
 *
 * The mapping of record areas to ADM and CLI is the sandbox's choice: GP Connect leaves what a
 * system files as "administrative" or "clinical item" to the system.
 *
 * @module
 */
import type { SectionView, TableView } from "../section-view.ts";
import {
  details,
  type ItemRow,
  itemsTable,
  practitionerName,
  sectionView,
  type TableSpec,
  type ViewContext,
} from "../view-context.ts";
import { cell, dateCell } from "../xhtml.ts";

/** A section of one table of clinical items, titled as the section, that the period filters. */
function singleTableView<Item extends { readonly confidential?: boolean }>(
  context: ViewContext,
  spec: Omit<TableSpec, "filtered">,
  items: readonly Item[],
  row: (item: Item) => ItemRow,
): SectionView {
  const table = itemsTable({ ...spec, filtered: true }, items, row, context);
  return sectionView(context, spec.title, "single", [table]);
}

/** The encounters table (also the Summary's "Last 3 Encounters", with `limit` 3). */
export function encountersTable(
  context: ViewContext,
  shown: { readonly title?: string; readonly limit?: number } = {},
): TableView {
  const { title = "Encounters", limit } = shown;
  return itemsTable(
    { title, id: "enc-tab", headers: ["Date", "Title", "Details"], filtered: true },
    context.record.consultations,
    (consultation) => ({
      at: consultation.start,
      cells: [
        dateCell(consultation.start),
        cell(consultation.type),
        cell(details(
          consultation.code.display,
          ...consultation.topics.map((topic) => topic.title),
          `Seen by ${practitionerName(context, consultation.recorderId)}`,
          consultation.note,
        )),
      ],
    }),
    context,
    limit,
  );
}

/** ENC. */
export function encountersView(context: ViewContext): SectionView {
  return sectionView(context, "Encounters", "single", [encountersTable(context)]);
}

/** CLI. */
export function clinicalItemsView(context: ViewContext): SectionView {
  return singleTableView(
    context,
    { title: "Clinical Items", id: "cli-tab", headers: ["Date", "Entry", "Details"] },
    context.record.problems,
    (problem) => ({
      at: problem.onset,
      cells: [
        dateCell(problem.onset),
        cell(problem.code.display),
        cell(details(
          `${problem.status === "active" ? "Active" : "Inactive"} ${problem.significance} problem`,
          problem.abatement && `Ended ${problem.abatement.slice(0, 10)}`,
          problem.note,
        )),
      ],
    }),
  );
}

/** ADM. */
export function administrativeItemsView(context: ViewContext): SectionView {
  return singleTableView(
    context,
    { title: "Administrative Items", id: "adm-tab", headers: ["Date", "Entry", "Details"] },
    context.record.diary,
    (entry) => ({
      at: entry.date,
      cells: [
        dateCell(entry.date),
        cell(entry.code.display),
        cell(details(entry.status === "active" ? "Planned" : "Completed", entry.note)),
      ],
    }),
  );
}

/** IMM (takes no period: every immunisation is relevant). */
export function immunisationsView(context: ViewContext): SectionView {
  return singleTableView(
    context,
    {
      title: "Immunisations",
      id: "imm-tab",
      headers: ["Date", "Vaccination", "Part", "Contents", "Details"],
    },
    context.record.immunisations,
    (immunisation) => ({
      at: immunisation.date,
      cells: [
        dateCell(immunisation.date),
        cell(immunisation.vaccine),
        cell(immunisation.dose),
        cell(immunisation.code.display),
        cell(details(
          immunisation.notGiven &&
            `Not given${immunisation.reasonNotGiven ? `: ${immunisation.reasonNotGiven}` : ""}`,
          immunisation.note,
        )),
      ],
    }),
  );
}

/** INV. */
export function investigationsView(context: ViewContext): SectionView {
  return singleTableView(
    context,
    { title: "Investigations", id: "inv-tab", headers: ["Date", "Title", "Details"] },
    context.record.investigations,
    (investigation) => ({
      at: investigation.date,
      cells: [
        dateCell(investigation.date),
        cell(investigation.code.display),
        cell(details(
          investigation.status === "final" ? "Final report" : "Preliminary report",
          ...investigation.results.map((result) =>
            `${result.code.display}: ${result.value}${result.unit ? ` ${result.unit}` : ""}${
              result.range ? ` (range ${result.range})` : ""
            }${
              result.interpretation && result.interpretation !== "normal"
                ? ` ${result.interpretation}`
                : ""
            }`
          ),
          investigation.note,
        )),
      ],
    }),
  );
}

/** OBS. */
export function observationsView(context: ViewContext): SectionView {
  return singleTableView(
    context,
    {
      title: "Observations",
      id: "obs-tab",
      headers: ["Date", "Entry", "Value", "Range", "Details"],
    },
    context.record.uncategorised,
    (observation) => ({
      at: observation.date,
      cells: [
        dateCell(observation.date),
        cell(observation.code.display),
        cell(
          observation.value === undefined
            ? ""
            : `${observation.value}${observation.unit ? ` ${observation.unit}` : ""}`,
        ),
        cell(""),
        cell(observation.note),
      ],
    }),
  );
}

const priorities = { routine: "Routine", urgent: "Urgent", asap: "ASAP" } as const;

/** REF. */
export function referralsView(context: ViewContext): SectionView {
  return singleTableView(
    context,
    { title: "Referrals", id: "ref-tab", headers: ["Date", "From", "To", "Priority", "Details"] },
    context.record.referrals,
    (referral) => ({
      at: referral.date,
      cells: [
        dateCell(referral.date),
        cell(practitionerName(context, referral.recorderId)),
        cell(referral.recipient),
        cell(priorities[referral.priority]),
        cell(details(
          referral.reason,
          referral.status === "active" ? "Awaiting outcome" : "Completed",
          referral.note,
        )),
      ],
    }),
  );
}
