/**
 * Which requirements the suite's cases name (as a scenario or flow requirement, or as the
 * requirement of one of their FHIRPath assertions), and which none does: a static view of the
 * suite, before anything runs. Naming is not verifying: a run's verdicts come from its results
 * (report/requirement-coverage.ts).
 *
 * @module
 */
import type { Requirement, TestCase } from "../model.ts";
import { describeCase } from "./selection.ts";

/** Named and unnamed requirement ids, each in requirement-list order. */
export interface NamedRequirements {
  readonly named: readonly string[];
  readonly unnamed: readonly string[];
}

/**
 * The requirements of `requirements` that `cases` name, and those they do not.
 *
 * @example
 * ```ts
 * import { loadRequirements } from "./requirements.ts";
 * import { loadTestCases } from "./test-cases.ts";
 *
 * requirementsNamedBy(await loadRequirements(), await loadTestCases()).unnamed; // ["PRV-ACCESS-DENIED", …]
 * ```
 */
export function requirementsNamedBy(
  requirements: readonly Requirement[],
  cases: readonly TestCase[],
): NamedRequirements {
  const named = new Set(cases.flatMap((testCase) => describeCase(testCase).requirements));
  const ids = requirements.map((requirement) => requirement.id);
  return {
    named: ids.filter((id) => named.has(id)),
    unnamed: ids.filter((id) => !named.has(id)),
  };
}
