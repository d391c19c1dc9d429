/**
 * Slicing: each item of a sliced element is assigned to the slice whose discriminator values it
 * carries, then slice cardinalities and the slicing rules (`closed`, `openAtEnd`, `ordered`) are
 * checked. Supported discriminators: `value` and `pattern` on simple paths (`url`, `system`,
 * `coding.system`, `use`, `$this`), with the slice's value taken from its `fixed[x]`/`pattern[x]`
 * (or, for an extension slice, its profile URL). Anything else is reported as information and the
 * items are checked against the unsliced element only: never a false error.
 *
 * @module
 */
import type { ElementNode } from "./element-tree.ts";
import { constraintValue, jsonEqual, matchesPattern } from "./fixed-pattern.ts";
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { report, type ValidationContext } from "./validation-context.ts";

type Discriminator = { readonly type: "value" | "pattern"; readonly path: string };

const simplePath = /^(\$this|[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*)$/;

/** The value a slice requires at `path`, or undefined when the snapshot does not fix one. */
function sliceValue(slice: ElementNode, path: string, ctx: ValidationContext): unknown {
  let node: ElementNode | undefined = slice;
  if (path !== "$this") {
    for (const segment of path.split(".")) {
      let next: ElementNode | undefined = node?.children.find((c) =>
        c.name === segment && c.sliceName === undefined
      );
      const typeProfile: string | undefined = node?.def.type?.find((t) => t.profile)?.profile;
      if (!next && typeProfile) {
        if (segment === "url" && node?.def.type?.[0]?.code === "Extension") return typeProfile;
        next = ctx.tree(typeProfile)?.root.children.find((c) => c.name === segment);
      }
      node = next;
      if (!node) return undefined;
    }
  }
  return (constraintValue(node.def, "fixed") ?? constraintValue(node.def, "pattern"))?.value;
}

/** Every value at a simple dotted path in `item` (arrays flattened). */
function valuesAt(item: unknown, path: string): unknown[] {
  if (path === "$this") return [item];
  let values: unknown[] = [item];
  for (const segment of path.split(".")) {
    values = values.flatMap((v) => {
      const child = isJsonObject(v) ? v[segment] : undefined;
      return child === undefined ? [] : Array.isArray(child) ? child : [child];
    });
  }
  return values;
}

/**
 * The slice each item belongs to (undefined: no slice, or slicing not checkable), after
 * reporting slice cardinality and slicing-rule violations.
 */
export function assignSlices(
  entry: ElementNode,
  items: readonly unknown[],
  itemPaths: readonly string[],
  path: string,
  ctx: ValidationContext,
): (ElementNode | undefined)[] {
  const slicing = entry.def.slicing;
  const none = items.map(() => undefined);
  if (!slicing || entry.slices.length === 0) return none;
  const discriminators = slicing.discriminator ?? [];
  const unsupported = discriminators.find((d) =>
    (d.type !== "value" && d.type !== "pattern") || !simplePath.test(d.path ?? "")
  );
  const notChecked = (why: string) => {
    report(ctx, "information", path, "slicing", `slicing not checked: ${why}`, entry.profile);
    return none;
  };
  if (discriminators.length === 0) return notChecked("no discriminator");
  if (unsupported) {
    return notChecked(`discriminator ${unsupported.type} on ${unsupported.path} is not supported`);
  }
  const supported = discriminators as readonly Discriminator[];
  const expected = entry.slices.map((slice) =>
    supported.map((d) => sliceValue(slice, d.path, ctx))
  );
  const unfixed = expected.findIndex((values) => values.some((v) => v === undefined));
  if (unfixed >= 0) {
    return notChecked(`slice ${entry.slices[unfixed]?.sliceName} has no fixed discriminator value`);
  }
  const assigned = items.map((item) =>
    entry.slices.find((_, s) =>
      supported.every((d, i) => {
        const want = expected[s]?.[i];
        return valuesAt(item, d.path).some((v) =>
          d.type === "pattern" ? matchesPattern(v, want) : jsonEqual(v, want)
        );
      })
    )
  );
  const label = (slice: ElementNode) => `slice '${slice.sliceName}'`;
  for (const slice of entry.slices) {
    const count = assigned.filter((s) => s === slice).length;
    const min = slice.def.min ?? 0;
    const max = slice.def.max ?? "*";
    if (count < min) {
      const message = `${label(slice)} requires at least ${min} item(s), found ${count}`;
      report(ctx, "error", path, "slicing", message, entry.profile);
    }
    if (max !== "*" && count > Number(max)) {
      const message = `${label(slice)} allows at most ${max} item(s), found ${count}`;
      report(ctx, "error", path, "slicing", message, entry.profile);
    }
  }
  let lastSlice = -1;
  let unmatchedSeen = false;
  assigned.forEach((slice, i) => {
    const at = itemPaths[i] ?? path;
    if (!slice) {
      unmatchedSeen = true;
      if (slicing.rules === "closed") {
        report(
          ctx,
          "error",
          at,
          "slicing",
          "item matches no slice of a closed slicing",
          entry.profile,
        );
      }
      return;
    }
    const index = entry.slices.indexOf(slice);
    if (unmatchedSeen && slicing.rules === "openAtEnd") {
      const message = `${label(slice)} item after an unsliced item (slicing is openAtEnd)`;
      report(ctx, "error", at, "slicing", message, entry.profile);
    }
    if (slicing.ordered && index < lastSlice) {
      report(
        ctx,
        "error",
        at,
        "slicing",
        `${label(slice)} out of order (ordered slicing)`,
        entry.profile,
      );
    }
    lastSlice = Math.max(lastSlice, index);
  });
  return assigned;
}
