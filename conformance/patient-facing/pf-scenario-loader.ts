/**
 * Reads the patient-facing scenario files, `specs/scenarios/pf-*.yaml` (the GP Connect loader
 * leaves them alone). A file is a mapping: `product: patient-facing`, `scenarios`, and `x-…` keys
 * for YAML anchors. Ids must be unique, callers and patients fixture roles (or `none`, `invalid`,
 * `view-user`), requirement ids known; every error names the file and the scenario.
 *
 * @module
 */
import { fixtureRoles, ScenarioFileError } from "../scenarios/scenario-loader.ts";
import { readScenarioSources } from "../scenarios/scenario-dir.ts";
import { readScenarioDocument, readScenarioList } from "../scenarios/scenario-document.ts";
import { pfNamedRequirements } from "./pf-requirements.ts";
import type { PfScenario } from "./pf-scenario.ts";
import { readPfScenario } from "./pf-scenario-schema.ts";

/** Callers that are not fixture roles: no token, a token never issued, the `view` patient. */
export const pfSpecialCallers: ReadonlySet<string> = new Set(["none", "invalid", "view-user"]);

/** Whether a scenario file name is a patient-facing one. */
export function isPfScenarioFile(name: string): boolean {
  return /^pf-.*\.ya?ml$/.test(name);
}

/**
 * Parses one file's text; `file` is only used in errors.
 *
 * @example
 * ```ts
 * parsePfScenarioFile("pf-x.yaml", "product: patient-facing\nscenarios: []\n"); // []
 * ```
 */
export function parsePfScenarioFile(file: string, source: string): PfScenario[] {
  const raw = readScenarioDocument(file, source, ["product", "scenarios"], "product and scenarios");
  if (raw.product !== "patient-facing") {
    throw new ScenarioFileError(file, undefined, "product must be patient-facing");
  }
  return readScenarioList(file, "scenarios", raw.scenarios, readPfScenario, (i) => `#${i + 1}`);
}

/** Options for {@linkcode loadPfScenarioFiles}. */
export interface LoadPfOptions {
  /** Directory of the scenario files; default `specs/scenarios/`. */
  readonly scenariosDir?: string | URL;
  /** Known requirement ids; when given, unknown ones are rejected. */
  readonly requirementIds?: ReadonlySet<string>;
}

/**
 * Loads every `pf-*.yaml` file of the directory, sorted by name.
 *
 * @example
 * ```ts
 * const scenarios = await loadPfScenarioFiles();
 * ```
 */
export async function loadPfScenarioFiles(options: LoadPfOptions = {}): Promise<PfScenario[]> {
  const all: PfScenario[] = [];
  const seen = new Map<string, string>();
  for (
    const { name, source } of await readScenarioSources(options.scenariosDir, isPfScenarioFile)
  ) {
    for (const scenario of parsePfScenarioFile(name, source)) {
      const first = seen.get(scenario.id);
      if (first) throw new ScenarioFileError(name, scenario.id, `duplicate id (first in ${first})`);
      seen.set(scenario.id, name);
      const steps = [...scenario.steps, ...(scenario.teardown ?? [])];
      const roles = steps.flatMap((step) => [
        ...(step.exchange ? [step.exchange.patientRole] : []),
        ...(step.exchange?.actorRole ? [step.exchange.actorRole] : []),
        ...(step.request ? [step.request.as] : []),
        ...(step.request?.actor ? [step.request.actor] : []),
      ]);
      for (const role of roles) {
        if (!fixtureRoles.has(role) && !pfSpecialCallers.has(role)) {
          throw new ScenarioFileError(name, scenario.id, `unknown fixture role ${role}`);
        }
      }
      for (const requirement of options.requirementIds ? pfNamedRequirements(scenario) : []) {
        if (!options.requirementIds!.has(requirement)) {
          throw new ScenarioFileError(name, scenario.id, `unknown requirement ${requirement}`);
        }
      }
      all.push(scenario);
    }
  }
  return all;
}
