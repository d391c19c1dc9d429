/**
 * Loads a profile directory: every StructureDefinition, ValueSet and CodeSystem file (FHIR XML, or
 * FHIR JSON) under it, converted to FHIR JSON and indexed by canonical URL. The harness passes the
 * directory (`--profiles`, `GPC_EDGE_PROFILES`, default `../shared/fhir/gpconnect-fhir-1.5.0`: see
 * `../config/profiles-dir.ts`). Parsed packages are cached per directory, so every validator of a
 * run shares one load.
 *
 * @module
 */
import type {
  CodeSystem,
  ConformancePackage,
  StructureDefinition,
  ValueSet,
} from "./conformance-resources.ts";
import { profilesHowTo } from "../config/profiles-dir.ts";
import { fhirXmlToJson, unusedConformanceParts } from "./fhir-xml.ts";

/** The profile directory is missing, empty or holds an unusable file. */
export class ProfileDirectoryError extends Error {
  override name = "ProfileDirectoryError";
}

const cache = new Map<string, Promise<ConformancePackage>>();

/**
 * Loads (once per directory) the conformance resources under `dir`.
 *
 * @example
 * ```ts
 * import { isProfilesDir, profilesDirFromEnv } from "../config/profiles-dir.ts";
 *
 * // The GP Connect profile package is NHS England's data, not in this repository.
 * const dir = profilesDirFromEnv(Deno.env.toObject(), Deno.cwd());
 * if (await isProfilesDir(dir)) {
 *   const pkg = await loadConformancePackage(dir);
 *   pkg.structureDefinitions.get(
 *     "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1",
 *   );
 * }
 * ```
 * @throws {ProfileDirectoryError} when the directory is missing, holds no conformance resources,
 *   or a file cannot be parsed or a StructureDefinition has no snapshot.
 */
export async function loadConformancePackage(dir: string | URL): Promise<ConformancePackage> {
  const path = dir instanceof URL ? decodeURIComponent(dir.pathname) : dir;
  let realDir: string;
  try {
    realDir = await Deno.realPath(path);
    if (!(await Deno.stat(realDir)).isDirectory) throw new Deno.errors.NotFound(path);
  } catch (error) {
    throw new ProfileDirectoryError(`Profile directory ${path} does not exist: ${profilesHowTo}`, {
      cause: error,
    });
  }
  let loading = cache.get(realDir);
  if (!loading) {
    loading = readPackage(realDir);
    cache.set(realDir, loading);
    loading.catch(() => cache.delete(realDir));
  }
  return await loading;
}

async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".")) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await listFiles(path));
    else if (/\.(xml|json)$/i.test(entry.name)) files.push(path);
  }
  return files.sort();
}

const wanted = new Set(["StructureDefinition", "ValueSet", "CodeSystem"]);
const xmlRoot = /^\uFEFF?\s*(?:<\?[\s\S]*?\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z]+)[\s>/]/;

/** The conformance resource in one file, or undefined when it holds another kind of thing. */
function parseFile(file: string, text: string): Record<string, unknown> | undefined {
  try {
    if (file.toLowerCase().endsWith(".json")) {
      const json: unknown = JSON.parse(text);
      const record = json as Record<string, unknown> | null;
      return record && typeof record === "object" && wanted.has(String(record.resourceType))
        ? record
        : undefined;
    }
    const root = xmlRoot.exec(text)?.[1];
    if (!root || !wanted.has(root)) return undefined;
    return fhirXmlToJson(text, { skip: unusedConformanceParts });
  } catch (error) {
    throw new ProfileDirectoryError(`Cannot parse ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function readPackage(dir: string): Promise<ConformancePackage> {
  const files = await listFiles(dir);
  const texts = await Promise.all(files.map((file) => Deno.readTextFile(file)));
  const structureDefinitions = new Map<string, StructureDefinition>();
  const valueSets = new Map<string, ValueSet>();
  const codeSystems = new Map<string, CodeSystem>();
  files.forEach((file, i) => {
    const resource = parseFile(file, texts[i] as string);
    if (!resource) return;
    const url = resource.url;
    if (typeof url !== "string" || url === "") {
      throw new ProfileDirectoryError(`${file}: ${resource.resourceType} without a url`);
    }
    if (resource.resourceType === "StructureDefinition") {
      const sd = resource as unknown as StructureDefinition;
      if (!Array.isArray(sd.snapshot?.element) || sd.snapshot.element.length === 0) {
        throw new ProfileDirectoryError(
          `${file}: StructureDefinition ${url} has no snapshot; the validator needs snapshots`,
        );
      }
      structureDefinitions.set(url, sd);
    } else if (resource.resourceType === "ValueSet") {
      valueSets.set(url, resource as unknown as ValueSet);
    } else {
      codeSystems.set(url, resource as unknown as CodeSystem);
    }
  });
  if (structureDefinitions.size + valueSets.size + codeSystems.size === 0) {
    throw new ProfileDirectoryError(
      `Profile directory ${dir} holds no StructureDefinition, ValueSet or CodeSystem ` +
        `(.xml or .json): ${profilesHowTo}`,
    );
  }
  return { dir, structureDefinitions, valueSets, codeSystems };
}
