/**
 * The `cache` store: a small key-value interface with per-entry expiry, for what may be stale
 * for a while and lost without harm (the directory cache; ARCHITECTURE.md §3.3). Eventual
 * consistency is fine here; state that must be exact belongs in the records store. Adapters:
 * memory (tests), Deno KV (the embedded default, a SQLite file) and Workers KV.
 *
 * @module
 */

/** Options for {@linkcode CacheStore.set}. */
export interface SetOptions {
  /** Time to live in seconds; the entry reads as absent after it. */
  readonly ttlSeconds?: number;
}

/**
 * A string-keyed store of JSON values. Keys are `:`-separated and documented where they are
 * made (e.g. the directory cache key schema). Values must survive `JSON.stringify`.
 */
export interface CacheStore {
  /** The value at `key`, or `undefined` when absent or expired. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` at `key`. */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** Removes `key`; absent keys are fine. */
  delete(key: string): Promise<void>;
  /** Every live key starting with `prefix`, with its value, in key order. */
  list<T>(prefix: string): Promise<Array<{ key: string; value: T }>>;
}
