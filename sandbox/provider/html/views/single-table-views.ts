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
  datedTable,
  details,
  practitionerName,
  sectionView,
  type ViewContext,
} from "../view-context.ts";
import { cell, dateCell } from "../xhtml.ts";

function single(context: ViewContext, title: string, table: TableView): SectionView {
  return sectionView(context, title, "single", [table]);
}

/** The encounters table (also the Summary's "Last 3 Encounters", with `limit` 3). */
export function encountersTable(
  context: ViewContext,
  title = "Encounters",
  limit?: number,
): TableView {
  const rows = context.record.consultations.map((consultation) => ({
    at: consultation.start,
    confidential: consultation.confidential ?? false,
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
  }));
  return datedTable(
    { title, id: "enc-tab", headers: ["Date", "Title", "Details"], filtered: true },
    rows,
    context,
    limit,
  );
}

/** ENC. */
export function encountersView(context: ViewContext): SectionView {
  return single(context, "Encounters", encountersTable(context));
}

/** CLI. */
export function clinicalItemsView(context: ViewContext): SectionView {
  const rows = context.record.problems.map((problem) => ({
    at: problem.onset,
    confidential: problem.confidential ?? false,
    cells: [
      dateCell(problem.onset),
      cell(problem.code.display),
      cell(details(
        `${problem.status === "active" ? "Active" : "Inactive"} ${problem.significance} problem`,
        problem.abatement && `Ended ${problem.abatement.slice(0, 10)}`,
        problem.note,
      )),
    ],
  }));
  const headers = ["Date", "Entry", "Details"];
  return single(
    context,
    "Clinical Items",
    datedTable({ title: "Clinical Items", id: "cli-tab", headers, filtered: true }, rows, context),
  );
}

/** ADM. */
export function administrativeItemsView(context: ViewContext): SectionView {
  const rows = context.record.diary.map((entry) => ({
    at: entry.date,
    confidential: entry.confidential ?? false,
    cells: [
      dateCell(entry.date),
      cell(entry.code.display),
      cell(details(entry.status === "active" ? "Planned" : "Completed", entry.note)),
    ],
  }));
  const title = "Administrative Items";
  const headers = ["Date", "Entry", "Details"];
  return single(
    context,
    title,
    datedTable({ title, id: "adm-tab", headers, filtered: true }, rows, context),
  );
}

/** IMM (takes no period: every immunisation is relevant). */
export function immunisationsView(context: ViewContext): SectionView {
  const rows = context.record.immunisations.map((immunisation) => ({
    at: immunisation.date,
    confidential: immunisation.confidential ?? false,
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
  }));
  const title = "Immunisations";
  const headers = ["Date", "Vaccination", "Part", "Contents", "Details"];
  return single(
    context,
    title,
    datedTable({ title, id: "imm-tab", headers, filtered: true }, rows, context),
  );
}

/** INV. */
export function investigationsView(context: ViewContext): SectionView {
  const rows = context.record.investigations.map((investigation) => ({
    at: investigation.date,
    confidential: investigation.confidential ?? false,
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
  }));
  const title = "Investigations";
  const headers = ["Date", "Title", "Details"];
  return single(
    context,
    title,
    datedTable({ title, id: "inv-tab", headers, filtered: true }, rows, context),
  );
}

/** OBS. */
export function observationsView(context: ViewContext): SectionView {
  const rows = context.record.uncategorised.map((observation) => ({
    at: observation.date,
    confidential: observation.confidential ?? false,
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
  }));
  const title = "Observations";
  const headers = ["Date", "Entry", "Value", "Range", "Details"];
  return single(
    context,
    title,
    datedTable({ title, id: "obs-tab", headers, filtered: true }, rows, context),
  );
}

const priorities = { routine: "Routine", urgent: "Urgent", asap: "ASAP" } as const;

/** REF. */
export function referralsView(context: ViewContext): SectionView {
  const rows = context.record.referrals.map((referral) => ({
    at: referral.date,
    confidential: referral.confidential ?? false,
    cells: [
      dateCell(referral.date),
      cell(practitionerName(context, referral.recorderId)),
      cell(referral.recipient),
      cell(priorities[referral.priority]),
      cell(
        details(
          referral.reason,
          referral.status === "active" ? "Awaiting outcome" : "Completed",
          referral.note,
        ),
      ),
    ],
  }));
  const title = "Referrals";
  const headers = ["Date", "From", "To", "Priority", "Details"];
  return single(
    context,
    title,
    datedTable({ title, id: "ref-tab", headers, filtered: true }, rows, context),
  );
}
