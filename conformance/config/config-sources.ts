/**
 * The three sources of settings: the JSON config file, `GPC_CONFORMANCE_*` environment variables
 * and command-line flags. Each gives a partial {@linkcode Settings}; `resolveConfig` layers them
 * (file < environment < flags).
 *
 * @module
 */
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { dirname, resolve } from "node:path";
import { ConfigError } from "./config-error.ts";
import { configFields } from "./config-fields.ts";
import { parseSetting, type Settings } from "./setting-value.ts";

/**
 * Settings from a config file's parsed JSON. Keys starting with `$` are comments; `null` leaves a
 * field unset; any other key that is not a field is an error (a typo would otherwise be silently
 * ignored). Relative paths are resolved against `fileDir`.
 */
export function settingsFromFile(json: unknown, fileName: string, fileDir: string): Settings {
  if (!isJsonObject(json)) throw new ConfigError(fileName, "expected a JSON object");
  const settings: Settings = {};
  for (const [path, raw] of leaves(json, "")) {
    const field = configFields.find((candidate) => candidate.file === path);
    if (field && raw === null) continue; // null: not set
    if (!field) {
      throw new ConfigError(
        `${path} in ${fileName}`,
        "unknown field (see harness.config.example.json)",
      );
    }
    settings[field.key] = parseSetting(field, raw, {
      label: `${path} in ${fileName}`,
      baseDir: fileDir,
    });
  }
  return settings;
}

function* leaves(object: Record<string, unknown>, prefix: string): Generator<[string, unknown]> {
  for (const [key, value] of Object.entries(object)) {
    if (key.startsWith("$")) continue;
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (isJsonObject(value)) yield* leaves(value, path);
    else yield [path, value];
  }
}

/**
 * Reads and parses a config file.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/harness.config.json`, JSON.stringify({ odsCode: "A12345" }));
 * const settings = await readConfigFile("harness.config.json", dir); // { odsCode: "A12345" }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readConfigFile(path: string, cwd: string): Promise<Settings> {
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = await Deno.readTextFile(absolute);
  } catch (error) {
    throw new ConfigError("--config", `cannot read ${absolute}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return settingsFromFile(json, path, dirname(absolute));
}

/**
 * Settings from `GPC_CONFORMANCE_*` variables (and `GPC_EDGE_PROFILES` for the profiles
 * directory, when `GPC_CONFORMANCE_PROFILES` is not set). Empty variables are ignored.
 */
export function settingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Settings {
  const settings: Settings = {};
  for (const field of configFields) {
    let raw = env[field.env];
    let label = field.env;
    if ((raw === undefined || raw === "") && field.key === "profilesDir") {
      raw = env.GPC_EDGE_PROFILES;
      label = "GPC_EDGE_PROFILES";
    }
    if (raw === undefined || raw === "") continue;
    settings[field.key] = parseSetting(field, raw, { label, baseDir: cwd });
  }
  return settings;
}

/**
 * Settings from the values `node:util` `parseArgs` produced with {@linkcode flagOptions}.
 * Repeated list flags accumulate; comma lists are split.
 */
export function settingsFromFlags(
  values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
  cwd: string,
): Settings {
  const settings: Settings = {};
  for (const field of configFields) {
    const raw = values[field.flag];
    if (raw === undefined) continue;
    settings[field.key] = parseSetting(field, raw, { label: `--${field.flag}`, baseDir: cwd });
  }
  return settings;
}

/** `parseArgs` options for every field's flag. */
export function flagOptions(): Record<string, { type: "string" | "boolean"; multiple?: boolean }> {
  return Object.fromEntries(configFields.map((field) => [
    field.flag,
    field.kind === "bool"
      ? { type: "boolean" as const }
      : field.kind === "list"
      ? { type: "string" as const, multiple: true }
      : { type: "string" as const },
  ]));
}
