/**
 * Cardinality: an element's `min`/`max` from the profile (counted over all its JSON items, a
 * choice element over all its typed names), and JSON array-ness from the base definition (a
 * profile may narrow `0..*` to `0..1`, the JSON stays an array).
 *
 * @module
 */
import type { ElementNode } from "./element-tree.ts";
import { report, type ValidationContext } from "./validation-context.ts";

/** True when the element is a JSON array: the base definition's max, not the profile's. */
export function repeats(node: ElementNode): boolean {
  const max = node.def.base?.max ?? node.def.max ?? "1";
  return max !== "1" && max !== "0";
}

/** Reports a value whose array-ness is wrong. */
export function checkArrayness(
  node: ElementNode,
  value: unknown,
  path: string,
  ctx: ValidationContext,
): void {
  if (Array.isArray(value) === repeats(node)) return;
  const message = repeats(node) ? "must be a JSON array" : "must not be a JSON array";
  report(ctx, "error", path, "structure", message, node.profile);
}

/** Reports `count` items of an element outside its `min..max`. */
export function checkCount(
  node: ElementNode,
  count: number,
  path: string,
  ctx: ValidationContext,
): void {
  const min = node.def.min ?? 0;
  const max = node.def.max ?? "*";
  if (count < min) {
    const message = count === 0
      ? `${node.name} is required (min ${min}), found 0`
      : `${node.name} requires at least ${min} item(s), found ${count}`;
    report(ctx, "error", path, "cardinality", message, node.profile);
  }
  if (max !== "*" && count > Number(max)) {
    const message = max === "0"
      ? `${node.name} is not allowed (max 0)`
      : `${node.name} allows at most ${max} item(s), found ${count}`;
    report(ctx, "error", path, "cardinality", message, node.profile);
  }
}
