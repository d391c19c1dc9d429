/**
 * The small strict readers every scenario schema (GP Connect, patient-facing, MESH) checks parsed
 * YAML with: each throws a {@linkcode SchemaError} naming where the problem is, so a loader can
 * report the file and scenario id with it.
 *
 * @module
 */
import { isJsonObject } from "../../gpconnect/json-object.ts";

/** A problem found in a scenario document. */
export class SchemaError extends Error {
  constructor(readonly where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = "SchemaError";
  }
}

/** A YAML mapping. */
export type Json = Record<string, unknown>;

/**
 * `value` as a mapping.
 *
 * @example
 * ```ts
 * schemaObject({ a: 1 }, "request").a; // 1
 * ```
 */
export function schemaObject(value: unknown, where: string): Json {
  if (!isJsonObject(value)) throw new SchemaError(where, "must be a mapping");
  return value;
}

/**
 * Refuses keys of `value` not in `keys`.
 *
 * @example
 * ```ts
 * onlyKeys({ path: "/x" }, ["path", "method"], "request");
 * ```
 */
export function onlyKeys(value: Json, keys: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !keys.includes(key));
  if (unknown.length > 0) {
    throw new SchemaError(
      where,
      `unknown key${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`,
    );
  }
}

/**
 * `value` as a non-blank string.
 *
 * @example
 * ```ts
 * schemaText("GET", "request.method"); // "GET"
 * ```
 */
export function schemaText(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new SchemaError(where, "must be a non-empty string");
  }
  return value;
}

/**
 * `value` as a list of non-blank strings (`nonEmpty`: with at least one).
 *
 * @example
 * ```ts
 * schemaTexts(["a", "b"], "tags"); // ["a", "b"]
 * ```
 */
export function schemaTexts(value: unknown, where: string, nonEmpty = false): string[] {
  if (!Array.isArray(value)) throw new SchemaError(where, "must be a list of strings");
  if (nonEmpty && value.length === 0) throw new SchemaError(where, "must not be empty");
  return value.map((item, i) => schemaText(item, `${where}[${i}]`));
}

/**
 * `value` as one of `allowed`.
 *
 * @example
 * ```ts
 * schemaOneOf("sender", ["sender", "recipient"] as const, "as"); // "sender"
 * ```
 */
export function schemaOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  where: string,
): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new SchemaError(where, `must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

/**
 * `value` as true or false.
 *
 * @example
 * ```ts
 * schemaBool(true, "gzip"); // true
 * ```
 */
export function schemaBool(value: unknown, where: string): boolean {
  if (typeof value !== "boolean") throw new SchemaError(where, "must be true or false");
  return value;
}
