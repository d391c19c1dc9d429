/**
 * In-memory {@linkcode RecordsStore} for tests and benchmarks. Every operation runs to completion
 * without awaiting, so a commit is atomic by construction; expiry follows the injected clock.
 *
 * @module
 */
import {
  assertGetManyKeys,
  assertListLimit,
  assertRecordKey,
  compareRecordKeys,
  prepareCommit,
} from "./record-rules.ts";
import type {
  ListOptions,
  RecordCheck,
  RecordMutation,
  RecordsStore,
  StoredRecord,
} from "./records-store.ts";

interface Entry {
  readonly json: string;
  readonly version: string;
  readonly expiresAt: number | undefined;
}

/**
 * Creates an empty memory records store. Values are kept as JSON text, so neither what was
 * committed nor what was read aliases the store, just as with a real backend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryRecordsStore } from "./memory-records-store.ts";
 * let time = 0;
 * const records = createMemoryRecordsStore({ now: () => time });
 * await records.commit([], [{ type: "set", key: "replay:jti-1", value: true, expiresAt: 60_000 }]);
 * time = 60_000;
 * assert.equal(await records.get("replay:jti-1"), undefined); // expired
 * ```
 */
export function createMemoryRecordsStore(options: { now?: () => number } = {}): RecordsStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let writes = 0;
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt === undefined || entry.expiresAt > now()) return entry;
    entries.delete(key); // expired reads as absent either way; dropping it bounds the memory
    return undefined;
  };
  const record = <T>(key: string, entry: Entry): StoredRecord<T> => ({
    key,
    value: JSON.parse(entry.json) as T,
    version: entry.version,
    expiresAt: entry.expiresAt,
  });
  const read = <T>(key: string): StoredRecord<T> | undefined => {
    const entry = live(key);
    return entry && record<T>(key, entry);
  };
  return {
    get: <T>(key: string) =>
      settle(() => {
        assertRecordKey(key);
        return read<T>(key);
      }),
    getMany: <T>(keys: readonly string[]) =>
      settle(() => {
        assertGetManyKeys(keys);
        return keys.map((key) => read<T>(key));
      }),
    commit: (checks: readonly RecordCheck[], mutations: readonly RecordMutation[]) =>
      settle(() => {
        const encoded = prepareCommit(checks, mutations);
        // An expired record counts as absent, so it satisfies a `null` check and no version check.
        if (!checks.every((check) => (live(check.key)?.version ?? null) === check.version)) {
          return false;
        }
        for (const mutation of encoded) {
          if (mutation.type === "delete") {
            entries.delete(mutation.key);
          } else {
            const version = String(++writes).padStart(12, "0");
            entries.set(mutation.key, {
              json: mutation.json,
              version,
              expiresAt: mutation.expiresAt,
            });
          }
        }
        return true;
      }),
    list: <T>(prefix: string, listOptions: ListOptions = {}) =>
      settle(() => {
        const { after, limit, reverse = false } = listOptions;
        assertListLimit(limit);
        assertRecordKey(prefix);
        if (after !== undefined) assertRecordKey(after);
        const keys = [...entries.keys()]
          .filter((key) => key.startsWith(prefix) && live(key) !== undefined)
          .filter((key) => {
            if (after === undefined) return true;
            const order = compareRecordKeys(key, after);
            return reverse ? order < 0 : order > 0;
          })
          .sort((a, b) => reverse ? compareRecordKeys(b, a) : compareRecordKeys(a, b))
          .slice(0, limit);
        return keys.map((key) => record<T>(key, entries.get(key)!));
      }),
  };
}

/** Runs `fn` now, as a promise: a throw becomes a rejection, as with a real backend. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}
