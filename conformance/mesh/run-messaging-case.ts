/**
 * Runs one messaging receiver scenario (in progress).
 *
 * @module
 */
import type { TestResult } from "../model.ts";
import type { BuildContext } from "../runner/request-builder.ts";
import type { MessagingScenario } from "./mesh-scenario.ts";
import type { MeshCaseContext } from "./run-mesh-case.ts";

/** What running a messaging case needs. */
export interface MessagingCaseContext extends MeshCaseContext {
  readonly build: BuildContext;
}

/** Runs a messaging scenario. */
export function runMessagingScenario(
  scenario: MessagingScenario,
  _context: MessagingCaseContext,
): Promise<TestResult> {
  return Promise.resolve({
    id: scenario.id,
    title: scenario.title,
    product: scenario.product,
    interaction: undefined,
    tags: scenario.tags,
    requirements: scenario.requirements,
    status: "skip",
    reason: "not yet",
    assertions: [],
    validation: [],
    exchanges: [],
    startedAt: new Date().toISOString(),
    durationMs: 0,
  });
}
