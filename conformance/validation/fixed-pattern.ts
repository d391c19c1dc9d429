/**
 * `fixed[x]` (the value must be exactly this) and `pattern[x]` (the value must contain at least
 * this: every property of the pattern present with a matching value; every pattern array item
 * matched by some value item).
 *
 * @module
 */
import { isJsonObject } from "../../gpconnect/json-object.ts";
import type { ElementDefinition } from "./conformance-resources.ts";

/** The `fixed[x]` or `pattern[x]` value of an element, with the key it came from. */
export function constraintValue(
  def: ElementDefinition,
  kind: "fixed" | "pattern",
): { key: string; value: unknown } | undefined {
  for (const key of Object.keys(def)) {
    if (key.startsWith(kind) && key.length > kind.length && /[A-Z]/.test(key[kind.length] ?? "")) {
      return { key, value: def[key] };
    }
  }
  return undefined;
}

/** Deep equality of JSON values (property order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length &&
      keys.every((key) => key in b && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** True when `value` contains `pattern` (FHIR pattern semantics). */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    const items = Array.isArray(value) ? value : [value];
    return pattern.every((p) => items.some((item) => matchesPattern(item, p)));
  }
  if (isJsonObject(pattern)) {
    return isJsonObject(value) &&
      Object.entries(pattern).every(([key, p]) => key in value && matchesPattern(value[key], p));
  }
  return value === pattern;
}

/** Short JSON for messages. */
export function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
