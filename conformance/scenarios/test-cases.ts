/**
 * Everything the runner executes: the hand-written scenarios and flows of `specs/scenarios/` and
 * the systematic scenarios generated for every interaction, as {@linkcode TestCase}s in a stable
 * order (hand-written scenarios in file order, then flows, then the MESH and messaging scenarios
 * of `mesh-*.yaml`, the patient-facing ones of `pf-*.yaml`, then the generated ones in catalogue order). Scenarios of interactions that change the provider's data (register, book, amend,
 * cancel) and flows are not read-only; every other scenario may run concurrently.
 *
 * @module
 */
import type { Scenario, TestCase } from "../model.ts";
import { catalogueInteraction } from "./catalogue.ts";
import { generateNegatives } from "./negative-generator.ts";
import { loadRequirements } from "./requirements.ts";
import { loadScenarioFiles } from "./scenario-loader.ts";
import { loadMeshScenarioFiles } from "../mesh/mesh-scenario-loader.ts";
import { loadPfScenarioFiles } from "../patient-facing/pf-scenario-loader.ts";

export { loadRequirements } from "./requirements.ts";

/** Options for {@linkcode loadTestCases}. */
export interface TestCaseOptions {
  /** Directory of the scenario YAML files; default `specs/scenarios/`. */
  readonly scenariosDir?: string;
  /** The requirements file; default `specs/requirements.json`. */
  readonly requirementsPath?: string;
}

/** Whether a scenario leaves the provider's data as it was. */
export function isReadOnly(scenario: Scenario): boolean {
  const interaction = catalogueInteraction(scenario.request.interaction);
  return interaction !== undefined && !interaction.mutating;
}

/**
 * Loads, generates and checks every test case: ids unique, requirements known.
 *
 * @example
 * ```ts
 * const cases = await loadTestCases();
 * cases.filter((c) => c.readOnly).length;
 * ```
 */
export async function loadTestCases(options: TestCaseOptions = {}): Promise<TestCase[]> {
  const requirements = await loadRequirements(options.requirementsPath);
  const requirementIds = new Set(requirements.map((requirement) => requirement.id));
  const files = await loadScenarioFiles({
    requirementIds,
    ...(options.scenariosDir === undefined ? {} : { scenariosDir: options.scenariosDir }),
  });
  const meshFiles = await loadMeshScenarioFiles({
    requirementIds,
    ...(options.scenariosDir === undefined ? {} : { scenariosDir: options.scenariosDir }),
  });
  const pfScenarios = await loadPfScenarioFiles({
    requirementIds,
    ...(options.scenariosDir === undefined ? {} : { scenariosDir: options.scenariosDir }),
  });
  const generated = generateNegatives();
  const seen = new Set([...files.scenarios, ...files.flows].map((item) => item.id));
  for (const item of [...meshFiles.mesh, ...meshFiles.messaging, ...pfScenarios]) {
    if (seen.has(item.id)) throw new Error(`Scenario id ${item.id} is taken`);
    seen.add(item.id);
  }
  for (const scenario of generated) {
    if (seen.has(scenario.id)) throw new Error(`Generated scenario id ${scenario.id} is taken`);
    seen.add(scenario.id);
    for (const requirement of scenario.requirements) {
      if (!requirementIds.has(requirement)) {
        throw new Error(`Generated scenario ${scenario.id}: unknown requirement ${requirement}`);
      }
    }
  }
  return [
    ...files.scenarios.map((scenario): TestCase => ({
      kind: "scenario",
      scenario,
      readOnly: isReadOnly(scenario),
    })),
    ...files.flows.map((flow): TestCase => ({ kind: "flow", flow, readOnly: false })),
    ...meshFiles.mesh.map((scenario): TestCase => ({ kind: "mesh", scenario, readOnly: false })),
    ...meshFiles.messaging.map((scenario): TestCase => ({
      kind: "messaging",
      scenario,
      readOnly: false,
    })),
    ...pfScenarios.map((scenario): TestCase => ({
      kind: "patient-facing",
      scenario,
      readOnly: false,
    })),
    ...generated.map((scenario): TestCase => ({
      kind: "scenario",
      scenario,
      readOnly: isReadOnly(scenario),
    })),
  ];
}
