/**
 * Walks a resource against a profile's element tree: every JSON property must be an element of
 * the snapshot (or, where the snapshot does not expand a data type, of the base STU3 model);
 * cardinality, JSON array-ness, primitive and complex types, `fixed[x]`/`pattern[x]`, bindings,
 * slices and FHIRPath invariants (`invariants.ts`) are checked on the way down. Extensions are checked against their definition
 * (the slice's type profile, or the definition their `url` names, when in the directory).
 *
 * @module
 */
import { checkBinding } from "./bindings.ts";
import { checkArrayness, checkCount } from "./cardinality.ts";
import {
  baseProfile,
  type ElementNode,
  type ElementTree,
  findChild,
  modelContextFor,
  modelNode,
  resolveContentReference,
  typeCodes,
} from "./element-tree.ts";
import { brief, constraintValue, jsonEqual, matchesPattern } from "./fixed-pattern.ts";
import { primitiveProblem } from "./primitive-types.ts";
import { assignSlices } from "./slicing.ts";
import { isPrimitiveType } from "./stu3-model.ts";
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { report, type ValidationContext } from "./validation-context.ts";
import { evaluateInvariant, invariantsOf } from "./invariants.ts";

/** Where the children of an element come from. */
interface Children {
  readonly nodes: readonly ElementNode[];
  /** Base-model context for properties the nodes do not name (only when `fromModel`). */
  readonly context: string;
  readonly profile: string;
  readonly fromModel: boolean;
}

interface Item {
  readonly value: unknown;
  readonly path: string;
  readonly type: string | undefined;
}

/** Validates `resource` against a profile tree; messages go to `ctx`. */
export function walkResource(
  resource: Record<string, unknown>,
  tree: ElementTree,
  path: string,
  ctx: ValidationContext,
): void {
  const children = { nodes: tree.root.children, context: tree.type, profile: tree.profile };
  ctx.resource = resource;
  checkInvariants(resource, tree.root, tree.type, path, ctx);
  walkChildren(resource, { ...children, fromModel: false }, path, ctx, true);
}

/**
 * The model path an element's invariants are compiled against: its data type when it has one
 * (`Extension`, `HumanName`: FHIRPath resolves `value` to `value[x]` from it), else its own path
 * (a backbone element such as `Bundle.entry`).
 */
function invariantBase(node: ElementNode, type: string | undefined): string {
  if (
    type !== undefined && /^[A-Z]/.test(type) && type !== "BackboneElement" && type !== "Element"
  ) {
    return type;
  }
  return node.def.path;
}

/** The FHIRPath invariants of `node`'s definition on `item` (a resource or complex element). */
function checkInvariants(
  item: unknown,
  node: ElementNode,
  base: string,
  path: string,
  ctx: ValidationContext,
): void {
  for (const invariant of invariantsOf(node.def)) {
    const verdict = evaluateInvariant(invariant, base, item, ctx.resource ?? item);
    if (verdict.kind === "violated") {
      const message = `${invariant.key}: ${invariant.human} [${invariant.expression}]`;
      report(ctx, invariant.severity, path, "invariant", message, node.profile);
    } else if (verdict.kind === "skipped") {
      ctx.skippedInvariants?.set(invariant.key, verdict.reason);
    }
  }
}

function childrenOf(
  node: ElementNode,
  type: string | undefined,
  item: Record<string, unknown>,
  path: string,
  ctx: ValidationContext,
): Children {
  const target = resolveContentReference(node);
  const context = modelContextFor(target, type);
  if (target.children.length > 0) {
    return { nodes: target.children, context, profile: target.profile, fromModel: false };
  }
  const declared = node.def.type?.find((t) => t.code === type && t.profile)?.profile;
  const named = type === "Extension" && typeof item.url === "string" && item.url.includes(":")
    ? item.url
    : undefined;
  const url = declared ?? named;
  if (url) {
    const tree = ctx.tree(url);
    if (tree) {
      return { nodes: tree.root.children, context, profile: tree.profile, fromModel: false };
    }
    const message = declared
      ? `type profile ${declared} not available: checked against base ${type}`
      : `extension ${named} not checked: its definition is not available`;
    report(ctx, "information", path, "profile", message, node.profile);
  }
  const profile = node.modelContext ? node.profile : baseProfile(context.split(".")[0] as string);
  return { nodes: [], context, profile, fromModel: true };
}

function checkConstraints(item: unknown, node: ElementNode, path: string, ctx: ValidationContext) {
  const fixed = constraintValue(node.def, "fixed");
  if (fixed && !jsonEqual(item, fixed.value)) {
    const message = `${brief(item)} must be exactly ${brief(fixed.value)} (${fixed.key})`;
    report(ctx, "error", path, "fixed", message, node.profile);
  }
  const pattern = constraintValue(node.def, "pattern");
  if (pattern && !matchesPattern(item, pattern.value)) {
    const message = `${brief(item)} does not match ${pattern.key} ${brief(pattern.value)}`;
    report(ctx, "error", path, "pattern", message, node.profile);
  }
}

function validateValue(
  item: unknown,
  node: ElementNode,
  choiceType: string | undefined,
  path: string,
  ctx: ValidationContext,
): void {
  const codes = [...new Set(typeCodes(resolveContentReference(node)))];
  const type = choiceType ?? (codes.length === 1 ? codes[0] : undefined);
  if (type !== undefined && isPrimitiveType(type)) {
    const problem = primitiveProblem(item, type);
    if (problem) {
      report(ctx, "error", path, "type", `${type} ${problem}`, node.profile);
      return;
    }
    checkConstraints(item, node, path, ctx);
    checkBinding(item, type, node, path, ctx);
    return;
  }
  if (type === "Resource") {
    if (!isJsonObject(item) || typeof item.resourceType !== "string") {
      report(
        ctx,
        "error",
        path,
        "structure",
        "must be a resource with a resourceType",
        node.profile,
      );
    }
    return; // nested resources are validated on their own (profile-validator)
  }
  if (!isJsonObject(item)) {
    report(ctx, "error", path, "type", `${type ?? "element"} must be a JSON object`, node.profile);
    return;
  }
  checkConstraints(item, node, path, ctx);
  if (type !== undefined) checkBinding(item, type, node, path, ctx);
  checkInvariants(item, node, invariantBase(node, type), path, ctx);
  walkChildren(item, childrenOf(node, type, item, path, ctx), path, ctx, false);
}

function lookup(children: Children, key: string) {
  const found = findChild(children.nodes, key);
  if (found || !children.fromModel) return found;
  const node = modelNode(children.context, key);
  return node ? { node, choice: false } : undefined;
}

function walkCompanion(value: unknown, node: ElementNode, path: string, ctx: ValidationContext) {
  const target = resolveContentReference(node);
  const children: Children = target.children.length > 0
    ? { nodes: target.children, context: "Element", profile: target.profile, fromModel: false }
    : { nodes: [], context: "Element", profile: node.profile, fromModel: true };
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    if (item === null) return;
    if (!isJsonObject(item)) {
      report(ctx, "error", at, "structure", "primitive extension must be an object", node.profile);
    } else walkChildren(item, children, at, ctx, false);
  });
}

function walkChildren(
  obj: Record<string, unknown>,
  children: Children,
  path: string,
  ctx: ValidationContext,
  isResource: boolean,
): void {
  const groups = new Map<ElementNode, Item[]>();
  const keys = new Map<ElementNode, string>();
  const extensionOnly = new Set<ElementNode>();
  for (const [key, value] of Object.entries(obj)) {
    if (isResource && key === "resourceType") continue;
    const companion = key.startsWith("_");
    const match = lookup(children, companion ? key.slice(1) : key);
    const at = `${path}.${key}`;
    if (!match) {
      const message = `${key} is not an element of ${children.profile}`;
      report(ctx, "error", at, "unknown-element", message, children.profile);
      continue;
    }
    const { node } = match;
    if (match.choice && match.type === undefined) {
      const allowed = typeCodes(node).join(", ");
      const message = `${key}: type not allowed for ${node.name} (allowed: ${allowed})`;
      report(ctx, "error", at, "type", message, node.profile);
      continue;
    }
    if (companion) {
      walkCompanion(value, node, at, ctx);
      extensionOnly.add(node);
      continue;
    }
    checkArrayness(node, value, at, ctx);
    if (!keys.has(node)) keys.set(node, at);
    const list = groups.get(node) ?? [];
    const type = match.choice ? match.type : undefined;
    if (Array.isArray(value)) {
      value.forEach((v, i) => list.push({ value: v, path: `${at}[${i}]`, type }));
    } else list.push({ value, path: at, type });
    groups.set(node, list);
  }
  for (const node of children.nodes) {
    if (node.sliceName !== undefined || groups.has(node) || extensionOnly.has(node)) continue;
    if ((node.def.min ?? 0) > 0) checkCount(node, 0, `${path}.${node.name}`, ctx);
    else if (node.slices.some((slice) => (slice.def.min ?? 0) > 0)) {
      assignSlices(node, [], [], `${path}.${node.name}`, ctx); // reports the required slices
    }
  }
  for (const [node, items] of groups) {
    const at = keys.get(node) as string;
    checkCount(node, items.length, at, ctx);
    const values = items.map((i) => i.value);
    const slices = assignSlices(node, values, items.map((i) => i.path), at, ctx);
    items.forEach((item, i) => {
      if (item.value === null) return; // its `_name` twin carries it (checked structurally)
      validateValue(item.value, slices[i] ?? node, item.type, item.path, ctx);
    });
  }
}
