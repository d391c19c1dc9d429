/**
 * The Medications view (GPC-0.7.4 medications view; PT-0.7.4 `HTML.feature` subsection titles,
 * table ids, headers, date columns and grouping):
 *
 * | Subsection | Table id | Rows | Period |
 * |---|---|---|---|
 * | Acute Medication (Last 12 Months) | `med-tab-acu-med` | acute medications started in the last 365 days | not applied |
 * | Current Repeat Medication | `med-tab-curr-rep` | active repeat and repeat-dispensing medications | not applied |
 * | Discontinued Repeat Medication | `med-tab-dis-rep` | stopped or completed repeats (content banner "All repeat medication ended by a clinician action") | not applied |
 * | All Medication | `med-tab-all-sum` | one row per medication summarising its issues in the period, grouped by medication item | by issue date |
 * | All Medication Issues | `med-tab-all-iss` | every issue in the period, grouped by medication item | by issue date |
 *
 * Grouped tables list the groups by medication item name, each group headed by a one-cell
 * `med-item-column` row, rows within a group newest first.
 *
 * @module
 */
import type { MedicationItem } from "../../clinical/clinical-record-types.ts";
import { instantOf } from "../../fhir-date-span.ts";
import type { SectionView, TableView } from "../section-view.ts";
import {
  dateBannerFor,
  details,
  inPeriod,
  itemsTable,
  sectionView,
  type ViewContext,
} from "../view-context.ts";
import { type Cell, cell, dateCell, displayDate, type TableRow } from "../xhtml.ts";

const types = {
  acute: "Acute",
  repeat: "Repeat",
  "repeat-dispensing": "Repeat dispensing",
} as const;
const dayMs = 24 * 60 * 60 * 1000;
const isRepeat = (m: MedicationItem) => m.prescriptionType !== "acute";
const lastIssue = (m: MedicationItem) =>
  m.issues.map((issue) => issue.date).sort((a, b) => instantOf(b) - instantOf(a))[0];

/** The first columns of every medication table: Type, a date, item, dosage and quantity. */
function medicationHeaders(dateHeader: string, ...rest: readonly string[]): string[] {
  return ["Type", dateHeader, "Medication Item", "Dosage Instruction", "Quantity", ...rest];
}

/** The cells of {@linkcode medicationHeaders}: the quantity is the medication's unless given. */
function medicationCells(
  m: MedicationItem,
  date: string | undefined,
  quantity: string = m.quantity,
): Cell[] {
  return [
    cell(types[m.prescriptionType]),
    dateCell(date),
    cell(m.code.display),
    cell(m.dosage),
    cell(quantity),
  ];
}

/** Acute medication of the last 12 months. */
export function acuteMedicationTable(context: ViewContext): TableView {
  const since = context.now.getTime() - 365 * dayMs;
  return itemsTable(
    {
      title: "Acute Medication (Last 12 Months)",
      id: "med-tab-acu-med",
      headers: medicationHeaders(
        "Start Date",
        "Scheduled End Date",
        "Days Duration",
        "Additional Information",
      ),
      filtered: false,
    },
    context.record.medications.filter((m) => !isRepeat(m) && instantOf(m.start) >= since),
    (m) => ({
      at: m.start,
      cells: [
        ...medicationCells(m, m.start),
        dateCell(m.end),
        cell(m.end ? String(Math.round((instantOf(m.end) - instantOf(m.start)) / dayMs)) : ""),
        cell(m.note),
      ],
    }),
    context,
  );
}

/** Current repeat medication. */
export function currentRepeatTable(context: ViewContext): TableView {
  return itemsTable(
    {
      title: "Current Repeat Medication",
      id: "med-tab-curr-rep",
      headers: medicationHeaders(
        "Start Date",
        "Last Issued Date",
        "Number of Prescriptions Issued",
        "Max Issues",
        "Review Date",
        "Additional Information",
      ),
      filtered: false,
    },
    context.record.medications.filter((m) => isRepeat(m) && m.status === "active"),
    (m) => ({
      at: m.start,
      cells: [
        ...medicationCells(m, m.start),
        dateCell(lastIssue(m)),
        cell(String(m.issues.length)),
        cell(""),
        dateCell(undefined),
        cell(m.note),
      ],
    }),
    context,
  );
}

/** Discontinued repeat medication. */
export function discontinuedRepeatTable(context: ViewContext): TableView {
  return itemsTable(
    {
      title: "Discontinued Repeat Medication",
      id: "med-tab-dis-rep",
      headers: medicationHeaders(
        "Last Issued Date",
        "Discontinued Date",
        "Discontinuation Reason",
        "Additional Information",
      ),
      filtered: false,
      contentBanner: "All repeat medication ended by a clinician action",
    },
    context.record.medications.filter((m) => isRepeat(m) && m.status !== "active"),
    (m) => ({
      at: m.end ?? lastIssue(m) ?? m.start,
      cells: [
        ...medicationCells(m, lastIssue(m)),
        dateCell(m.end),
        cell(m.endReason),
        cell(m.note),
      ],
    }),
    context,
  );
}

interface GroupedRow {
  readonly group: string;
  readonly at: string;
  readonly cells: readonly Cell[];
  readonly confidential: boolean;
}

function groupedTable(
  spec: { title: string; id: string; headers: readonly string[] },
  items: readonly GroupedRow[],
  context: ViewContext,
): TableView {
  const shown = items.filter((item) => !item.confidential).sort((a, b) =>
    a.group.localeCompare(b.group) || instantOf(b.at) - instantOf(a.at)
  );
  const rows: TableRow[] = [];
  shown.forEach((item, index) => {
    if (index === 0 || shown[index - 1]!.group !== item.group) rows.push({ group: item.group });
    rows.push(item.cells);
  });
  const dateBanner = dateBannerFor(context, true);
  return {
    ...spec,
    rows,
    ...(dateBanner ? { dateBanner } : {}),
    ...(items.some((item) => item.confidential) ? { excluded: true } : {}),
  };
}

/** All medication: one row per medication with issues (or a start) in the period. */
export function allMedicationTable(context: ViewContext): TableView {
  const items: GroupedRow[] = [];
  for (const m of context.record.medications) {
    const issues = m.issues.map((issue) => issue.date).filter((date) =>
      inPeriod(date, context.period)
    )
      .sort((a, b) => instantOf(a) - instantOf(b));
    if (issues.length === 0 && (m.issues.length > 0 || !inPeriod(m.start, context.period))) {
      continue;
    }
    items.push({
      group: m.code.display,
      at: issues[issues.length - 1] ?? m.start,
      confidential: m.confidential ?? false,
      cells: [
        ...medicationCells(m, issues[0] ?? m.start),
        dateCell(issues[issues.length - 1]),
        cell(String(issues.length)),
        cell(m.status === "stopped" ? details(m.end && displayDate(m.end), m.endReason) : ""),
        cell(m.note),
      ],
    });
  }
  return groupedTable(
    {
      title: "All Medication",
      id: "med-tab-all-sum",
      headers: medicationHeaders(
        "Start Date",
        "Last Issued Date",
        "Number of Prescriptions Issued",
        "Discontinuation Details",
        "Additional Information",
      ),
    },
    items,
    context,
  );
}

/** All medication issues in the period. */
export function allIssuesTable(context: ViewContext): TableView {
  const items = context.record.medications.flatMap((m) =>
    m.issues.filter((issue) => inPeriod(issue.date, context.period)).map((issue) => ({
      group: m.code.display,
      at: issue.date,
      confidential: m.confidential ?? false,
      cells: [
        ...medicationCells(m, issue.date, issue.quantity),
        cell(""),
        cell(m.note),
      ],
    }))
  );
  return groupedTable(
    {
      title: "All Medication Issues",
      id: "med-tab-all-iss",
      headers: medicationHeaders("Issue Date", "Days Duration", "Additional Information"),
    },
    items,
    context,
  );
}

/** MED. */
export function medicationsView(context: ViewContext): SectionView {
  return sectionView(context, "Medications", "multiple", [
    acuteMedicationTable(context),
    currentRepeatTable(context),
    discontinuedRepeatTable(context),
    allMedicationTable(context),
    allIssuesTable(context),
  ]);
}
