/**
 * The GP Connect profile validator: base FHIR STU3 JSON structure for every resource, and for
 * each resource (Bundle entries and contained ones included) a walk against the profiles it
 * claims in `meta.profile` (or the one asked for, for the top-level resource) when they are in
 * the profile directory. A resource of a type GP Connect profiles (`mandated-profiles.ts`) that
 * claims no profile is an error (meta and meta.profile are required then, whatever the base
 * cardinality); other resources claiming none get the base structure checks and an information
 * message saying so.
 *
 * @module
 */
import type { ProfileValidator, ValidationMessage } from "../model.ts";
import type { ConformancePackage } from "./conformance-resources.ts";
import { baseProfile, buildElementTree, type ElementTree } from "./element-tree.ts";
import { walkResource } from "./element-walker.ts";
import { checkJsonStructure } from "./json-structure.ts";
import { loadConformancePackage } from "./profile-loader.ts";
import { isResourceType } from "./stu3-model.ts";
import { mandatedProfiles, missingMandatedProfile } from "./mandated-profiles.ts";
import { Terminology } from "./terminology.ts";
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { report, type ValidationContext } from "./validation-context.ts";

/** The profiles a resource is checked against: the one asked for, else its `meta.profile`. */
function claimedProfiles(resource: Record<string, unknown>, requested?: string): string[] {
  if (requested !== undefined) return [requested];
  const meta = resource.meta;
  const profiles = isJsonObject(meta) && Array.isArray(meta.profile) ? meta.profile : [];
  return profiles.filter((p): p is string => typeof p === "string");
}

function validateOne(
  resource: Record<string, unknown>,
  path: string,
  requested: string | undefined,
  ctx: ValidationContext,
): void {
  const type = resource.resourceType;
  if (typeof type !== "string" || !isResourceType(type)) return; // reported structurally
  const claimed = claimedProfiles(resource, requested);
  if (claimed.length === 0) {
    // GP Connect mandates a profile for this type: claiming none is a finding, not a vacuous pass.
    const mandated = path.includes(".contained[") ? undefined : mandatedProfiles[type];
    if (mandated !== undefined) {
      const message = missingMandatedProfile(resource, mandated) ?? `${type} claims no profile`;
      report(ctx, "error", path, "profile", message, mandated[0] ?? baseProfile(type));
    } else {
      const message = `${type} claims no profile: checked against base STU3 structure only`;
      report(ctx, "information", path, "profile", message, baseProfile(type));
    }
  }
  for (const url of claimed) {
    const tree = ctx.tree(url.split("|")[0] as string);
    if (!tree) {
      const severity = url.startsWith("http://hl7.org/fhir/") ? "information" : "warning";
      const message =
        `profile ${url} is not in the profile directory: checked against base STU3 structure only`;
      report(ctx, severity, path, "profile", message, url);
    } else if (tree.type !== type) {
      const message = `profile ${url} constrains ${tree.type}, not ${type}`;
      report(ctx, "error", path, "profile", message, url);
    } else {
      walkResource(resource, tree, path, ctx);
    }
  }
}

/**
 * A validator over a loaded profile directory; element trees are built on first use and kept.
 */
export function createProfileValidator(pkg: ConformancePackage): ProfileValidator {
  const trees = new Map<string, ElementTree | undefined>();
  const tree = (url: string): ElementTree | undefined => {
    if (!trees.has(url)) {
      const sd = pkg.structureDefinitions.get(url);
      trees.set(url, sd ? buildElementTree(sd) : undefined);
    }
    return trees.get(url);
  };
  const terminology = new Terminology(pkg);
  return {
    profiles: [...pkg.structureDefinitions.keys()].sort(),
    validate(resource: unknown, options: { profile?: string } = {}): ValidationMessage[] {
      const ctx: ValidationContext = {
        tree,
        terminology,
        messages: [],
        skippedInvariants: new Map(),
      };
      const visit = (value: unknown, path: string, requested?: string) => {
        const nested: [Record<string, unknown>, string][] = [];
        ctx.messages.push(...checkJsonStructure(value, path, (r, p) => nested.push([r, p])));
        if (isJsonObject(value)) validateOne(value, path, requested, ctx);
        for (const [child, at] of nested) visit(child, at);
      };
      const root = isJsonObject(resource) && typeof resource.resourceType === "string"
        ? resource.resourceType
        : "Resource";
      visit(resource, root, options.profile);
      const skipped = [...ctx.skippedInvariants ?? []];
      if (skipped.length > 0) {
        // Never a silent pass: say which invariants this response met but could not evaluate.
        const list = skipped.map(([key, reason]) => `${key} (${reason})`).join("; ");
        const message = `${skipped.length} invariant(s) not evaluated: ${list}`;
        report(ctx, "information", root, "invariant", message, baseProfile(root));
      }
      return ctx.messages;
    },
  };
}

/**
 * Loads the profile directory (cached per directory) and returns a validator for it.
 *
 * @example
 * ```ts
 * import { isProfilesDir, profilesDirFromEnv } from "../config/profiles-dir.ts";
 *
 * // The GP Connect profile package is NHS England's data, not in this repository.
 * const dir = profilesDirFromEnv(Deno.env.toObject(), Deno.cwd());
 * if (await isProfilesDir(dir)) {
 *   const validator = await loadProfileValidator(dir);
 *   const patient = { resourceType: "Patient", meta: { profile: [] } };
 *   const errors = validator.validate(patient).filter((m) => m.severity === "error");
 * }
 * ```
 * @throws {ProfileDirectoryError} when the directory is missing, empty or unusable.
 */
export async function loadProfileValidator(profilesDir: string | URL): Promise<ProfileValidator> {
  const pkg = await loadConformancePackage(profilesDir);
  let validator = validators.get(pkg);
  if (!validator) {
    validator = createProfileValidator(pkg);
    validators.set(pkg, validator);
  }
  return validator;
}

const validators = new WeakMap<ConformancePackage, ProfileValidator>();
