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
import type { MeshCaseItem } from "../mesh/mesh-scenario.ts";
import type { PfScenario } from "../patient-facing/pf-scenario.ts";
import { pfNamedRequirements } from "../patient-facing/pf-requirements.ts";

/** One request of a case and what its response must be. */
export interface CaseStep {
  readonly request: RequestTemplate;
  readonly expect: Expectation;
}

/** What a case runs: a GP Connect scenario or flow, or a MESH or messaging scenario. */
export type CaseItem = Scenario | Flow | MeshCaseItem | PfScenario;

/** The scenario or flow of a case. */
export function caseItem(testCase: TestCase): CaseItem {
  return testCase.kind === "flow" ? testCase.flow : testCase.scenario;
}

/** Whether an item speaks MESH (its requests are not GP Connect RESTful requests). */
export function isMeshItem(item: CaseItem): item is MeshCaseItem {
  return item.product === "mesh" || item.product === "messaging";
}

/** Whether an item is a patient-facing scenario (its steps are not GP Connect RESTful requests). */
export function isPfItem(item: CaseItem): item is PfScenario {
  return item.product === "patient-facing";
}

/**
 * The GP Connect steps of a scenario (itself) or a flow (its steps, then its teardown); none for
 * a MESH or messaging scenario.
 *
 * @example
 * ```ts
 * import { loadTestCases } from "./test-cases.ts";
 *
 * const flow = (await loadTestCases()).find((testCase) => testCase.kind === "flow");
 * if (flow) itemSteps(caseItem(flow)).map((step) => step.request.interaction);
 * ```
 */
export function itemSteps(item: CaseItem): readonly CaseStep[] {
  if (isMeshItem(item) || isPfItem(item)) return [];
  return "steps" in item ? [...item.steps, ...(item.teardown ?? [])] : [item];
}

/** The requirement ids a MESH or messaging scenario's checks name besides its own. */
function meshCheckRequirements(item: MeshCaseItem): string[] {
  if (item.product === "messaging") {
    const { infAck, busAck, duplicate, filed } = item.expect;
    return [
      ...[infAck, busAck, duplicate?.infAck, duplicate?.busAck].flatMap((ack) =>
        ack === undefined || ack === "absent" || ack.requirement === undefined
          ? []
          : [ack.requirement]
      ),
      ...(filed ? ["MSG-FILED"] : []),
    ];
  }
  return item.steps.flatMap(({ expect, requirement }) => [
    ...(requirement === undefined ? [] : [requirement]),
    ...(expect.error?.requirement === undefined ? [] : [expect.error.requirement]),
    ...(expect.json ?? []).flatMap((check) => check.requirement ?? []),
  ]);
}

/** The requirement ids a scenario or flow names, each once: its own, then its assertions'. */
export function namedRequirements(item: CaseItem): string[] {
  if (isPfItem(item)) return pfNamedRequirements(item);
  if (isMeshItem(item)) return [...new Set([...item.requirements, ...meshCheckRequirements(item)])];
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
