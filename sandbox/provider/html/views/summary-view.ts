/**
 * The Summary view (PT-0.7.4 `HTML.feature`, #201 ordering): Last 3 Encounters, Active Problems
 * and Issues, Major Inactive Problems and Issues, Current Allergies and Adverse Reactions, Acute
 * Medication (Last 12 Months) and Current Repeat Medication; the same tables as the full views
 * (same ids), without date banners because Summary takes no period.
 *
 * @module
 */
import type { SectionView } from "../section-view.ts";
import { sectionView, type ViewContext } from "../view-context.ts";
import {
  activeProblemsTable,
  currentAllergiesTable,
  inactiveProblemsTable,
} from "./allergies-problems-views.ts";
import { acuteMedicationTable, currentRepeatTable } from "./medications-view.ts";
import { encountersTable } from "./single-table-views.ts";

/** SUM. */
export function summaryView(context: ViewContext): SectionView {
  return sectionView(context, "Summary", "multiple", [
    encountersTable(context, { title: "Last 3 Encounters", limit: 3 }),
    activeProblemsTable(context),
    inactiveProblemsTable(context, true),
    currentAllergiesTable(context),
    acuteMedicationTable(context),
    currentRepeatTable(context),
  ]);
}
