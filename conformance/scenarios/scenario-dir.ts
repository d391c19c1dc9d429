/**
 * Reads the scenario files of a directory (`specs/scenarios/` unless told otherwise) that one
 * loader wants — GP Connect, patient-facing (`pf-*`) or MESH (`mesh-*`) — sorted by name, so every
 * loader sees its files in the same order and reports the same file name with a problem.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The scenarios directory of this repository. */
export const defaultScenariosDir = new URL("../../specs/scenarios/", import.meta.url);

/** One scenario file: its name within the directory and its text. */
export interface ScenarioSource {
  readonly name: string;
  readonly source: string;
}

/**
 * The files of `dir` (a path or URL; `specs/scenarios/` when absent) whose names `wanted` accepts,
 * sorted by name.
 *
 * @example
 * ```ts
 * const files = await readScenarioSources(undefined, (name) => name.startsWith("pf-"));
 * files[0]?.name; // e.g. "pf-access-record.yaml"
 * ```
 */
export async function readScenarioSources(
  dir: string | URL | undefined,
  wanted: (name: string) => boolean,
): Promise<ScenarioSource[]> {
  const base = dir ?? defaultScenariosDir;
  const dirUrl = typeof base === "string" ? pathToFileURL(`${resolve(base)}/`) : base;
  const names: string[] = [];
  for await (const entry of Deno.readDir(dirUrl)) {
    if (entry.isFile && wanted(entry.name)) names.push(entry.name);
  }
  names.sort();
  const files: ScenarioSource[] = [];
  for (const name of names) {
    files.push({ name, source: await Deno.readTextFile(new URL(name, dirUrl)) });
  }
  return files;
}
