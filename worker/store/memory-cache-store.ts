/**
 * In-memory {@linkcode CacheStore} for tests and benchmarks. Expiry follows the injected clock.
 *
 * @module
 */
import type { CacheStore, SetOptions } from "./cache-store.ts";

interface Entry {
  readonly json: string;
  readonly expiresAt: number | undefined;
}

/**
 * Creates a memory store. Values are stored as JSON text, so a caller cannot mutate what it
 * stored, just like with a real store.
 *
 * @example
 * ```ts
 * const store = createMemoryCacheStore();
 * await store.set("a", { b: 1 }, { ttlSeconds: 60 });
 * ```
 */
export function createMemoryCacheStore(options: { now?: () => number } = {}): CacheStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    get<T>(key: string): Promise<T | undefined> {
      const entry = live(key);
      return Promise.resolve(entry ? JSON.parse(entry.json) as T : undefined);
    },
    set(key: string, value: unknown, setOptions: SetOptions = {}): Promise<void> {
      const expiresAt = setOptions.ttlSeconds === undefined
        ? undefined
        : now() + setOptions.ttlSeconds * 1000;
      entries.set(key, { json: JSON.stringify(value), expiresAt });
      return Promise.resolve();
    },
    delete(key: string): Promise<void> {
      entries.delete(key);
      return Promise.resolve();
    },
    list<T>(prefix: string): Promise<Array<{ key: string; value: T }>> {
      const keys = [...entries.keys()].filter((key) => key.startsWith(prefix)).sort();
      const result: Array<{ key: string; value: T }> = [];
      for (const key of keys) {
        const entry = live(key);
        if (entry) result.push({ key, value: JSON.parse(entry.json) as T });
      }
      return Promise.resolve(result);
    },
  };
}
