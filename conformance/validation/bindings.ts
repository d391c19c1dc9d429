/**
 * Terminology bindings: `required` (a code outside the ValueSet is an error) and `extensible`
 * (a warning), checked offline against the directory's ValueSets. A binding that cannot be
 * decided (ValueSet or CodeSystem not in the directory, SNOMED CT filters) is reported as
 * information, never as an error.
 *
 * @module
 */
import type { ElementNode } from "./element-tree.ts";
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { report, type ValidationContext } from "./validation-context.ts";

interface Code {
  readonly system?: string;
  readonly code?: string;
}

/** The codes an element value carries, or undefined when its type is not coded. */
function codesOf(item: unknown, type: string): Code[] | undefined {
  if (type === "code" || type === "string" || type === "uri") {
    return typeof item === "string" ? [{ code: item }] : [];
  }
  if (!isJsonObject(item)) return undefined;
  const asCode = (c: unknown): Code[] =>
    isJsonObject(c)
      ? [{
        ...(typeof c.system === "string" ? { system: c.system } : {}),
        ...(typeof c.code === "string" ? { code: c.code } : {}),
      }]
      : [];
  if (type === "Coding" || type === "Quantity") return asCode(item);
  if (type === "CodeableConcept") {
    return Array.isArray(item.coding) ? item.coding.flatMap(asCode) : [];
  }
  return undefined;
}

/** Checks the binding of `node` (if required or extensible) on one value of `type`. */
export function checkBinding(
  item: unknown,
  type: string,
  node: ElementNode,
  path: string,
  ctx: ValidationContext,
): void {
  const binding = node.def.binding;
  const strength = binding?.strength;
  if (strength !== "required" && strength !== "extensible") return;
  const valueSet = binding?.valueSetReference?.reference ?? binding?.valueSetUri;
  if (!valueSet) return;
  const codes = codesOf(item, type)?.filter((c) => c.code !== undefined);
  if (codes === undefined) return;
  const profile = node.profile;
  if (!ctx.terminology.hasValueSet(valueSet)) {
    report(
      ctx,
      "information",
      path,
      "binding",
      `binding not checked: ValueSet ${valueSet} not available`,
      profile,
    );
    return;
  }
  if (codes.length === 0) {
    if (strength === "required" && type !== "Quantity") {
      report(ctx, "error", path, "binding", `no code from required ValueSet ${valueSet}`, profile);
    }
    return;
  }
  const results = codes.map((c) => ctx.terminology.check(valueSet, c.system, c.code as string));
  if (results.some((r) => r.result === "member")) return;
  const unknown = results.find((r) => r.result === "unknown");
  if (unknown?.result === "unknown") {
    report(ctx, "information", path, "binding", `binding not checked: ${unknown.reason}`, profile);
    return;
  }
  const shown = codes.map((c) => c.system ? `${c.system}|${c.code}` : `${c.code}`).join(", ");
  report(
    ctx,
    strength === "required" ? "error" : "warning",
    path,
    "binding",
    `${shown} is not in ${strength} ValueSet ${valueSet}`,
    profile,
  );
}
