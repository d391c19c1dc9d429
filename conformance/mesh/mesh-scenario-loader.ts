/**
 * Reads the MESH scenario files, `specs/scenarios/mesh-*.yaml` (the GP Connect loader leaves them
 * alone). A file is a mapping: `product` (`mesh` or `messaging`), `scenarios`, and `x-…` keys for
 * YAML anchors. Ids must be unique, fixture roles and requirement ids known; every error names
 * the file and the scenario.
 *
 * @module
 */
import { fixtureRoles, ScenarioFileError } from "../scenarios/scenario-loader.ts";
import { readScenarioSources } from "../scenarios/scenario-dir.ts";
import { readScenarioDocument, readScenarioList } from "../scenarios/scenario-document.ts";
import { namedRequirements } from "../scenarios/case-steps.ts";
import type { MeshScenario, MessagingScenario } from "./mesh-scenario.ts";
import { readMeshScenario, readMessagingScenario } from "./mesh-scenario-schema.ts";

/** Whether a scenario file name is a MESH one. */
export function isMeshScenarioFile(name: string): boolean {
  return /^mesh-.*\.ya?ml$/.test(name);
}

/** What the MESH files hold, in file then document order. */
export interface MeshScenarioFiles {
  readonly mesh: readonly MeshScenario[];
  readonly messaging: readonly MessagingScenario[];
}

/**
 * Parses one MESH scenario file's text; `file` is only used in errors.
 *
 * @example
 * ```ts
 * const { mesh } = parseMeshScenarioFile("mesh-x.yaml", "product: mesh\nscenarios: []\n");
 * ```
 */
export function parseMeshScenarioFile(file: string, source: string): MeshScenarioFiles {
  const raw = readScenarioDocument(file, source, ["product", "scenarios"], "product and scenarios");
  if (raw.product !== "mesh" && raw.product !== "messaging") {
    throw new ScenarioFileError(file, undefined, "product must be mesh or messaging");
  }
  const read = <T>(reader: (value: unknown) => T): T[] =>
    readScenarioList(file, "scenarios", raw.scenarios ?? [], reader, (i) => `#${i + 1}`);
  return raw.product === "mesh"
    ? { mesh: read(readMeshScenario), messaging: [] }
    : { mesh: [], messaging: read(readMessagingScenario) };
}

/** Options for {@linkcode loadMeshScenarioFiles}. */
export interface LoadMeshOptions {
  /** Directory of the scenario files; default `specs/scenarios/`. */
  readonly scenariosDir?: string | URL;
  /** Known requirement ids; when given, unknown ones are rejected. */
  readonly requirementIds?: ReadonlySet<string>;
}

/**
 * Loads every `mesh-*.yaml` file of the directory, sorted by name.
 *
 * @example
 * ```ts
 * const { mesh, messaging } = await loadMeshScenarioFiles();
 * ```
 */
export async function loadMeshScenarioFiles(
  options: LoadMeshOptions = {},
): Promise<MeshScenarioFiles> {
  const mesh: MeshScenario[] = [];
  const messaging: MessagingScenario[] = [];
  const seen = new Map<string, string>();
  for (
    const { name, source } of await readScenarioSources(options.scenariosDir, isMeshScenarioFile)
  ) {
    const content = parseMeshScenarioFile(name, source);
    for (const item of [...content.mesh, ...content.messaging]) {
      const first = seen.get(item.id);
      if (first) throw new ScenarioFileError(name, item.id, `duplicate id (first in ${first})`);
      seen.set(item.id, name);
      const roles = item.product === "messaging"
        ? [
          item.send.patientRole,
          ...(item.send.otherPatientRole ? [item.send.otherPatientRole] : []),
        ]
        : [];
      for (const role of roles.filter((r) => !fixtureRoles.has(r))) {
        throw new ScenarioFileError(name, item.id, `unknown fixture role ${role}`);
      }
      for (const requirement of options.requirementIds ? namedRequirements(item) : []) {
        if (!options.requirementIds!.has(requirement)) {
          throw new ScenarioFileError(name, item.id, `unknown requirement ${requirement}`);
        }
      }
    }
    mesh.push(...content.mesh);
    messaging.push(...content.messaging);
  }
  return { mesh, messaging };
}
