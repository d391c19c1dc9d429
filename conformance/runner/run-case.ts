/**
 * Runs one test case into a `TestResult` (MESH and messaging cases by `conformance/mesh/`): a
 * scenario is one judged request; a flow runs its steps
 * in order, stops at the first step that fails or cannot run, and always runs its teardown
 * (whose checks count too: a failed clean-up is a finding). Cases whose fixture roles failed the
 * preflight are `not-run`, naming the roles (the preflight summary says what is wrong with each
 * once), never skipped silently, never passed; a step that cannot be built, sent or judged
 * (`run-step.ts`) is an error, without stopping the run.
 *
 * @module
 */
import type { Flow, FlowStep, RequestTemplate, Scenario, TestCase, TestResult } from "../model.ts";
import { caseItem, itemSteps } from "../scenarios/case-steps.ts";
import type { FixtureManifest } from "../config/fixture-manifest.ts";
import type { MeshEndpoint } from "../mesh/mesh-endpoint.ts";
import { runMeshScenario } from "../mesh/run-mesh-case.ts";
import { runMessagingScenario } from "../mesh/run-messaging-case.ts";
import { runPfCase } from "../patient-facing/run-pf-case.ts";
import {
  type CaseOutcome,
  emptyCaseOutcome,
  recordJudged,
  setCaseError,
  startCase,
} from "./case-result.ts";
import { MissingStepError } from "./placeholders.ts";
import { runStep, type StepContext, type StepOutcome } from "./run-step.ts";

/** What running a case needs. */
export interface CaseContext extends StepContext {
  /** Preflight problems by fixture role. */
  readonly roleProblems: ReadonlyMap<string, string>;
  /** The target's MESH server and mailboxes, for MESH and messaging cases. */
  readonly mesh?: MeshEndpoint;
  /** Fixture roles with their patients' demographics, for messaging cases. */
  readonly manifest?: FixtureManifest;
}

/** Every request template of a case (a flow's steps, then its teardown). */
export function caseRequests(testCase: TestCase): RequestTemplate[] {
  return itemSteps(caseItem(testCase)).map((step) => step.request);
}

/** The fixture roles a case's requests use. */
export function caseRoles(testCase: TestCase): string[] {
  return [
    ...new Set(
      caseRequests(testCase).flatMap((r) => (r.patientRole === undefined ? [] : [r.patientRole])),
    ),
  ];
}

/** The id, title and other fixed fields of a case's result. */
function identity(testCase: TestCase) {
  const item = caseItem(testCase);
  return {
    id: item.id,
    title: item.title,
    product: item.product,
    interaction: itemSteps(item)[0]?.request.interaction,
    tags: item.tags,
    requirements: item.requirements,
  };
}

/** Runs a case. */
export async function runCase(testCase: TestCase, context: CaseContext): Promise<TestResult> {
  if (testCase.kind === "patient-facing") return await runPfCase(testCase.scenario, context);
  if (testCase.kind === "mesh" || testCase.kind === "messaging") {
    const meshContext = {
      endpoint: context.mesh,
      send: context.target.send,
      odsCode: context.build.odsCode,
      roles: new Map(
        [...(context.manifest?.values() ?? [])].map((role) => [role.role, {
          nhsNumber: role.nhsNumber,
          ...(role.demographics
            ? { family: role.demographics.family, birthDate: role.demographics.birthDate }
            : {}),
        }]),
      ),
    };
    return testCase.kind === "mesh"
      ? await runMeshScenario(testCase.scenario, meshContext)
      : await runMessagingScenario(testCase.scenario, {
        ...meshContext,
        build: context.build,
        manifest: context.manifest,
      });
  }
  const finish = startCase(identity(testCase));
  const notReady = caseRoles(testCase).filter((role) => context.roleProblems.has(role));
  if (notReady.length > 0) {
    return finish({
      ...emptyCaseOutcome(),
      status: "not-run",
      reason: `fixture role${notReady.length > 1 ? "s" : ""} not ready (preflight): ` +
        notReady.join(", "),
    });
  }
  const requirement = identity(testCase).requirements[0];
  const outcome = testCase.kind === "scenario"
    ? await runScenario(testCase.scenario, requirement, context)
    : await runFlow(testCase.flow, requirement, context);
  return finish(outcome);
}

/** Folds a step's outcome into the case's; returns false when the case cannot go on. */
function record(outcome: CaseOutcome, step: StepOutcome, label: string): boolean {
  if (step.kind === "unbuildable") {
    setCaseError(outcome, `${label}cannot build the request: ${step.error.message}`);
    return false;
  }
  outcome.exchanges.push(step.exchange);
  if (step.kind === "unjudged") {
    setCaseError(outcome, `${label}${step.reason}`);
    return false;
  }
  return recordJudged(outcome, step.assertions, step.validation);
}

async function runScenario(
  scenario: Scenario,
  requirement: string | undefined,
  context: CaseContext,
): Promise<CaseOutcome> {
  const outcome = emptyCaseOutcome();
  const step = await runStep({
    request: scenario.request,
    ...(scenario.mutations ? { mutations: scenario.mutations } : {}),
    expect: scenario.expect,
    requirements: scenario.requirements,
    ...(requirement === undefined ? {} : { requirement }),
  }, context);
  record(outcome, step, "");
  return outcome;
}

async function runFlow(
  flow: Flow,
  requirement: string | undefined,
  context: CaseContext,
): Promise<CaseOutcome> {
  const outcome = emptyCaseOutcome();
  const bodies = new Map<string, unknown>();
  const evaluate = context.build.evaluateFhirPath;
  const build = {
    ...context.build,
    steps: bodies,
    ...(evaluate ? { evaluateFhirPath: memoised(evaluate) } : {}),
  };
  const run = (step: FlowStep, name: string) =>
    runStep({
      name,
      request: step.request,
      ...(step.mutations ? { mutations: step.mutations } : {}),
      expect: step.expect,
      requirements: flow.requirements,
      ...(requirement === undefined ? {} : { requirement }),
    }, { ...context, build });
  for (const step of flow.steps) {
    const result = await run(step, step.name);
    // Kept even when judging failed: the teardown may have to undo what the step did.
    const body = result.kind === "unbuildable" ? undefined : result.response?.body;
    if (body !== undefined) bodies.set(step.name, body);
    if (!record(outcome, result, `step ${step.name}: `)) break;
  }
  for (const step of flow.teardown ?? []) {
    const result = await run(step, `teardown:${step.name}`);
    // Nothing to clean up when the step that would have made it never ran.
    if (result.kind === "unbuildable" && result.error instanceof MissingStepError) continue;
    record(outcome, result, `teardown ${step.name}: `);
  }
  return outcome;
}

/**
 * `evaluate` remembering its answers per (response body, expression): a flow's later steps fill
 * the same `{step.<name>:<FHIRPath>}` placeholders again and again (a booking's slot id, start,
 * end and location in every body that books), and each is a walk of a possibly large Bundle.
 */
function memoised(
  evaluate: (resource: unknown, expression: string) => unknown[],
): (resource: unknown, expression: string) => unknown[] {
  const answers = new WeakMap<object, Map<string, unknown[]>>();
  return (resource, expression) => {
    if (typeof resource !== "object" || resource === null) return evaluate(resource, expression);
    let byExpression = answers.get(resource);
    if (!byExpression) answers.set(resource, byExpression = new Map());
    let values = byExpression.get(expression);
    if (!values) byExpression.set(expression, values = evaluate(resource, expression));
    return values;
  };
}
