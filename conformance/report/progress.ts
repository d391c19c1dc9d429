/**
 * Live progress on the terminal while a run goes on, and the closing summary.
 *
 * Three modes: dots (default; one character per test, a count at each line end; safe for
 * logs and pipes: no carriage returns or escape codes unless `color`), a redrawn status line
 * (`tty: true`, only when the output is a terminal), and one line per test (`verbose`). In every
 * mode the first failures and errors (`live`, default 20) are printed as they happen with their
 * id, first failed assertion and requirement; later ones only as a dot or a count, so a run
 * against a target that refuses everything prints a bounded amount. Text from the target
 * (messages, reasons) is redacted and stripped of control characters before printing.
 *
 * @module
 */

import type { RunReport, TestResult, TestStatus } from "../model.ts";
import { oneLine } from "./redact.ts";
import { statusLabels } from "./status-labels.ts";
import { summaryTable } from "./summary-table.ts";
import { firstFailure, formatDuration, tally } from "./tally.ts";
import { exitCode } from "./exit-code.ts";

/**
 * The tests of one status grouped by reason, one line per reason (at most `max`) with the count
 * and the first ids: 1,000 tests not run for one missing role are one line, not 1,000.
 */
export function groupedReasons(
  report: RunReport,
  status: TestStatus,
  title: string,
  max = 10,
): string[] {
  const byReason = new Map<string, string[]>();
  for (const r of report.results) {
    if (r.status !== status) continue;
    const reason = oneLine(r.reason ?? status, 200);
    byReason.set(reason, [...(byReason.get(reason) ?? []), r.id]);
  }
  if (byReason.size === 0) return [];
  const total = [...byReason.values()].reduce((sum, ids) => sum + ids.length, 0);
  const lines = [`\n${title} (${total}):\n`];
  for (const [reason, ids] of [...byReason].slice(0, max)) {
    const examples = ids.slice(0, 3).map((id) => oneLine(id, 80)).join(", ");
    lines.push(`  ${ids.length} × ${reason}  (${examples}${ids.length > 3 ? ", …" : ""})\n`);
  }
  if (byReason.size > max) lines.push(`  … and ${byReason.size - max} more reasons\n`);
  return lines;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** ANSI colours (default false; e.g. `Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR")`). */
  readonly color?: boolean;
  /** One line per test instead of dots. */
  readonly verbose?: boolean;
  /** Redraw one status line with `\r` (only when the output is a terminal; default false). */
  readonly tty?: boolean;
  /** Dots per line in dot mode (default 50). */
  readonly width?: number;
  /** Failures re-listed by `finish` (default 20). */
  readonly recap?: number;
  /** Failures printed as they happen (default 20); later ones only count. */
  readonly live?: number;
}

/** Receives results as they complete, then the finished report. */
export interface Progress {
  /** Records one finished test and prints its progress. */
  onResult(result: TestResult): void;
  /** Ends the progress output and prints the summary table, a failure recap and the verdict. */
  finish(report: RunReport): void;
}

const DOT: Readonly<Record<TestStatus, string>> = {
  pass: ".",
  fail: "F",
  error: "E",
  skip: "s",
  "not-run": "n",
  inconclusive: "?",
};
const COLOR: Readonly<Record<TestStatus, string>> = {
  pass: "32",
  fail: "31",
  error: "35",
  skip: "33",
  "not-run": "33",
  inconclusive: "33",
};

/**
 * Creates the progress printer for a run of `total` tests, writing through `write` (which
 * must not add newlines of its own).
 */
export function createProgress(
  total: number,
  write: (text: string) => void,
  options: ProgressOptions = {},
): Progress {
  const width = Math.max(1, options.width ?? 50);
  const paint = (status: TestStatus, s: string) =>
    options.color ? `\x1b[${COLOR[status]}m${s}\x1b[0m` : s;
  const counts: Record<TestStatus, number> = {
    pass: 0,
    fail: 0,
    error: 0,
    skip: 0,
    "not-run": 0,
    inconclusive: 0,
  };
  const live = Math.max(0, options.live ?? 20);
  let printed = 0;
  let done = 0;
  let column = 0;
  let statusShown = false;

  const of = (n = done) => `${String(n).padStart(String(Math.max(total, n)).length)}/${total}`;
  const countsText = () =>
    `${counts.pass} passed, ${counts.fail} failed, ${counts.error} errored, ` +
    `${counts.inconclusive} inconclusive, ${counts["not-run"]} not run, ${counts.skip} skipped`;
  const clearStatus = () => {
    if (statusShown) write("\r\x1b[2K");
    statusShown = false;
  };
  const endDotLine = (n = done) => {
    if (column > 0) write(`  ${of(n)}\n`);
    column = 0;
  };

  const failureLines = (r: TestResult): string => {
    const first = firstFailure(r);
    const head = `${paint(r.status, statusLabels[r.status])} ${oneLine(r.id, 200)} — ${
      oneLine(r.title, 120)
    }\n`;
    if (!first) return head;
    const req = first.requirement ? `[${first.requirement}] ` : "";
    return `${head}      ${req}${oneLine(first.text)}\n`;
  };

  return {
    onResult(r) {
      done++;
      counts[r.status]++;
      // Past the first `live` failures, a failure is a dot like any other (the rest: the reports).
      const bad = (r.status === "fail" || r.status === "error") && printed++ < live;
      if (options.verbose) {
        clearStatus();
        if (bad) write(failureLines(r));
        else {
          const why = r.reason ? ` — ${oneLine(r.reason, 120)}` : "";
          write(
            `${paint(r.status, statusLabels[r.status])} ${oneLine(r.id, 200)} (${
              formatDuration(r.durationMs)
            })${why}\n`,
          );
        }
      } else if (options.tty) {
        clearStatus();
        if (bad) write(failureLines(r));
      } else {
        if (bad) {
          endDotLine(done - 1);
          write(failureLines(r));
        } else {
          write(paint(r.status, DOT[r.status]));
          column++;
          if (column >= width) endDotLine();
        }
      }
      if (options.tty) {
        const pct = total > 0 ? ` ${((100 * done) / total).toFixed(0)}%` : "";
        write(`${of()}${pct}  ${countsText()}  ${oneLine(r.id, 60)}`);
        statusShown = true;
      }
    },

    finish(report) {
      clearStatus();
      endDotLine();
      write(`\n${summaryTable(report)}\n`);
      const bad = report.results.filter((r) => r.status === "fail" || r.status === "error");
      const recap = Math.max(0, options.recap ?? 20);
      if (bad.length > live && printed > 0) {
        // The first ones were printed as they happened: do not print them twice.
        write(
          `\nFailures (${bad.length}): the first ${Math.min(live, bad.length)} are above; ` +
            "every one is in the reports.\n",
        );
      } else if (bad.length > 0 && recap > 0) {
        write(`\nFailures (${bad.length}):\n`);
        for (const r of bad.slice(0, recap)) write(failureLines(r));
        if (bad.length > recap) write(`  … and ${bad.length - recap} more (see the reports)\n`);
      }
      for (const line of groupedReasons(report, "not-run", "Not run")) write(line);
      for (const line of groupedReasons(report, "inconclusive", "Inconclusive")) write(line);
      const t = tally(report.results);
      const code = exitCode(report);
      const elapsed = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
      const verdict = code === 0 ? paint("pass", "PASSED") : paint("fail", "FAILED");
      write(
        `\n${verdict}: ${t.passed} passed, ${t.failed} failed, ${t.errored} errored, ` +
          `${t.inconclusive} inconclusive, ${t.notRun} not run, ${t.skipped} skipped of ` +
          `${t.tests} in ${formatDuration(elapsed)}\n`,
      );
    },
  };
}
