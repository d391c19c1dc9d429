/**
 * The response checks the judge runs on every successful response the expectation accepts, each
 * under its own requirement id: one assertion per check that has something to say about the
 * request, its failure listing the first problems found.
 *
 * @module
 */
import type { AssertionResult } from "../model.ts";
import { metaProfileCheck } from "./meta-profile.ts";
import { referencesResolveCheck } from "./references-resolve.ts";
import { requestedPatientCheck } from "./requested-patient.ts";
import { type CheckInput, firstProblems, type ResponseCheck } from "./response-check.ts";
import { searchIncludesCheck } from "./search-includes.ts";
import { searchWindowCheck } from "./search-window.ts";

/** Every response check, in report order. */
export const responseChecks: readonly ResponseCheck[] = [
  searchWindowCheck,
  requestedPatientCheck,
  searchIncludesCheck,
  referencesResolveCheck,
  metaProfileCheck,
];

/**
 * The assertions of every check that applies to `input`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const [assertion] = runResponseChecks({
 *   request: {
 *     interaction: "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1",
 *     fhirVersion: "STU3",
 *     method: "GET",
 *     url: "http://127.0.0.1/B82617/STU3/1/gpconnect/Slot?start=ge2025-01-16&end=le2025-01-17&status=free",
 *   },
 *   body: {
 *     resourceType: "Bundle",
 *     type: "searchset",
 *     entry: [{ resource: { resourceType: "Slot", id: "1", status: "free", start: "2025-01-20T09:00:00+00:00", end: "2025-01-20T09:10:00+00:00" } }],
 *   },
 * });
 * assert.equal(assertion?.requirement, "RESP-SEARCH-WINDOW");
 * assert.equal(assertion?.passed, false);
 * ```
 */
export function runResponseChecks(
  input: CheckInput,
  checks: readonly ResponseCheck[] = responseChecks,
): AssertionResult[] {
  const assertions: AssertionResult[] = [];
  for (const check of checks) {
    const verdict = check.check(input);
    if (verdict === undefined) continue;
    const passed = verdict.problems.length === 0;
    assertions.push({
      description: verdict.description,
      passed,
      requirement: check.requirement,
      ...(passed ? {} : { message: firstProblems(verdict.problems) }),
    });
  }
  return assertions;
}
