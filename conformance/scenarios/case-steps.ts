/**
 * How every part of the harness walks a test case, in one place: its scenario or flow, the
 * request and expectation of each step (a scenario's one; a flow's steps, then its teardown),
 * and the requirements it names (its own, then those of its FHIRPath assertions, `viaSsp`
 * included). The loader checks, the selection, the coverage, the preflight and the runner all
 * read a case through these, so they agree on what a case holds.
 *
 * @module
 */
import type { Expectation, Flow, RequestTemplate, Scenario, TestCase } from "../model.ts";

/** One request of a case and what its response must be. */
export interface CaseStep {
  readonly request: RequestTemplate;
  readonly expect: Expectation;
}

/** The scenario or flow of a case. */
export function caseItem(testCase: TestCase): Scenario | Flow {
  return testCase.kind === "scenario" ? testCase.scenario : testCase.flow;
}

/**
 * The steps of a scenario (itself) or a flow (its steps, then its teardown).
 *
 * @example
 * ```ts
 * itemSteps(flow).map((step) => step.request.interaction);
 * ```
 */
export function itemSteps(item: Scenario | Flow): readonly CaseStep[] {
  return "steps" in item ? [...item.steps, ...(item.teardown ?? [])] : [item];
}

/** The requirement ids a scenario or flow names, each once: its own, then its assertions'. */
export function namedRequirements(item: Scenario | Flow): string[] {
  const assertions = itemSteps(item)
    .flatMap(({ expect }) => [expect, ...(expect.viaSsp ? [expect.viaSsp] : [])])
    .flatMap((expect) => expect.fhirpath ?? []);
  return [
    ...new Set([
      ...item.requirements,
      ...assertions.flatMap((assertion) => assertion.requirement ?? []),
    ]),
  ];
}
