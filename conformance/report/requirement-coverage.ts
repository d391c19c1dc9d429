/**
 * Requirement verdicts from what actually happened, not from what was selected: a requirement is
 * *verified* only when at least one test naming it passed and none failed or errored; *failed*
 * when a test failed or errored against it; *not run* when tests name it but none passed or
 * failed (not run, skipped, inconclusive); *untested* when no selected test names it.
 *
 * A test names the requirements it lists and those its assertions credit. A failed test counts
 * against the requirements of its failed assertions (else all of its own), like the "top failing
 * requirements"; a passing test verifies all it names.
 *
 * @module
 */
import type { Coverage, TestResult } from "../model.ts";

/** The requirements a result names: its own and its assertions'. */
export function namedRequirements(result: TestResult): string[] {
  const ids = new Set(result.requirements);
  for (const assertion of result.assertions) {
    if (assertion.requirement !== undefined) ids.add(assertion.requirement);
  }
  return [...ids];
}

/** The requirements a failed or errored result counts against. */
export function failedRequirements(result: TestResult): string[] {
  const fromAssertions = result.assertions
    .filter((a) => !a.passed && a.requirement !== undefined)
    .map((a) => a.requirement as string);
  return [...new Set(fromAssertions.length > 0 ? fromAssertions : result.requirements)];
}

/**
 * The verdict of each of `requirementIds` (in that order) from `results`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const result = (id: string, status: "pass" | "fail", requirements: string[]) => ({
 *   id, title: id, product: "foundations" as const, interaction: undefined, tags: [],
 *   requirements, status, assertions: [], validation: [], exchanges: [],
 *   startedAt: "2026-01-01T00:00:00.000Z", durationMs: 1,
 * });
 * const coverage = requirementCoverage(["A", "B", "C"], [
 *   result("t1", "pass", ["A", "B"]),
 *   result("t2", "fail", ["B"]),
 * ]);
 * assert.deepEqual(coverage.verified, ["A"]);
 * assert.deepEqual(coverage.failed, ["B"]);
 * assert.deepEqual(coverage.untested, ["C"]);
 * ```
 */
export function requirementCoverage(
  requirementIds: readonly string[],
  results: readonly TestResult[],
): Coverage {
  const named = new Set<string>();
  const passed = new Set<string>();
  const failed = new Set<string>();
  for (const result of results) {
    const ids = namedRequirements(result);
    for (const id of ids) named.add(id);
    if (result.status === "pass") { for (const id of ids) passed.add(id); }
    else if (result.status === "fail" || result.status === "error") {
      for (const id of failedRequirements(result)) failed.add(id);
    }
  }
  const all = [...new Set(requirementIds)];
  const verified = all.filter((id) => passed.has(id) && !failed.has(id));
  const failing = all.filter((id) => failed.has(id));
  const notRun = all.filter((id) => named.has(id) && !passed.has(id) && !failed.has(id));
  const untested = all.filter((id) => !named.has(id));
  const verifiedSet = new Set(verified);
  return {
    requirements: all.length,
    verified,
    failed: failing,
    notRun,
    untested,
    unverified: all.filter((id) => !verifiedSet.has(id)),
  };
}

/** Every requirement id a coverage lists, in a stable order (verified, failed, not run, untested). */
export function coverageIds(coverage: Partial<Coverage>): string[] {
  return [
    ...new Set([
      ...(coverage.verified ?? []),
      ...(coverage.failed ?? []),
      ...(coverage.notRun ?? []),
      ...(coverage.untested ?? []),
      ...(coverage.unverified ?? []),
    ]),
  ];
}
