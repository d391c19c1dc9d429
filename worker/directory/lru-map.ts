/**
 * A bounded least-recently-used map: the in-isolate tier of the directory cache.
 *
 * Why not `lru-cache`: its default ESM entry does `import("node:diagnostics_channel")`, which
 * the runtime-neutral core must not contain (a Worker without `nodejs_compat` cannot bundle it),
 * and its TTLs follow its own clock rather than the injected {@linkcode Clock}. The directory
 * only needs bounded size with recency; expiry lives in the entries themselves. A `Map` keeps
 * insertion order, so re-inserting on read is all the bookkeeping recency needs.
 *
 * @module
 */

/** A size-bounded map that evicts the least recently used key first. */
export interface LruMap<V> {
  /** The value at `key` (marking it most recently used), or `undefined`. */
  get(key: string): V | undefined;
  /** Stores `value` as most recently used, evicting the oldest entries past the bound. */
  set(key: string, value: V): void;
  /** Removes `key`; absent keys are fine. */
  delete(key: string): void;
  /** Number of entries held. */
  readonly size: number;
}

/**
 * Creates an LRU map holding at most `maxEntries` (at least 1) entries.
 *
 * @example
 * ```ts
 * const lru = createLruMap<number>(2);
 * lru.set("a", 1); lru.set("b", 2); lru.get("a"); lru.set("c", 3); // "b" is evicted
 * ```
 */
export function createLruMap<V>(maxEntries: number): LruMap<V> {
  const max = Math.max(1, Math.floor(maxEntries));
  const entries = new Map<string, V>();
  return {
    get(key) {
      if (!entries.has(key)) return undefined;
      const value = entries.get(key) as V;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > max) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
