/**
 * How a test's status is named to a reader: the same word on the console's progress lines and in
 * report.html's badges.
 *
 * @module
 */
import type { TestStatus } from "../model.ts";

/**
 * The label of each status.
 *
 * @example
 * ```ts
 * statusLabels["not-run"]; // "NOT RUN"
 * ```
 */
export const statusLabels: Readonly<Record<TestStatus, string>> = {
  pass: "PASS",
  fail: "FAIL",
  error: "ERROR",
  skip: "SKIP",
  "not-run": "NOT RUN",
  inconclusive: "INCONCLUSIVE",
};
