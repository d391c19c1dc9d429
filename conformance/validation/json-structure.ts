/**
 * Base FHIR STU3 JSON rules that hold whatever the profile: a known `resourceType`; no empty
 * objects, arrays or strings; no nested arrays; `null` only inside an array whose `_name` twin
 * carries an extension at the same index; `_name` twins as long as their arrays. Nested
 * resources (any object with a `resourceType`: contained, Bundle entries, outcomes) are handed to
 * `nested` instead of being walked here.
 *
 * @module
 */
import type { ValidationMessage } from "../model.ts";
import { isResourceType } from "./stu3-model.ts";
import { isJsonObject } from "../../gpconnect/json-object.ts";

type Report = (path: string, message: string) => void;

function checkNulls(obj: Record<string, unknown>, key: string, path: string, problem: Report) {
  const values = obj[key];
  if (!Array.isArray(values)) return;
  const twinKey = key.startsWith("_") ? key.slice(1) : `_${key}`;
  const twin = obj[twinKey];
  if (Array.isArray(twin) && twin.length !== values.length && key.startsWith("_")) {
    problem(
      `${path}.${key}`,
      `${key} has ${values.length} items but ${twinKey} has ${twin.length}`,
    );
  }
  values.forEach((value, i) => {
    if (value !== null) return;
    const partner = Array.isArray(twin) ? twin[i] : undefined;
    if (partner === null || partner === undefined) {
      problem(`${path}.${key}[${i}]`, `null without a value or extension in ${twinKey}[${i}]`);
    }
  });
}

function walk(
  value: unknown,
  path: string,
  problem: Report,
  nested: (resource: Record<string, unknown>, path: string) => void,
): void {
  if (typeof value === "string") {
    if (value.trim() === "") problem(path, "empty or whitespace-only string");
    return;
  }
  if (value === null) problem(path, "null value");
  if (!isJsonObject(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 0) problem(path, "empty object");
  for (const key of keys) {
    const child = value[key];
    const childPath = `${path}.${key}`;
    checkNulls(value, key, path, problem);
    if (isJsonObject(child) && typeof child.resourceType === "string") nested(child, childPath);
    else if (Array.isArray(child)) {
      child.forEach((item, i) => {
        if (isJsonObject(item) && typeof item.resourceType === "string") {
          nested(item, `${childPath}[${i}]`);
        } else if (Array.isArray(item)) problem(`${childPath}[${i}]`, "array inside an array");
        else if (item !== null) walk(item, `${childPath}[${i}]`, problem, nested);
      });
      if (child.length === 0) problem(childPath, "empty array");
    } else walk(child, childPath, problem, nested);
  }
}

/** FHIR DSTU2 resource types STU3 renamed or dropped (DSTU2 is only checked structurally). */
const dstu2OnlyTypes: ReadonlySet<string> = new Set([
  "Conformance",
  "DeviceUseRequest",
  "DiagnosticOrder",
  "MedicationOrder",
  "Order",
  "OrderResponse",
]);

/** Options of {@linkcode checkJsonStructure}. */
export interface StructureOptions {
  /** The FHIR version whose resource types are known; default STU3. */
  readonly fhirVersion?: "STU3" | "DSTU2";
}

/**
 * Structural messages for one resource (not its nested resources, which go to `nested`).
 *
 * @example
 * ```ts
 * checkJsonStructure({ resourceType: "Patient", name: [] }, "Patient", () => {});
 * // [{ severity: "error", rule: "structure", path: "Patient.name", message: "empty array", … }]
 * ```
 */
export function checkJsonStructure(
  resource: unknown,
  path: string,
  nested: (resource: Record<string, unknown>, path: string) => void,
  options: StructureOptions = {},
): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  if (!isJsonObject(resource)) {
    return [{
      severity: "error",
      path,
      rule: "structure",
      message: "a resource must be a JSON object",
      profile: "http://hl7.org/fhir/StructureDefinition/Resource",
    }];
  }
  const type = resource.resourceType;
  const profile = `http://hl7.org/fhir/StructureDefinition/${
    typeof type === "string" ? type : "Resource"
  }`;
  const problem: Report = (at, message) =>
    messages.push({ severity: "error", path: at, rule: "structure", message, profile });
  const version = options.fhirVersion ?? "STU3";
  const known = (t: string) => isResourceType(t) || (version === "DSTU2" && dstu2OnlyTypes.has(t));
  if (typeof type !== "string") problem(path, "resourceType is missing");
  else if (!known(type)) {
    problem(`${path}.resourceType`, `${type} is not a ${version} resource type`);
  }
  walk(resource, path, problem, nested);
  return messages;
}

/**
 * Structural messages for a resource and every resource nested in it: the base-structure check
 * for content no profile in the directory covers (e.g. DSTU2 Access Record HTML responses).
 */
export function checkBaseStructure(
  resource: unknown,
  options: StructureOptions = {},
): ValidationMessage[] {
  const root = isJsonObject(resource) && typeof resource.resourceType === "string"
    ? resource.resourceType
    : "Resource";
  const messages: ValidationMessage[] = [];
  const visit = (value: unknown, path: string): void => {
    const nested: [Record<string, unknown>, string][] = [];
    messages.push(...checkJsonStructure(value, path, (r, p) => nested.push([r, p]), options));
    for (const [child, at] of nested) visit(child, at);
  };
  visit(resource, root);
  return messages;
}
