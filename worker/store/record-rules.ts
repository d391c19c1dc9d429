/**
 * The rules every `RecordsStore` adapter applies the same way, so code tested against
 * the memory adapter behaves the same on Deno KV and on a Durable Object: key validity, key order,
 * value encoding and the size limits of one commit.
 *
 * The limits (declared in records-store.ts) are Deno KV's, the tightest backend, with a margin.
 * Breaking one throws {@linkcode RecordLimitError} before anything is written.
 *
 * @module
 */
import {
  MAX_COMMIT_BYTES,
  MAX_COMMIT_CHECKS,
  MAX_COMMIT_MUTATIONS,
  MAX_GET_MANY_KEYS,
  MAX_RECORD_KEY_BYTES,
  MAX_RECORD_VALUE_BYTES,
  type RecordCheck,
  RecordLimitError,
  type RecordMutation,
} from "./records-store.ts";

/** A mutation with its value already encoded as JSON text. */
export type EncodedMutation =
  | {
    readonly type: "set";
    readonly key: string;
    readonly json: string;
    readonly expiresAt?: number;
  }
  | { readonly type: "delete"; readonly key: string };

const utf8 = new TextEncoder();

/**
 * Throws unless `key` can be stored: well-formed UTF-16 (a lone surrogate has no UTF-8 form, so
 * two backends would store different keys), no U+0000, at most {@linkcode MAX_RECORD_KEY_BYTES}.
 */
export function assertRecordKey(key: string): void {
  if (typeof key !== "string" || !key.isWellFormed() || key.includes("\0")) {
    throw new TypeError("A record key must be a well-formed string without U+0000");
  }
  if (utf8.encode(key).length > MAX_RECORD_KEY_BYTES) {
    throw new RecordLimitError(`A record key is longer than ${MAX_RECORD_KEY_BYTES} bytes`);
  }
}

/**
 * Orders keys by Unicode code point, which is also UTF-8 byte order (Deno KV's and SQLite's).
 * Code units from U+E000 up sort below surrogates once shifted, so one pass over code units works.
 */
export function compareRecordKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * The least key greater than every key that starts with `prefix`, or `undefined` when there is
 * none (the empty prefix): the upper bound of a prefix range.
 */
export function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last === 0x10ffff) continue;
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return points.join("") + String.fromCodePoint(next);
  }
  return undefined;
}

/**
 * The keys to list as `[lower inclusive, upper exclusive or none]`, or `undefined` when no key
 * can match. Keys of `prefix` are one run in code point order, `[prefix, prefixEnd(prefix))`;
 * `after` cuts it from below (forward; the caller skips `after` itself) or from above (reverse).
 */
export function listRange(
  prefix: string,
  after: string | undefined,
  reverse: boolean,
): readonly [string, string | undefined] | undefined {
  const end = prefixEnd(prefix);
  if (after === undefined) return [prefix, end];
  if (!reverse) {
    if (end !== undefined && compareRecordKeys(after, end) >= 0) return undefined;
    return [compareRecordKeys(after, prefix) >= 0 ? after : prefix, end];
  }
  if (compareRecordKeys(after, prefix) <= 0) return undefined;
  return [prefix, end === undefined || compareRecordKeys(after, end) < 0 ? after : end];
}

/** The JSON text of `value`, checked against {@linkcode MAX_RECORD_VALUE_BYTES}. */
export function encodeRecordValue(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("A record value must be JSON");
  if (utf8.encode(json).length > MAX_RECORD_VALUE_BYTES) {
    throw new RecordLimitError(
      `A record value is larger than ${MAX_RECORD_VALUE_BYTES} bytes of JSON; use the blob store`,
    );
  }
  return json;
}

/**
 * Validates a commit's checks and mutations against the rules and limits and encodes the values,
 * so an adapter writes either everything or, on a bad argument, nothing.
 */
export function prepareCommit(
  checks: readonly RecordCheck[],
  mutations: readonly RecordMutation[],
): EncodedMutation[] {
  if (checks.length > MAX_COMMIT_CHECKS) {
    throw new RecordLimitError(`A commit has more than ${MAX_COMMIT_CHECKS} checks`);
  }
  if (mutations.length > MAX_COMMIT_MUTATIONS) {
    throw new RecordLimitError(`A commit has more than ${MAX_COMMIT_MUTATIONS} mutations`);
  }
  for (const check of checks) {
    assertRecordKey(check.key);
    if (check.version !== null && typeof check.version !== "string") {
      throw new TypeError("A check's version must be a string or null");
    }
  }
  let bytes = 0;
  const encoded = mutations.map((mutation): EncodedMutation => {
    assertRecordKey(mutation.key);
    bytes += utf8.encode(mutation.key).length;
    if (mutation.type === "delete") return { type: "delete", key: mutation.key };
    if (mutation.type !== "set") throw new TypeError("A mutation is a set or a delete");
    const json = encodeRecordValue(mutation.value);
    bytes += utf8.encode(json).length;
    const { expiresAt } = mutation;
    if (expiresAt === undefined) return { type: "set", key: mutation.key, json };
    if (!Number.isFinite(expiresAt)) throw new TypeError("expiresAt must be a finite number");
    return { type: "set", key: mutation.key, json, expiresAt };
  });
  if (bytes > MAX_COMMIT_BYTES) {
    throw new RecordLimitError(`A commit writes more than ${MAX_COMMIT_BYTES} bytes`);
  }
  return encoded;
}

/** Validates the keys of a `getMany`. */
export function assertGetManyKeys(keys: readonly string[]): void {
  if (keys.length > MAX_GET_MANY_KEYS) {
    throw new RecordLimitError(`getMany reads at most ${MAX_GET_MANY_KEYS} keys`);
  }
  for (const key of keys) assertRecordKey(key);
}

/** Throws unless `limit` is absent or a non-negative integer. */
export function assertListLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new TypeError("A list limit must be a non-negative integer");
  }
}
