/**
 * The process exit status of a run (specs/decisions.md, "Run statuses and the exit status"):
 *
 * - 1 when a test failed or errored (an error means the harness could not check the target, so
 *   the run certifies nothing for it);
 * - 1 when the preflight stopped the run (target unreachable, every fixture role missing);
 * - 1 when nothing passed but some test was not run or inconclusive: such a run certifies nothing;
 * - 0 otherwise, including a run where some tests were skipped, not run or inconclusive beside
 *   passes (reports list them, and their requirements stay unverified), or none were selected.
 *
 * @module
 */
import type { RunReport } from "../model.ts";
import { tally } from "./tally.ts";

/**
 * The process exit status for `report` (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleReport } from "./testing/sample-report.ts";
 * assert.equal(exitCode(sampleReport()), 1); // it has failures
 * ```
 */
export function exitCode(report: RunReport): number {
  if (report.identity?.preflight.stopped) return 1;
  const t = tally(report.results);
  if (t.failed + t.errored > 0) return 1;
  if (t.passed === 0 && t.notRun + t.inconclusive > 0) return 1;
  return 0;
}
