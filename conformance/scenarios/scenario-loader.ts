/**
 * Reads the hand-written scenario files (`specs/scenarios/*.yaml`): parses each with YAML merge
 * keys enabled (except `mesh-*.yaml`, which hold MESH scenarios: `conformance/mesh/`), checks it
 * against the model ({@linkcode readScenario}, {@linkcode readFlow}) and
 * rejects what would make a run meaningless — a duplicate id, an unknown interaction, fixture
 * role or requirement id. Every error names the file and the scenario id.
 *
 * A file is a mapping: `product` (default for its scenarios), `scenarios`, `flows`; keys starting
 * with `x-` hold YAML anchors and are ignored.
 *
 * @module
 */
import fixtureDoc from "../../specs/fixture-patients.json" with { type: "json" };
import { type Flow, type Product, products, type Scenario } from "../model.ts";
import { itemSteps, namedRequirements } from "./case-steps.ts";
import { defaultScenariosDir, readScenarioSources } from "./scenario-dir.ts";
import { readScenarioDocument, readScenarioList, ScenarioFileError } from "./scenario-document.ts";
import { readFlow, readScenario } from "./scenario-schema.ts";

/** The default directory of scenario files. */
export { defaultScenariosDir };

/** What the scenario files hold, in file then document order. */
export interface ScenarioFiles {
  readonly scenarios: readonly Scenario[];
  readonly flows: readonly Flow[];
}

/** A scenario file that cannot be used. */
export { ScenarioFileError };

/** Options for {@linkcode loadScenarioFiles}. */
export interface LoadOptions {
  /** Directory of `*.yaml` files; default `specs/scenarios/`. */
  readonly scenariosDir?: string | URL;
  /** Known requirement ids; when given, unknown ones are rejected. */
  readonly requirementIds?: ReadonlySet<string>;
}

/** The fixture roles of `specs/fixture-patients.json`. */
export const fixtureRoles: ReadonlySet<string> = new Set(
  fixtureDoc.patients.map((patient) => patient.role),
);

/**
 * Parses one scenario file's text; `file` is only used in errors.
 *
 * @example
 * ```ts
 * const { scenarios } = parseScenarioFile("x.yaml", "product: foundations\nscenarios: []\n");
 * ```
 */
export function parseScenarioFile(file: string, source: string): ScenarioFiles {
  const raw = readScenarioDocument(
    file,
    source,
    ["product", "scenarios", "flows"],
    "scenarios and/or flows",
  );
  if (raw.product !== undefined && !products.includes(raw.product as Product)) {
    throw new ScenarioFileError(file, undefined, `product must be one of ${products.join(", ")}`);
  }
  const product = raw.product as Product | undefined;
  const read = <T>(
    key: "scenarios" | "flows",
    reader: (v: unknown, p: Product | undefined) => T,
  ) =>
    readScenarioList(
      file,
      key,
      raw[key] ?? [],
      (item) => reader(item, product),
      (i) => `#${i + 1} of ${key}`,
    );
  return { scenarios: read("scenarios", readScenario), flows: read("flows", readFlow) };
}

/**
 * Checks ids unique across `files`, fixture roles known, and requirement ids known (when
 * `requirementIds` is given); throws {@linkcode ScenarioFileError}.
 */
export function checkScenarioFiles(
  files: ReadonlyArray<readonly [string, ScenarioFiles]>,
  requirementIds?: ReadonlySet<string>,
): void {
  const seen = new Map<string, string>();
  for (const [file, content] of files) {
    for (const item of [...content.scenarios, ...content.flows]) {
      const first = seen.get(item.id);
      if (first) throw new ScenarioFileError(file, item.id, `duplicate id (first in ${first})`);
      seen.set(item.id, file);
      for (const { request } of itemSteps(item)) {
        if (request.patientRole !== undefined && !fixtureRoles.has(request.patientRole)) {
          throw new ScenarioFileError(file, item.id, `unknown fixture role ${request.patientRole}`);
        }
      }
      for (const requirement of requirementIds ? namedRequirements(item) : []) {
        if (!requirementIds!.has(requirement)) {
          throw new ScenarioFileError(file, item.id, `unknown requirement ${requirement}`);
        }
      }
    }
  }
}

/**
 * Loads every `*.yaml` file of the directory, sorted by name.
 *
 * @example
 * ```ts
 * import { loadRequirements } from "./requirements.ts";
 *
 * const requirementIds = new Set((await loadRequirements()).map((requirement) => requirement.id));
 *
 * const { scenarios, flows } = await loadScenarioFiles({ requirementIds });
 * ```
 */
export async function loadScenarioFiles(options: LoadOptions = {}): Promise<ScenarioFiles> {
  // mesh-*.yaml hold MESH scenarios, read by conformance/mesh/mesh-scenario-loader.ts;
  // pf-*.yaml patient-facing ones, read by conformance/patient-facing/pf-scenario-loader.ts.
  const sources = await readScenarioSources(
    options.scenariosDir,
    (name) => /\.ya?ml$/.test(name) && !name.startsWith("mesh-") && !name.startsWith("pf-"),
  );
  const files: Array<readonly [string, ScenarioFiles]> = sources.map(({ name, source }) => [
    name,
    parseScenarioFile(name, source),
  ]);
  checkScenarioFiles(files, options.requirementIds);
  return {
    scenarios: files.flatMap(([, content]) => content.scenarios),
    flows: files.flatMap(([, content]) => content.flows),
  };
}
