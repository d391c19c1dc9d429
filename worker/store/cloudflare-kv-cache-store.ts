/**
 * {@linkcode CacheStore} over a Cloudflare Workers KV namespace binding. Workers-only in
 * practice, but typed structurally so the core never imports Workers types.
 *
 * Cloudflare KV's own `expirationTtl` has a 60 s minimum, so the expiry time is also kept in the
 * stored JSON and checked on read.
 *
 * @module
 */
import type { CacheStore, SetOptions } from "./cache-store.ts";

/** The part of Cloudflare's `KVNamespace` this adapter uses. */
export interface KvNamespaceLike {
  /** The value under `key` as text, or `null`. */
  get(key: string, type: "text"): Promise<string | null>;
  /** Stores `value` under `key`, expiring after `expirationTtl` seconds if given. */
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  /** Removes `key`. */
  delete(key: string): Promise<void>;
  /** One page of the keys starting with `prefix`. */
  list(options: { prefix: string; cursor?: string }): Promise<{
    keys: Array<{ name: string }>;
    list_complete: boolean;
    cursor?: string;
  }>;
}

const MIN_CLOUDFLARE_TTL_SECONDS = 60;
const MAX_LIST_PAGES = 1000;

/**
 * Wraps a KV namespace binding.
 *
 * @example
 * ```ts
 * import { createCloudflareKvCacheStore, type KvNamespaceLike } from "./cloudflare-kv-cache-store.ts";
 * // In the Worker's fetch handler:
 * export const cacheFor = (env: { GPC_EDGE_KV: KvNamespaceLike }) =>
 *   createCloudflareKvCacheStore(env.GPC_EDGE_KV);
 * ```
 */
export function createCloudflareKvCacheStore(
  namespace: KvNamespaceLike,
  options: { now?: () => number } = {},
): CacheStore {
  const now = options.now ?? Date.now;
  const read = async <T>(key: string): Promise<T | undefined> => {
    const text = await namespace.get(key, "text");
    if (text === null) return undefined;
    const stored = JSON.parse(text) as { value: T; expiresAt: number | null };
    if (stored.expiresAt !== null && stored.expiresAt <= now()) return undefined;
    return stored.value;
  };
  return {
    get: read,
    async set(key: string, value: unknown, setOptions: SetOptions = {}): Promise<void> {
      const ttl = setOptions.ttlSeconds;
      const expiresAt = ttl === undefined ? null : now() + ttl * 1000;
      const putOptions = ttl === undefined
        ? {}
        : { expirationTtl: Math.max(MIN_CLOUDFLARE_TTL_SECONDS, Math.ceil(ttl)) };
      await namespace.put(key, JSON.stringify({ value, expiresAt }), putOptions);
    },
    async delete(key: string): Promise<void> {
      await namespace.delete(key);
    },
    async list<T>(prefix: string): Promise<Array<{ key: string; value: T }>> {
      const result: Array<{ key: string; value: T }> = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const listed = await namespace.list(cursor === undefined ? { prefix } : { prefix, cursor });
        for (const { name } of listed.keys) {
          const value = await read<T>(name);
          if (value !== undefined) result.push({ key: name, value });
        }
        if (listed.list_complete || listed.cursor === undefined) break;
        cursor = listed.cursor;
      }
      return result;
    },
  };
}
