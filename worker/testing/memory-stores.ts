/**
 * The three stores in memory, for tests that build the whole app. Test-only.
 *
 * @module
 */
import type { AppStores } from "../app-deps.ts";
import { createMemoryBlobStore } from "../store/memory-blob-store.ts";
import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";

/**
 * Fresh, empty memory stores; `now` is the clock expiry is judged by (default `Date.now`).
 *
 * @example
 * ```ts
 * const stores = memoryStores();
 * await stores.cache.set("k", 1);
 * ```
 */
export function memoryStores(options: { now?: () => number } = {}): AppStores {
  const clock = options.now ? { now: options.now } : {};
  return {
    cache: createMemoryCacheStore(clock),
    records: createMemoryRecordsStore(clock),
    blobs: createMemoryBlobStore(),
  };
}
