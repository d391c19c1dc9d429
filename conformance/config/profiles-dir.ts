/**
 * The GP Connect STU3 FHIR profile package: an input the harness and the profile tests need and
 * this repository does not hold (it is NHS England's: the 1.5.0 release of
 * `github.com/nhsconnect/gpconnect-fhir`, its StructureDefinitions, ValueSets and CodeSystems).
 * Where it is looked for: `--profiles`, else `GPC_EDGE_PROFILES`, else
 * `../shared/fhir/gpconnect-fhir-1.5.0` beside the repository. When it is missing, one sentence
 * says where it looked and how to get it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ConfigError } from "./config-error.ts";

/** `../shared/fhir/gpconnect-fhir-1.5.0` beside the repository, as an absolute path. */
export const defaultProfilesDir: string = fileURLToPath(
  new URL("../../../shared/fhir/gpconnect-fhir-1.5.0", import.meta.url),
);

/** How to get the package and point at it: the end of every "missing" sentence. */
export const profilesHowTo =
  "get the GP Connect STU3 profile package (the 1.5.0 release of github.com/nhsconnect/gpconnect-fhir) " +
  "and pass --profiles DIR or set GPC_EDGE_PROFILES=DIR (default ../shared/fhir/gpconnect-fhir-1.5.0)";

/**
 * The profile directory from the environment: `GPC_EDGE_PROFILES` (relative to `cwd`), else
 * {@linkcode defaultProfilesDir}. Empty means unset.
 *
 * @example
 * ```ts
 * profilesDirFromEnv({ GPC_EDGE_PROFILES: "/data/gpconnect-fhir" }, "/"); // "/data/gpconnect-fhir"
 * ```
 */
export function profilesDirFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  const dir = env.GPC_EDGE_PROFILES;
  if (dir === undefined || dir === "") return defaultProfilesDir;
  return dir.startsWith("/") ? dir : `${cwd.replace(/\/+$/, "")}/${dir}`;
}

/**
 * Whether `dir` is a directory.
 *
 * @example
 * ```ts
 * await isProfilesDir("/nonexistent"); // false
 * ```
 */
export async function isProfilesDir(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(dir)).isDirectory;
  } catch {
    return false;
  }
}

/** The one sentence for a missing package. */
export function missingProfilesMessage(dir: string): string {
  return `no GP Connect profile package at ${dir}: ${profilesHowTo}`;
}

/**
 * `dir` if it is a directory, else a {@linkcode ConfigError} saying where it looked, how to get
 * the package and how to point at it, the harness's config file included (one line).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError } from "./config-error.ts";
 * await assert.rejects(requireProfilesDir("/nonexistent/gpconnect-fhir"), ConfigError);
 * ```
 */
export async function requireProfilesDir(dir: string): Promise<string> {
  if (await isProfilesDir(dir)) return dir;
  throw new ConfigError(
    "--profiles",
    `${missingProfilesMessage(dir)}; or "profilesDir" in the --config file`,
  );
}
