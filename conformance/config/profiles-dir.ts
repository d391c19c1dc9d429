/**
 * The GP Connect FHIR profiles directory, checked before a run that validates: when it is
 * missing the error says where it looked and every way to point at it.
 *
 * @module
 */
import { ConfigError } from "./config-error.ts";

/**
 * `dir` if it is a directory, else a {@linkcode ConfigError} explaining how to pass it.
 *
 * @example
 * ```ts
 * await requireProfilesDir("/work/shared/fhir/gpconnect-fhir-1.5.0");
 * ```
 */
export async function requireProfilesDir(dir: string): Promise<string> {
  try {
    if ((await Deno.stat(dir)).isDirectory) return dir;
  } catch {
    // reported below
  }
  throw new ConfigError(
    "--profiles",
    `no GP Connect FHIR profiles directory at ${dir}. Check out nhsconnect/gpconnect-fhir ` +
      `(StructureDefinitions, ValueSets) and pass it with --profiles DIR, the environment ` +
      `variable GPC_EDGE_PROFILES (or GPC_CONFORMANCE_PROFILES), or "profilesDir" in the config ` +
      `file. The default is ../shared/fhir/gpconnect-fhir-1.5.0 beside the repository.`,
  );
}
