/**
 * Turns what running one case found (its outcome) into the case's `TestResult`: the case's fixed
 * fields, the outcome, when it started and how long it took. The GP Connect, patient-facing, MESH
 * and messaging runners all finish a case this way, so their results look alike in every report.
 *
 * @module
 */
import type {
  AssertionResult,
  Exchange,
  ScenarioHeader,
  TestResult,
  TestStatus,
  ValidationMessage,
} from "../model.ts";

/** What running a case found. */
export interface CaseOutcome {
  status: TestStatus;
  /** Why skipped or errored. */
  reason?: string | undefined;
  assertions: AssertionResult[];
  validation: ValidationMessage[];
  exchanges: Exchange[];
}

/** The fixed fields of a case's result. */
export type CaseIdentity = Pick<
  TestResult,
  "id" | "title" | "product" | "interaction" | "tags" | "requirements"
>;

/** A passing outcome with nothing in it yet. */
export function emptyCaseOutcome(): CaseOutcome {
  return { status: "pass", assertions: [], validation: [], exchanges: [] };
}

/** Marks the outcome errored, keeping the first error's reason. */
export function setCaseError(outcome: CaseOutcome, reason: string): void {
  if (outcome.status === "error") return;
  outcome.status = "error";
  outcome.reason = reason;
}

/**
 * Adds a judged step's assertions and validation messages to the outcome; false (and the outcome
 * failed, unless it already errored) when an assertion failed, so the case stops there.
 */
export function recordJudged(
  outcome: CaseOutcome,
  assertions: readonly AssertionResult[],
  validation: readonly ValidationMessage[],
): boolean {
  outcome.assertions.push(...assertions);
  outcome.validation.push(...validation);
  if (assertions.every((assertion) => assertion.passed)) return true;
  if (outcome.status === "pass") outcome.status = "fail";
  return false;
}

/**
 * The fixed fields of a scenario that names no GP Connect interaction (patient-facing, MESH,
 * messaging).
 */
export function scenarioIdentity(scenario: ScenarioHeader): CaseIdentity {
  return {
    id: scenario.id,
    title: scenario.title,
    product: scenario.product,
    interaction: undefined,
    tags: scenario.tags,
    requirements: scenario.requirements,
  };
}

/**
 * Starts timing a case; the function returned stamps an outcome into the case's result.
 *
 * @example
 * ```ts
 * const finish = startCase({
 *   id: "a.one", title: "One", product: "mesh", interaction: undefined, tags: [], requirements: [],
 * });
 * const result = finish({ status: "skip", reason: "no MESH server", assertions: [], validation: [], exchanges: [] });
 * result.reason; // "no MESH server"
 * ```
 */
export function startCase(identity: CaseIdentity): (outcome: CaseOutcome) => TestResult {
  const startedAt = new Date();
  const started = performance.now();
  return (outcome) => ({
    ...identity,
    status: outcome.status,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    assertions: outcome.assertions,
    validation: outcome.validation,
    exchanges: outcome.exchanges,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
  });
}
