/**
 * The `records` store: strongly consistent state with atomic compare-and-set over several keys and
 * ordered listing by prefix (ARCHITECTURE.md §3.3). For state that must never be lost, half
 * written or applied twice: MESH mailboxes and message state, rate-limit counters, token replay
 * caches. Adapters: memory (tests), Deno KV (`atomic()`), a Durable Object with SQLite storage on
 * Workers.
 *
 * Keys are strings, `:`-separated by convention and documented where they are made. Listing
 * orders keys by Unicode code point (which is UTF-8 byte order, Deno KV's and SQLite's), the same
 * on every adapter. Values are JSON. Every adapter enforces the same limits (record-rules.ts): a
 * key is at most 1 KiB, a value at most 63 KiB of JSON (bigger bodies go to the blob store), a
 * commit at most 100 checks and 500 mutations; breaking one throws {@linkcode RecordLimitError}
 * before anything is written.
 *
 * @module
 */
/** Most UTF-8 bytes in a key. */
export const MAX_RECORD_KEY_BYTES = 1024;
/** Most UTF-8 bytes in a value's JSON text (Deno KV's 64 KiB value limit, less a margin). */
export const MAX_RECORD_VALUE_BYTES = 63 * 1024;
/** Most keys in one {@linkcode RecordsStore.getMany}. */
export const MAX_GET_MANY_KEYS = 100;
/** Most checks in one commit. */
export const MAX_COMMIT_CHECKS = 100;
/** Most mutations in one commit. */
export const MAX_COMMIT_MUTATIONS = 500;
/** Most UTF-8 bytes of keys and value JSON over all mutations of one commit. */
export const MAX_COMMIT_BYTES = 768 * 1024;

/** A limit of the records store was exceeded (a programming error); nothing was written. */
export class RecordLimitError extends RangeError {
  /** An error saying which limit, in `message`. */
  constructor(message: string) {
    super(message);
    this.name = "RecordLimitError";
  }
}

/** One stored record with the version a later {@linkcode RecordsStore.commit} can check. */
export interface StoredRecord<T> {
  /** The record's key. */
  readonly key: string;
  /** The value as stored (a fresh copy: mutating it changes nothing in the store). */
  readonly value: T;
  /** Opaque version; changes on every write of this key. */
  readonly version: string;
  /** Milliseconds since the epoch after which the record reads as absent, if it expires. */
  readonly expiresAt: number | undefined;
}

/**
 * A precondition of a commit: the key is at `version`, or absent when `version` is `null`
 * (an expired record counts as absent).
 */
export interface RecordCheck {
  /** The record's key. */
  readonly key: string;
  /** The version it must be at, or `null` for absent. */
  readonly version: string | null;
}

/** A write in a commit. */
export type RecordMutation =
  | {
    readonly type: "set";
    readonly key: string;
    readonly value: unknown;
    /** Milliseconds since the epoch after which the record reads as absent. */
    readonly expiresAt?: number;
  }
  | { readonly type: "delete"; readonly key: string };

/** Options for {@linkcode RecordsStore.list}. */
export interface ListOptions {
  /** Only keys strictly after this one (for paging: pass the last key of the previous page). */
  readonly after?: string;
  /** At most this many records (default: all, bounded by the adapter's own page loop). */
  readonly limit?: number;
  /** Newest-first (descending key order). `after` then means strictly before. */
  readonly reverse?: boolean;
}

/**
 * Strongly consistent records with multi-key compare-and-set.
 *
 * @example
 * ```ts
 * import { createMemoryRecordsStore } from "./memory-records-store.ts";
 * const records = createMemoryRecordsStore();
 * const ok = await records.commit([{ key: "a", version: null }], [{ type: "set", key: "a", value: 1 }]);
 * ```
 */
export interface RecordsStore {
  /** The live record at `key`, or `undefined` when absent or expired. */
  get<T>(key: string): Promise<StoredRecord<T> | undefined>;
  /** The live records at `keys`, in the same order (`undefined` where absent), read consistently. */
  getMany<T>(keys: readonly string[]): Promise<Array<StoredRecord<T> | undefined>>;
  /**
   * Applies every mutation if and only if every check holds, atomically. Resolves `true` when
   * applied, `false` when a check failed (nothing written). Rejects only when the store failed,
   * in which case nothing was written either.
   */
  commit(checks: readonly RecordCheck[], mutations: readonly RecordMutation[]): Promise<boolean>;
  /** Live records whose key starts with `prefix`, in key order. */
  list<T>(prefix: string, options?: ListOptions): Promise<Array<StoredRecord<T>>>;
}
