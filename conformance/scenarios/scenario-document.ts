/**
 * The outer shape shared by every scenario file (GP Connect, patient-facing `pf-*`, MESH
 * `mesh-*`): YAML holding one mapping of known keys (plus `x-…` extensions), with lists of
 * scenarios each read by a schema reader. A problem becomes a {@linkcode ScenarioFileError} naming
 * the file, and the scenario (its id, else its place in the list) when it is in one.
 *
 * @module
 */
import { parse } from "yaml";
import { SchemaError } from "./schema-readers.ts";

/** A scenario file that cannot be used. */
export class ScenarioFileError extends Error {
  constructor(readonly file: string, readonly scenarioId: string | undefined, problem: string) {
    super(`${file}${scenarioId ? `: scenario ${scenarioId}` : ""}: ${problem}`);
    this.name = "ScenarioFileError";
  }
}

/**
 * The file's YAML as a mapping whose keys are among `keys` (or start `x-`); `shape` says what the
 * mapping should hold, for the error when it is not one.
 *
 * @example
 * ```ts
 * const raw = readScenarioDocument("pf-x.yaml", "product: patient-facing\n", ["product", "scenarios"], "product and scenarios");
 * raw.product; // "patient-facing"
 * ```
 */
export function readScenarioDocument(
  file: string,
  source: string,
  keys: readonly string[],
  shape: string,
): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(source, { merge: true, uniqueKeys: true });
  } catch (error) {
    throw new ScenarioFileError(file, undefined, `not valid YAML: ${(error as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new ScenarioFileError(file, undefined, `must be a mapping with ${shape}`);
  }
  const raw = doc as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => !key.startsWith("x-") && !keys.includes(key));
  if (unknown.length > 0) {
    throw new ScenarioFileError(file, undefined, `unknown keys ${unknown.join(", ")}`);
  }
  return raw;
}

/**
 * Each item of the file's list `key` read by `reader`; a schema problem names the item's id, or
 * `place(i)` when it has none.
 *
 * @example
 * ```ts
 * readScenarioList("x.yaml", "scenarios", [{ id: "a" }], (item) => item, (i) => `#${i + 1}`).length; // 1
 * ```
 */
export function readScenarioList<T>(
  file: string,
  key: string,
  list: unknown,
  reader: (item: unknown) => T,
  place: (index: number) => string,
): T[] {
  if (!Array.isArray(list)) throw new ScenarioFileError(file, undefined, `${key} must be a list`);
  return list.map((item, i) => {
    try {
      return reader(item);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      const id = typeof item?.id === "string" ? item.id : place(i);
      throw new ScenarioFileError(file, id, error.message);
    }
  });
}
