/**
 * The base FHIR STU3 model, from fhirpath's generated STU3 model info: which resource and data
 * types exist, each element path's type and whether it repeats. The profile loader uses it to turn
 * FHIR XML into FHIR JSON (repeating elements become arrays); the validator uses it for the
 * children of data types a profile's snapshot does not expand (e.g. `HumanName.family`).
 *
 * @module
 */
import stu3 from "fhirpath/fhir-context/stu3";

interface ModelInfo {
  readonly path2Type: Readonly<Record<string, string | undefined>>;
  readonly path2Repeating: Readonly<Record<string, boolean | undefined>>;
  readonly type2Parent: Readonly<Record<string, string | undefined>>;
  readonly pathsDefinedElsewhere: Readonly<Record<string, string | undefined>>;
}

const model = stu3 as unknown as ModelInfo;

/** The FHIR STU3 primitive types (type codes starting with a lower-case letter). */
export const primitiveTypes: ReadonlySet<string> = new Set([
  "boolean",
  "integer",
  "decimal",
  "unsignedInt",
  "positiveInt",
  "string",
  "markdown",
  "code",
  "id",
  "oid",
  "uuid",
  "uri",
  "base64Binary",
  "date",
  "dateTime",
  "instant",
  "time",
  "xhtml",
]);

/** True for a primitive type code. */
export function isPrimitiveType(type: string): boolean {
  return primitiveTypes.has(type);
}

/** Type codes STU3 snapshots use that the model knows under another name. */
const typeAliases: Readonly<Record<string, string>> = { SimpleQuantity: "Quantity" };

/** The model's name for a type code (`SimpleQuantity` is a `Quantity`). */
export function modelType(type: string): string {
  return typeAliases[type] ?? type;
}

/** The chain of a type and its ancestors, e.g. `Patient, DomainResource, Resource`. */
export function typeAncestry(type: string): string[] {
  const chain: string[] = [];
  for (let t: string | undefined = modelType(type); t; t = model.type2Parent[t]) chain.push(t);
  return chain;
}

const resourceTypes: ReadonlySet<string> = new Set(
  Object.keys(model.type2Parent).filter((type) => {
    const ancestry = typeAncestry(type);
    return ancestry.includes("Resource") && type !== "Resource" && type !== "DomainResource";
  }),
);

/** True when `type` is a concrete STU3 resource type (e.g. `Patient`, `Bundle`, `Binary`). */
export function isResourceType(type: string): boolean {
  return resourceTypes.has(type);
}

/** One element of the base model: its path in the model, its type and whether it repeats. */
export interface ModelElement {
  /** The model path, e.g. `HumanName.family` or `Bundle.entry`. */
  readonly path: string;
  /** Type code, e.g. `string`, `HumanName`, `BackboneElement`, `Resource`. */
  readonly type: string;
  readonly repeating: boolean;
}

/**
 * The model element of child `name` under a model context: a type name (`HumanName`) or the
 * path of an inline backbone element (`Bundle.entry`). Inherited elements (`id`, `extension`,
 * `meta`, `text`, `modifierExtension`) are found through the type's ancestry; elements defined
 * elsewhere (`Bundle.entry.link` → `Bundle.link`) are followed.
 */
export function modelChild(context: string, name: string): ModelElement | undefined {
  let byName = modelChildCache.get(context);
  if (!byName) modelChildCache.set(context, byName = new Map());
  if (byName.has(name)) return byName.get(name);
  const element = findModelChild(context, name);
  byName.set(name, element);
  return element;
}

const modelChildCache = new Map<string, Map<string, ModelElement | undefined>>();

function findModelChild(context: string, name: string): ModelElement | undefined {
  const own = `${context}.${name}`;
  const candidates = [own];
  if (context.includes(".")) candidates.push(`BackboneElement.${name}`, `Element.${name}`);
  else {for (const ancestor of typeAncestry(context).slice(1)) {
      candidates.push(`${ancestor}.${name}`);
    }}
  for (const path of candidates) {
    const type = model.path2Type[path];
    if (type === undefined) continue;
    const target = model.pathsDefinedElsewhere[path];
    return {
      path: target ?? path,
      type,
      repeating: model.path2Repeating[path] === true,
    };
  }
  const elsewhere = model.pathsDefinedElsewhere[own];
  if (elsewhere !== undefined) {
    const repeating = model.path2Repeating[own] === true ||
      model.path2Repeating[elsewhere] === true;
    return { path: elsewhere, type: "BackboneElement", repeating };
  }
  return undefined;
}

/**
 * The model context for the children of an element: its own path for inline backbone elements,
 * else its type name.
 */
export function childContext(element: ModelElement): string {
  return element.type === "BackboneElement" || element.type === "Element"
    ? element.path
    : modelType(element.type);
}
