/**
 * The element tree of a profile's snapshot: each element under its parent (by element id, so
 * `Patient.identifier:nhsNumber.system` sits under the `nhsNumber` slice), slices under their
 * slicing entry, renamed choices (`value[x]:valueQuantity`) as their own child. Elements a
 * snapshot does not expand (children of `HumanName`, `Coding`, …) come from the base STU3 model
 * as synthesised nodes.
 *
 * @module
 */
import type { ElementDefinition, StructureDefinition } from "./conformance-resources.ts";
import { childContext, modelChild, modelType } from "./stu3-model.ts";

/** One element of a profile (or of the base model). */
export interface ElementNode {
  /** Element id, e.g. `Patient.identifier:nhsNumber.system`. */
  readonly id: string;
  /** The JSON property it describes: `identifier`, `value[x]`, `valueQuantity`. */
  readonly name: string;
  readonly def: ElementDefinition;
  /** URL of the profile (or base definition) the element comes from. */
  readonly profile: string;
  readonly children: ElementNode[];
  /** Slices, when this element is a slicing entry. */
  readonly slices: ElementNode[];
  readonly sliceName?: string;
  /** The tree the node belongs to (for `contentReference`); absent for model nodes. */
  readonly tree?: ElementTree;
  /** Set on base-model nodes: the model context of their children. */
  readonly modelContext?: string;
}

/** A profile's element tree. */
export interface ElementTree {
  readonly profile: string;
  /** The constrained type, e.g. `Patient`, `Extension`. */
  readonly type: string;
  readonly root: ElementNode;
  readonly byId: ReadonlyMap<string, ElementNode>;
}

/** The base definition URL of a type, used as `profile` of base-structure messages. */
export function baseProfile(type: string): string {
  return `http://hl7.org/fhir/StructureDefinition/${type}`;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}

/** Builds the element tree of a StructureDefinition's snapshot. */
export function buildElementTree(sd: StructureDefinition): ElementTree {
  const byId = new Map<string, ElementNode>();
  const tree = { profile: sd.url, type: sd.type, byId } as {
    profile: string;
    type: string;
    byId: Map<string, ElementNode>;
    root: ElementNode;
  };
  for (const def of sd.snapshot.element) {
    const id = def.id ?? (def.sliceName ? `${def.path}:${def.sliceName}` : def.path);
    const dot = id.lastIndexOf(".");
    const make = (name: string, sliceName?: string): ElementNode => ({
      id,
      name,
      def,
      profile: sd.url,
      children: [],
      slices: [],
      tree,
      ...(sliceName === undefined ? {} : { sliceName }),
    });
    if (dot < 0) {
      if (!tree.root) {
        tree.root = make(def.path);
        byId.set(id, tree.root);
      }
      continue;
    }
    const parent = byId.get(id.slice(0, dot)) ??
      byId.get(def.path.slice(0, def.path.lastIndexOf(".")));
    if (!parent) continue; // an element whose parent the snapshot lacks: nothing can reach it
    const segment = id.slice(dot + 1);
    const colon = segment.indexOf(":");
    const pathName = lastSegment(def.path);
    const entry = colon >= 0 && segment.slice(0, colon) === pathName
      ? parent.children.find((c) => c.name === pathName && c.sliceName === undefined)
      : undefined;
    if (entry) {
      const node = make(pathName, segment.slice(colon + 1));
      entry.slices.push(node);
      byId.set(id, node);
    } else {
      // A plain element, or a "slice" without a slicing entry: a type-renamed choice
      // (`Extension.valueCodeableConcept:valueCodeableConcept`), which is just that element.
      const node = make(pathName);
      parent.children.push(node);
      byId.set(id, node);
    }
  }
  if (!tree.root) throw new Error(`StructureDefinition ${sd.url} has no root element`);
  return tree;
}

/** The node a `contentReference` (`#Bundle.link`) points to, or the node itself. */
export function resolveContentReference(node: ElementNode): ElementNode {
  const reference = node.def.contentReference;
  if (!reference || !node.tree) return node;
  const target = reference.slice(reference.indexOf("#") + 1);
  return node.tree.byId.get(target) ?? node;
}

/** Type codes of a node (`[]` for a root element). */
export function typeCodes(node: ElementNode): string[] {
  return (node.def.type ?? []).flatMap((t) => t.code ? [t.code] : []);
}

/**
 * The model context for base children of a node of `type`: the base path of a backbone element,
 * else the type itself.
 */
export function modelContextFor(node: ElementNode, type: string | undefined): string {
  if (node.modelContext) return node.modelContext;
  if (type === undefined || type === "BackboneElement" || type === "Element") {
    return node.def.base?.path ?? node.def.path;
  }
  return modelType(type);
}

const modelNodeCache = new Map<string, ElementNode | undefined>();

/** The base-model node for child `name` of a model context, e.g. (`HumanName`, `family`). */
export function modelNode(context: string, name: string): ElementNode | undefined {
  const key = `${context}|${name}`;
  if (modelNodeCache.has(key)) return modelNodeCache.get(key);
  const element = modelChild(context, name);
  let node: ElementNode | undefined;
  if (element) {
    const max = element.repeating ? "*" : "1";
    node = {
      id: `${context}.${name}`,
      name,
      def: {
        path: `${context}.${name}`,
        min: 0,
        max,
        base: { max },
        type: [{ code: element.type }],
      },
      profile: baseProfile(context.split(".")[0] as string),
      children: [],
      slices: [],
      modelContext: childContext(element),
    };
  }
  modelNodeCache.set(key, node);
  return node;
}

/** Upper-case first letter: the JSON suffix of a type in a choice name (`dateTime` → `DateTime`). */
export function typeSuffix(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/**
 * The element a JSON property names among `nodes`: an exact name, or a choice element
 * (`value[x]`) whose prefix it starts with. For a choice, `type` is the type its suffix names
 * (undefined when the suffix names none of the element's types).
 */
export function findChild(
  nodes: readonly ElementNode[],
  key: string,
): { node: ElementNode; type?: string; choice: boolean } | undefined {
  const exact = nodes.find((n) => n.name === key && n.sliceName === undefined);
  if (exact) return { node: exact, choice: false };
  for (const node of nodes) {
    if (!node.name.endsWith("[x]") || node.sliceName !== undefined) continue;
    const prefix = node.name.slice(0, -3);
    if (key.length <= prefix.length || !key.startsWith(prefix)) continue;
    const suffix = key.slice(prefix.length);
    if (suffix.charAt(0) !== suffix.charAt(0).toUpperCase()) continue;
    const type = typeCodes(node).find((t) => typeSuffix(t) === suffix);
    return type === undefined ? { node, choice: true } : { node, type, choice: true };
  }
  return undefined;
}
