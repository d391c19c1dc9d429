/**
 * {@linkcode RecordsStore} over Deno KV, with `atomic()` for compare-and-set. Deno-only: imported
 * by the Deno entry and tests, never by the runtime-neutral core.
 *
 * Layout: a record `key` is stored at the Deno KV key `["gpc-edge-records", key]` (apart from the
 * cache store's `["gpc-edge", …]`) as `{ json, expiresAt }`, `json` being the value's JSON text as
 * UTF-8 bytes (so the 63 KiB value limit of records-store.ts is a byte count Deno KV's 64 KiB
 * limit can hold). A record's version is its Deno KV versionstamp.
 *
 * Expiry is read from `expiresAt` against the injected clock; `expireIn` only lets Deno KV collect
 * the record some time later. An expired record may therefore still be present, so a commit first
 * reads the keys it checks and then checks their real versionstamps in the atomic operation: the
 * caller's "absent" holds for an expired record, and anything that changes in between fails the
 * atomic check and is read again.
 *
 * @module
 */
import {
  assertGetManyKeys,
  assertListLimit,
  assertRecordKey,
  listRange,
  prepareCommit,
} from "./record-rules.ts";
import type {
  ListOptions,
  RecordCheck,
  RecordMutation,
  RecordsStore,
  StoredRecord,
} from "./records-store.ts";

const ROOT = "gpc-edge-records";
/** Deno KV reads at most this many keys in one consistent `getMany`. */
const KV_GET_MANY_MAX = 10;
/** Attempts at a commit whose read state changed before its atomic check (not whose checks failed). */
const COMMIT_ATTEMPTS = 10;

interface Stored {
  readonly json: Uint8Array;
  readonly expiresAt: number | null;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * Wraps an open `Deno.Kv`; `now` is the clock expiry is judged by (default `Date.now`).
 *
 * @example
 * ```ts
 * import { createDenoKvRecordsStore } from "./deno-kv-records-store.ts";
 * const kv = await Deno.openKv(":memory:");
 * const records = createDenoKvRecordsStore(kv);
 * await records.commit([{ key: "mailbox:X26:1", version: null }], [
 *   { type: "set", key: "mailbox:X26:1", value: { status: "accepted" } },
 * ]);
 * kv.close();
 * ```
 */
export function createDenoKvRecordsStore(
  kv: Deno.Kv,
  options: { now?: () => number } = {},
): RecordsStore {
  const now = options.now ?? Date.now;
  const live = (entry: Deno.KvEntryMaybe<Stored>): entry is Deno.KvEntry<Stored> =>
    entry.value !== null && (entry.value.expiresAt === null || entry.value.expiresAt > now());
  const toRecord = <T>(key: string, entry: Deno.KvEntry<Stored>): StoredRecord<T> => ({
    key,
    value: JSON.parse(fromUtf8.decode(entry.value.json)) as T,
    version: entry.versionstamp,
    expiresAt: entry.value.expiresAt ?? undefined,
  });
  /** Reads `keys` in slices of ten; only one slice is a consistent snapshot by itself. */
  const readSlices = async (keys: readonly string[]) => {
    const entries: Array<Deno.KvEntryMaybe<Stored>> = [];
    for (let i = 0; i < keys.length; i += KV_GET_MANY_MAX) {
      const slice = keys.slice(i, i + KV_GET_MANY_MAX).map((key) => [ROOT, key]);
      entries.push(...await kv.getMany<Stored[]>(slice));
    }
    return entries;
  };
  /** A consistent read of any number of keys: slices, then an atomic check they all still hold. */
  const readConsistent = async (keys: readonly string[]) => {
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      const entries = await readSlices(keys);
      if (keys.length <= KV_GET_MANY_MAX) return entries;
      const unchanged = kv.atomic();
      for (const entry of entries) unchanged.check(entry);
      if ((await unchanged.commit()).ok) return entries;
    }
    throw new Error("Deno KV records: no consistent read under contention");
  };
  return {
    async get<T>(key: string): Promise<StoredRecord<T> | undefined> {
      assertRecordKey(key);
      const entry = await kv.get<Stored>([ROOT, key]);
      return live(entry) ? toRecord<T>(key, entry) : undefined;
    },
    async getMany<T>(keys: readonly string[]): Promise<Array<StoredRecord<T> | undefined>> {
      assertGetManyKeys(keys);
      const entries = await readConsistent(keys);
      return entries.map((entry, i) => live(entry) ? toRecord<T>(keys[i]!, entry) : undefined);
    },
    async commit(
      checks: readonly RecordCheck[],
      mutations: readonly RecordMutation[],
    ): Promise<boolean> {
      const encoded = prepareCommit(checks, mutations);
      const checked = [...new Set(checks.map((check) => check.key))];
      for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
        const entries = await readSlices(checked);
        const seen = new Map(checked.map((key, i) => [key, entries[i]!]));
        const holds = checks.every((check) => {
          const entry = seen.get(check.key)!;
          return (live(entry) ? entry.versionstamp : null) === check.version;
        });
        if (!holds) return false;
        const operation = kv.atomic();
        for (const entry of entries) operation.check(entry);
        for (const mutation of encoded) {
          if (mutation.type === "delete") {
            operation.delete([ROOT, mutation.key]);
            continue;
          }
          const expiresAt = mutation.expiresAt ?? null;
          const stored: Stored = { json: utf8.encode(mutation.json), expiresAt };
          // Deno KV wants whole, non-negative milliseconds; `expiresAt` is the exact expiry.
          const expireIn = expiresAt === null
            ? undefined
            : Math.max(1, Math.ceil(expiresAt - now()));
          operation.set([ROOT, mutation.key], stored, expireIn === undefined ? {} : { expireIn });
        }
        if ((await operation.commit()).ok) return true;
      }
      throw new Error("Deno KV records: commit kept meeting concurrent writes");
    },
    async list<T>(prefix: string, listOptions: ListOptions = {}): Promise<Array<StoredRecord<T>>> {
      const { after, limit, reverse = false } = listOptions;
      assertRecordKey(prefix);
      if (after !== undefined) assertRecordKey(after);
      assertListLimit(limit);
      const range = listRange(prefix, after, reverse);
      if (range === undefined || limit === 0) return [];
      const [lower, upper] = range;
      const selector = upper === undefined
        ? { prefix: [ROOT], start: [ROOT, lower] }
        : { start: [ROOT, lower], end: [ROOT, upper] };
      const batchSize = limit === undefined ? 100 : Math.min(limit + 1, 500);
      const result: Array<StoredRecord<T>> = [];
      for await (const entry of kv.list<Stored>(selector, { reverse, batchSize })) {
        const key = entry.key[1];
        if (typeof key !== "string" || key === after || !live(entry)) continue;
        result.push(toRecord<T>(key, entry));
        if (result.length === limit) break;
      }
      return result;
    },
  };
}
