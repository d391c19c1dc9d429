/**
 * The JSON protocol between `createDurableObjectRecordsStore` (the client) and the records
 * Durable Object: one `POST` per operation, the operation named in the body. Values travel as
 * their JSON text, so the object stores exactly what the client encoded. Every request carries
 * the client's `now`, the instant expiry is judged at.
 *
 * @module
 */
import { isJsonObject } from "../../gpconnect/json-object.ts";
import type { EncodedMutation } from "./record-rules.ts";

/** A record as the object returns it. */
export interface ProtocolRow {
  readonly key: string;
  readonly json: string;
  readonly version: string;
  readonly expiresAt: number | null;
}

/** One operation. */
export type RecordsRequest =
  | { readonly op: "getMany"; readonly now: number; readonly keys: readonly string[] }
  | {
    readonly op: "commit";
    readonly now: number;
    readonly checks: ReadonlyArray<{ readonly key: string; readonly version: string | null }>;
    readonly mutations: readonly EncodedMutation[];
  }
  | {
    readonly op: "list";
    readonly now: number;
    readonly prefix: string;
    readonly after?: string;
    readonly limit?: number;
    readonly reverse: boolean;
  };

/** The answer to an operation. */
export type RecordsResponse =
  | { readonly records: ReadonlyArray<ProtocolRow | null> }
  | { readonly applied: boolean };

const isString = (value: unknown): value is string => typeof value === "string";
const optional = (value: unknown, test: (value: unknown) => boolean) =>
  value === undefined || test(value);

/**
 * Why `body` is not a {@linkcode RecordsRequest}, or `undefined` when it is. The client has
 * applied record-rules.ts already; this guards the object's SQL against any other caller.
 */
export function recordsRequestProblem(body: unknown): string | undefined {
  if (!isJsonObject(body) || !Number.isFinite(body.now)) return "A request is an object with a now";
  switch (body.op) {
    case "getMany":
      return Array.isArray(body.keys) && body.keys.every(isString) ? undefined : "keys: strings";
    case "commit": {
      const checks = Array.isArray(body.checks) &&
        body.checks.every((check) =>
          isJsonObject(check) && isString(check.key) &&
          (check.version === null || isString(check.version))
        );
      const mutations = Array.isArray(body.mutations) &&
        body.mutations.every((m) =>
          isJsonObject(m) && isString(m.key) &&
          (m.type === "delete" ||
            (m.type === "set" && isString(m.json) && optional(m.expiresAt, Number.isFinite)))
        );
      return checks && mutations ? undefined : "checks and mutations: as records-protocol.ts";
    }
    case "list": {
      const limit = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
      const valid = isString(body.prefix) && optional(body.after, isString) &&
        optional(body.limit, limit) && typeof body.reverse === "boolean";
      return valid ? undefined : "prefix, after, limit, reverse: as records-protocol.ts";
    }
    default:
      return "op: getMany, commit or list";
  }
}
