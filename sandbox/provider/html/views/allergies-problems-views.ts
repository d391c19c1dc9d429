/**
 * The multi-table Allergies and Problems views (PT-0.7.4 `HTML.feature` subsection titles, table
 * ids and headers):
 *
 * | Subsection | Table id | Columns | Period |
 * |---|---|---|---|
 * | Current Allergies and Adverse Reactions | `all-tab-curr` | Start Date, Details | (ALL takes none) |
 * | Historical Allergies and Adverse Reactions | `all-tab-hist` | Start Date, End Date, Details | (none) |
 * | Active Problems and Issues | `prb-tab-act` | Start Date, Entry, Significance, Details | not applied |
 * | Major Inactive Problems and Issues | `prb-tab-majinact` | Start Date, End Date, Entry, Significance, Details | by start date |
 * | Other Inactive Problems and Issues | `prb-tab-othinact` | Start Date, End Date, Entry, Significance, Details | by start date |
 *
 * A patient with "no known allergies" recorded and no current allergy gets a content banner
 * saying so above the (empty) current table.
 *
 * @module
 */
import type { ProblemItem } from "../../clinical/clinical-record-types.ts";
import type { SectionView, TableView } from "../section-view.ts";
import { details, itemsTable, sectionView, type ViewContext } from "../view-context.ts";
import { cell, dateCell } from "../xhtml.ts";

const severities = { mild: "Mild", moderate: "Moderate", severe: "Severe" } as const;

/** The current (active) allergies table. */
export function currentAllergiesTable(context: ViewContext): TableView {
  const { record } = context;
  const active = record.allergies.filter((allergy) => allergy.clinicalStatus === "active");
  const nka = record.noKnownAllergies && active.length === 0;
  return itemsTable(
    {
      title: "Current Allergies and Adverse Reactions",
      id: "all-tab-curr",
      headers: ["Start Date", "Details"],
      filtered: false,
      ...(nka ? { contentBanner: "No known allergies recorded" } : {}),
    },
    active,
    (allergy) => ({
      at: allergy.onset,
      cells: [
        dateCell(allergy.onset),
        cell(details(
          allergy.code.display,
          allergy.reaction && `Reaction: ${allergy.reaction}`,
          allergy.severity && `Severity: ${severities[allergy.severity]}`,
          allergy.note,
        )),
      ],
    }),
    context,
  );
}

/** The historical (resolved) allergies table. */
export function historicalAllergiesTable(context: ViewContext): TableView {
  return itemsTable(
    {
      title: "Historical Allergies and Adverse Reactions",
      id: "all-tab-hist",
      headers: ["Start Date", "End Date", "Details"],
      filtered: false,
    },
    context.record.allergies.filter((allergy) => allergy.clinicalStatus === "resolved"),
    (allergy) => ({
      at: allergy.onset,
      cells: [
        dateCell(allergy.onset),
        dateCell(allergy.endDate),
        cell(details(
          allergy.code.display,
          allergy.reaction && `Reaction: ${allergy.reaction}`,
          allergy.endReason && `Ended: ${allergy.endReason}`,
          allergy.note,
        )),
      ],
    }),
    context,
  );
}

/** ALL. */
export function allergiesView(context: ViewContext): SectionView {
  return sectionView(context, "Allergies and Adverse Reactions", "multiple", [
    currentAllergiesTable(context),
    historicalAllergiesTable(context),
  ]);
}

const significance = (problem: ProblemItem) => problem.significance === "major" ? "Major" : "Minor";

/** The active problems table (the consumer's period does not apply to it). */
export function activeProblemsTable(context: ViewContext): TableView {
  return itemsTable(
    {
      title: "Active Problems and Issues",
      id: "prb-tab-act",
      headers: ["Start Date", "Entry", "Significance", "Details"],
      filtered: false,
    },
    context.record.problems.filter((problem) => problem.status === "active"),
    (problem) => ({
      at: problem.onset,
      cells: [
        dateCell(problem.onset),
        cell(problem.code.display),
        cell(significance(problem)),
        cell(problem.note),
      ],
    }),
    context,
  );
}

/** An inactive problems table: major or other (minor) ones, filtered by start date. */
export function inactiveProblemsTable(context: ViewContext, major: boolean): TableView {
  return itemsTable(
    {
      title: major ? "Major Inactive Problems and Issues" : "Other Inactive Problems and Issues",
      id: major ? "prb-tab-majinact" : "prb-tab-othinact",
      headers: ["Start Date", "End Date", "Entry", "Significance", "Details"],
      filtered: true,
    },
    context.record.problems.filter((problem) =>
      problem.status === "inactive" && (problem.significance === "major") === major
    ),
    (problem) => ({
      at: problem.onset,
      cells: [
        dateCell(problem.onset),
        dateCell(problem.abatement),
        cell(problem.code.display),
        cell(significance(problem)),
        cell(problem.note),
      ],
    }),
    context,
  );
}

/** PRB. */
export function problemsView(context: ViewContext): SectionView {
  return sectionView(context, "Problems and Issues", "multiple", [
    activeProblemsTable(context),
    inactiveProblemsTable(context, true),
    inactiveProblemsTable(context, false),
  ]);
}
