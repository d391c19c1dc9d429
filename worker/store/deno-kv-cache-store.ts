/**
 * {@linkcode CacheStore} over Deno KV, the embedded default store (a SQLite file under the
 * data directory, or `:memory:`). Deno-only: imported by the Deno entry and tests, never by the
 * runtime-neutral core.
 *
 * Layout: each key `a:b:c` is stored at the Deno KV key `["gpc-edge", "a:b:c"]` with the value
 * `{ value, expiresAt }`. Expiry is checked on read as well as set with `expireIn`, because Deno
 * KV deletes expired entries lazily.
 *
 * @module
 */
import type { CacheStore, SetOptions } from "./cache-store.ts";

const ROOT = "gpc-edge";

interface Stored {
  readonly value: unknown;
  readonly expiresAt: number | null;
}

/**
 * Wraps an open `Deno.Kv`.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv(":memory:"); // on disk: "./data/gpc-edge.sqlite"
 * const store = createDenoKvCacheStore(kv);
 * await store.set("sds:B82617", { asid: "918999198738" }, { ttlSeconds: 900 });
 * kv.close();
 * ```
 */
export function createDenoKvCacheStore(
  kv: Deno.Kv,
  options: { now?: () => number } = {},
): CacheStore {
  const now = options.now ?? Date.now;
  const fresh = (stored: Stored | null): stored is Stored =>
    stored !== null && (stored.expiresAt === null || stored.expiresAt > now());
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const entry = await kv.get<Stored>([ROOT, key]);
      return fresh(entry.value) ? entry.value.value as T : undefined;
    },
    async set(key: string, value: unknown, setOptions: SetOptions = {}): Promise<void> {
      const ttl = setOptions.ttlSeconds;
      const stored: Stored = {
        value: JSON.parse(JSON.stringify(value)),
        expiresAt: ttl === undefined ? null : now() + ttl * 1000,
      };
      // Deno KV wants whole, non-negative milliseconds; the exact expiry is `expiresAt`.
      const expireIn = ttl === undefined ? undefined : Math.max(0, Math.ceil(ttl * 1000));
      await kv.set([ROOT, key], stored, expireIn === undefined ? undefined : { expireIn });
    },
    async delete(key: string): Promise<void> {
      await kv.delete([ROOT, key]);
    },
    async list<T>(prefix: string): Promise<Array<{ key: string; value: T }>> {
      const result: Array<{ key: string; value: T }> = [];
      // String keys sort by their UTF-8 bytes inside [ROOT], so the keys with `prefix` are one run
      // starting at [ROOT, prefix]. (An end bound of `${prefix}\uffff` would miss keys that go on
      // with U+FFFF or any character beyond the BMP.)
      for await (const entry of kv.list<Stored>({ prefix: [ROOT], start: [ROOT, prefix] })) {
        const key = entry.key[1];
        if (typeof key !== "string" || !key.startsWith(prefix)) break;
        if (fresh(entry.value)) result.push({ key, value: entry.value.value as T });
      }
      return result;
    },
  };
}
