/**
 * The plain-text summary printed at the end of a run: a table per product, totals, requirement
 * coverage and the requirements failing most.
 *
 * @module
 */

import type { RunReport, Totals } from "../model.ts";
import { oneLine } from "./redact.ts";
import { failingRequirements, tally, tallyByProduct, undecided, verdict } from "./tally.ts";

const HEAD = [
  "Product",
  "Tests",
  "Passed",
  "Failed",
  "Errored",
  "Inconclusive",
  "Not run",
  "Skipped",
  "Result",
] as const;
const VERDICT_TEXT = { pass: "PASS", fail: "FAIL", skip: "SKIPPED", none: "—" } as const;

function row(name: string, t: Totals): string[] {
  return [
    name,
    String(t.tests),
    String(t.passed),
    String(t.failed),
    String(t.errored),
    String(t.inconclusive),
    String(t.notRun),
    String(t.skipped),
    VERDICT_TEXT[verdict(t)] + (verdict(t) === "pass" && undecided(t) > 0 ? " (not all run)" : ""),
  ];
}

/** Renders rows as aligned columns: the first left-aligned, numbers right-aligned. */
function columns(rows: readonly string[][], ruleAfter: ReadonlySet<number>): string {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const lines: string[] = [];
  rows.forEach((r, index) => {
    const cells = r.map((cell, i) => {
      const w = widths[i] ?? 0;
      return i === 0 || i === r.length - 1 ? cell.padEnd(w) : cell.padStart(w);
    });
    lines.push(cells.join("  ").trimEnd());
    if (ruleAfter.has(index)) lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  });
  return lines.join("\n");
}

/** Percentage with one decimal, `–` when the whole is zero. */
function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "–";
}

/**
 * The summary table of `report`. Counts come from `report.results` (as in every other output);
 * coverage from `report.coverage`.
 *
 * @param report the finished run
 * @param top how many failing requirements to list (default 10)
 */
export function summaryTable(report: RunReport, top = 10): string {
  const byProduct = tallyByProduct(report.results, Object.keys(report.byProduct));
  const rows: string[][] = [[...HEAD]];
  for (const [product, t] of Object.entries(byProduct)) rows.push(row(product, t));
  rows.push(row("Total", tally(report.results)));
  const out = [columns(rows, new Set([0, rows.length - 2]))];

  const { requirements, verified, failed, notRun, untested } = report.coverage;
  out.push(
    "",
    `Requirements: ${verified.length}/${requirements} verified ` +
      `(${percent(verified.length, requirements)}; a test naming it passed and none failed), ` +
      `${failed.length} failed, ${notRun.length} not run, ${untested.length} untested`,
  );
  if (untested.length > 0) {
    const shown = untested.slice(0, 20).map((id) => oneLine(id, 60)).join(", ");
    out.push(`Untested: ${shown}${untested.length > 20 ? `, … ${untested.length - 20} more` : ""}`);
  }

  const failing = failingRequirements(report.results);
  if (failing.length > 0) {
    out.push("Top failing requirements:");
    const shown = failing.slice(0, top);
    const idWidth = Math.max(...shown.map((f) => f.id.length));
    for (const f of shown) {
      const examples = f.tests.slice(0, 3).join(", ") + (f.tests.length > 3 ? ", …" : "");
      const n = `${f.tests.length} test${f.tests.length === 1 ? "" : "s"}`;
      out.push(`  ${oneLine(f.id).padEnd(idWidth)}  ${n.padStart(8)}  ${oneLine(examples, 160)}`);
    }
    if (failing.length > top) out.push(`  … and ${failing.length - top} more`);
  }
  return out.join("\n");
}
