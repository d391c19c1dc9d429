/**
 * Requirement coverage: which requirements some test case verifies (as a scenario or flow
 * requirement, or as the requirement of one of its FHIRPath assertions), and which none does.
 *
 * @module
 */
import type { Requirement, TestCase } from "../model.ts";
import { describeCase } from "./selection.ts";

/** Verified and unverified requirement ids, each in requirement-list order. */
export interface Coverage {
  readonly verified: readonly string[];
  readonly unverified: readonly string[];
}

/**
 * The coverage of `requirements` by `cases`.
 *
 * @example
 * ```ts
 * import { loadRequirements } from "./requirements.ts";
 * import { loadTestCases } from "./test-cases.ts";
 *
 * coverage(await loadRequirements(), await loadTestCases()).unverified; // ["PRV-ACCESS-DENIED", …]
 * ```
 */
export function coverage(
  requirements: readonly Requirement[],
  cases: readonly TestCase[],
): Coverage {
  const named = new Set(cases.flatMap((testCase) => describeCase(testCase).requirements));
  const ids = requirements.map((requirement) => requirement.id);
  return {
    verified: ids.filter((id) => named.has(id)),
    unverified: ids.filter((id) => !named.has(id)),
  };
}
