/**
 * The one test for "a JSON object", shared by worker, sandbox and harness: every reader of
 * untrusted JSON (JWT claims, request bodies, PDS answers, profiles, config files) asks it before
 * reading a property.
 *
 * @module
 */

/** A parsed JSON object: string keys, values not yet checked. */
export type JsonObject = Record<string, unknown>;

/**
 * Whether `value` is a JSON object: not `null`, not an array.
 *
 * @example
 * ```ts
 * isJsonObject(JSON.parse('{"resourceType":"Patient"}')); // true
 * isJsonObject(JSON.parse("[1]")); // false
 * isJsonObject(null); // false
 * ```
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The JSON type of a value, for messages: `null`, `array`, `object`, `string`, `number`, …
 *
 * @example
 * ```ts
 * jsonType(JSON.parse("[1]")); // "array"
 * ```
 */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
