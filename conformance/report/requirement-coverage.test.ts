import assert from "node:assert/strict";
import type { TestResult, TestStatus } from "../model.ts";
import { requirementCoverage } from "./requirement-coverage.ts";

function result(
  id: string,
  status: TestStatus,
  requirements: string[],
  assertions: TestResult["assertions"] = [],
): TestResult {
  return {
    id,
    title: id,
    product: "foundations",
    interaction: undefined,
    tags: [],
    requirements,
    status,
    assertions,
    validation: [],
    exchanges: [],
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1,
  };
}

Deno.test("requirementCoverage: verified only when a test naming it passed and none failed", () => {
  const coverage = requirementCoverage(["A", "B", "C", "D", "E", "F", "G"], [
    result("t1", "pass", ["A", "B"]),
    result("t2", "fail", ["B"]),
    result("t3", "not-run", ["C"]),
    result("t4", "inconclusive", ["D"]),
    result("t5", "error", ["E"]),
    // A passing test credits its assertions' requirements too.
    result("t6", "pass", ["A"], [{ description: "built-in", passed: true, requirement: "F" }]),
  ]);
  assert.deepEqual(coverage.verified, ["A", "F"]);
  assert.deepEqual(coverage.failed, ["B", "E"]);
  assert.deepEqual(coverage.notRun, ["C", "D"]);
  assert.deepEqual(coverage.untested, ["G"]);
  assert.deepEqual(coverage.unverified, ["B", "C", "D", "E", "G"]);
  assert.equal(coverage.requirements, 7);
});

Deno.test("requirementCoverage: a failed test counts against its failed assertions' requirements", () => {
  const coverage = requirementCoverage(["A", "R"], [
    result("t1", "fail", ["A"], [
      { description: "status", passed: true, requirement: "A" },
      { description: "profile", passed: false, requirement: "R" },
    ]),
  ]);
  assert.deepEqual(coverage.failed, ["R"]);
  assert.deepEqual(coverage.verified, [], "the test did not pass: A is not verified by it");
  assert.deepEqual(coverage.notRun, ["A"]);
});

Deno.test("requirementCoverage: a selection that passes everything verifies only what it names", () => {
  const coverage = requirementCoverage(["A", "B"], [result("t1", "pass", ["A"])]);
  assert.deepEqual(coverage.verified, ["A"]);
  assert.deepEqual(coverage.untested, ["B"]);
});
