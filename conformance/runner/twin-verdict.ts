/**
 * A negative is conclusive only beside its positive twin (the same request without the defect,
 * negative-twins.ts): when the twin did not pass in the same run, the provider may refuse
 * everything, and the negative's refusal (or its wrong refusal) says nothing about the defect. Its
 * result is then `inconclusive`, its checks kept, never `pass`.
 *
 * @module
 */
import type { TestResult } from "../model.ts";
import { firstFailure } from "../report/tally.ts";

/**
 * `result` of a negative judged against its twin's result (`undefined`: the twin was not run).
 * Only a pass or a fail can become inconclusive; errors, skips and not-run stay as they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const result = (id: string, status: "pass" | "fail") => ({
 *   id, title: id, product: "foundations" as const, interaction: undefined, tags: ["negative"],
 *   requirements: [], status, assertions: [], validation: [], exchanges: [],
 *   startedAt: "2026-01-01T00:00:00.000Z", durationMs: 1,
 * });
 * const judged = withTwinVerdict(result("neg", "pass"), "twin", result("twin", "fail"));
 * assert.equal(judged.status, "inconclusive");
 * assert.equal(withTwinVerdict(result("neg", "pass"), "twin", result("twin", "pass")).status, "pass");
 * ```
 */
export function withTwinVerdict(
  result: TestResult,
  twinId: string,
  twin: TestResult | undefined,
): TestResult {
  if (result.status !== "pass" && result.status !== "fail") return result;
  if (twin?.status === "pass") return result;
  const why = twin === undefined
    ? "was not run"
    : `did not pass (${twin.status}${
      firstFailure(twin) ? `: ${firstFailure(twin)?.text.slice(0, 200)}` : ""
    })`;
  return {
    ...result,
    status: "inconclusive",
    reason: `its positive twin ${twinId} (the same request without the defect) ${why}, so ` +
      "this negative proves nothing about the defect",
  };
}
