/**
 * The directory cache (ARCHITECTURE.md §3.3): a read-through cache with an in-isolate LRU in
 * front of the KV store, TTLs, negative caching and de-duplication of concurrent misses.
 *
 * ## Key schema (version `v1`)
 *
 * | Key | Answer | TTL (config) |
 * |---|---|---|
 * | `gpc-edge:v1:pds:{nhsNumber}` | the requested NHS number's `PatientRegistration` | `cache.pdsTtlSeconds` |
 * | `gpc-edge:v1:sds:{odsCode}:{interactionId}` | the `ProviderEndpoint` for that practice *and* interaction | `cache.sdsTtlSeconds` |
 *
 * - Every dimension that changes the answer is in the key: GP Connect endpoints differ per
 *   capability, so one practice has one SDS entry per interaction (style lesson 10).
 * - The interaction ID (which contains `:`) is the last field and ODS codes are alphanumeric,
 *   so keys stay unambiguous. NHS numbers and ODS codes are validated before a key is made.
 * - A remembered "not found" (a `GpcEdgeError` with `cacheable: true`: unknown, invalidated,
 *   restricted or GP-less patient; no endpoint or Device) lives at the same key for
 *   `cache.negativeTtlSeconds`. Transient failures (PDS/SDS down, throttled, ambiguous data)
 *   are never stored.
 * - Values are {@linkcode DirectoryCacheEntry} JSON carrying their own `expiresAt` from the
 *   injected clock; it is checked on every read in both tiers, because KV TTLs are coarse
 *   (Cloudflare's minimum is 60 s). An entry copied from KV into the LRU keeps its `expiresAt`.
 * - Bump `v1` when an entry's shape changes; old entries then simply expire.
 *
 * The KV store is an optimisation, never a dependency: a failing `get` or `set` is logged and
 * the lookup goes on to the upstream.
 *
 * @module
 */
import type { Clock, Logger } from "../app-deps.ts";
import { GpcEdgeError } from "../errors.ts";
import { type GpConnectErrorCode, gpConnectErrorCodes } from "../../gpconnect/specs.ts";
import type { CacheStore } from "../store/cache-store.ts";
import type { CacheCounters, Cached } from "./directory-types.ts";
import { createLruMap } from "./lru-map.ts";

/** Prefix of every directory cache key. */
export const directoryCacheKeyPrefix = "gpc-edge:v1:";

/** The cache key of a PDS answer: `gpc-edge:v1:pds:{nhsNumber}`. */
export function pdsCacheKey(nhsNumber: string): string {
  return `${directoryCacheKeyPrefix}pds:${nhsNumber}`;
}

/** The cache key of an SDS answer: `gpc-edge:v1:sds:{odsCode}:{interactionId}`. */
export function sdsCacheKey(odsCode: string, interactionId: string): string {
  return `${directoryCacheKeyPrefix}sds:${odsCode}:${interactionId}`;
}

/** A remembered GP Connect error: enough to throw an equivalent `GpcEdgeError` again. */
export interface NegativeAnswer {
  readonly status: number;
  readonly code: string;
  readonly issueCode: string;
  readonly display: string;
  readonly diagnostics?: string;
}

/** What the cache stores at a key, in both tiers. */
export type DirectoryCacheEntry<T> =
  | { readonly kind: "value"; readonly value: T; readonly expiresAt: number }
  | { readonly kind: "negative"; readonly error: NegativeAnswer; readonly expiresAt: number };

/** Options of one {@linkcode DirectoryCache.lookup}. */
export interface CacheLookupOptions {
  /** TTL of a stored answer. 0 stores nothing. */
  readonly ttlSeconds: number;
  /** TTL of a stored cacheable error. 0 stores nothing. */
  readonly negativeTtlSeconds: number;
  /** Skip reading both tiers (the fresh answer is still stored), as `Cache-Control: no-cache`. */
  readonly bypassCache?: boolean | undefined;
  /** Runs the KV write off the critical path (Workers `waitUntil`); awaited when absent. */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/** The read-through directory cache. */
export interface DirectoryCache {
  /**
   * The answer at `key`: from the LRU, else the KV store, else `load()` (whose answer, or
   * cacheable `GpcEdgeError`, is stored in both tiers). Updates `counters`.
   */
  lookup<T>(
    key: string,
    options: CacheLookupOptions,
    load: () => Promise<T>,
    counters: CacheCounters,
  ): Promise<Cached<T>>;
  /** Entries in the in-isolate LRU. */
  readonly lruSize: number;
}

/** What {@linkcode createDirectoryCache} needs. */
export interface DirectoryCacheOptions {
  /** The KV store (shared between isolates/processes). */
  readonly store: CacheStore;
  /** Clock for `expiresAt`. */
  readonly clock: Clock;
  /** Bound of the in-isolate LRU. */
  readonly lruMaxEntries: number;
  /** Where KV failures are reported. */
  readonly logger?: Logger | undefined;
}

/**
 * Creates a directory cache. State (LRU, in-flight loads) belongs to the instance: one per app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { systemClock } from "../app-deps.ts";
 * import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
 * const cache = createDirectoryCache({
 *   store: createMemoryCacheStore(),
 *   clock: systemClock,
 *   lruMaxEntries: 10_000,
 * });
 * const counters = { memoryHits: 0, kvHits: 0, misses: 0, negativeHits: 0, upstreamErrors: 0 };
 * const load = () => Promise.resolve({ odsCode: "A20047" });
 * const options = { ttlSeconds: 300, negativeTtlSeconds: 30 };
 * const first = await cache.lookup(pdsCacheKey("9990000204"), options, load, counters);
 * const again = await cache.lookup(pdsCacheKey("9990000204"), options, load, counters);
 * assert.deepEqual([first.source, again.source], ["upstream", "memory"]);
 * ```
 */
export function createDirectoryCache(options: DirectoryCacheOptions): DirectoryCache {
  const { store, clock, logger } = options;
  const lru = createLruMap<DirectoryCacheEntry<unknown>>(options.lruMaxEntries);
  const inFlight = new Map<string, Promise<unknown>>();

  const report = (operation: "get" | "set", key: string, error: unknown) => {
    logger?.log({
      event: "directory.cache.kv_error",
      operation,
      // The kind only: keys hold NHS numbers, which stay out of logs.
      kind: key.slice(directoryCacheKeyPrefix.length).split(":")[0],
      error: error instanceof Error ? error.message : String(error),
    });
  };

  const live = (entry: DirectoryCacheEntry<unknown> | undefined) =>
    entry !== undefined && entry.expiresAt > clock.now() ? entry : undefined;

  const readKv = async (key: string): Promise<DirectoryCacheEntry<unknown> | undefined> => {
    try {
      const entry = await store.get<unknown>(key);
      return isEntry(entry) ? live(entry) : undefined;
    } catch (error) {
      report("get", key, error);
      return undefined;
    }
  };

  const write = async (
    key: string,
    entry: DirectoryCacheEntry<unknown>,
    ttlSeconds: number,
    waitUntil: CacheLookupOptions["waitUntil"],
  ) => {
    if (ttlSeconds <= 0) return;
    lru.set(key, entry);
    const kvWrite = (async () => {
      try {
        await store.set(key, entry, { ttlSeconds });
      } catch (error) {
        report("set", key, error);
      }
    })();
    if (waitUntil) waitUntil(kvWrite);
    else await kvWrite;
  };

  const fill = <T>(
    key: string,
    options: CacheLookupOptions,
    load: () => Promise<T>,
    counters: CacheCounters,
  ): Promise<T> => {
    const pending = inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const promise = (async () => {
      let value: T;
      try {
        value = await load();
      } catch (error) {
        const negative = negativeAnswer(error);
        if (negative) {
          const entry = {
            kind: "negative",
            error: negative,
            expiresAt: clock.now() + options.negativeTtlSeconds * 1000,
          } as const;
          await write(key, entry, options.negativeTtlSeconds, options.waitUntil);
        } else {
          counters.upstreamErrors++;
        }
        throw error;
      }
      const entry = {
        kind: "value",
        value,
        expiresAt: clock.now() + options.ttlSeconds * 1000,
      } as const;
      await write(key, entry, options.ttlSeconds, options.waitUntil);
      return value;
    })();
    inFlight.set(key, promise);
    const forget = () => {
      inFlight.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  };

  return {
    async lookup<T>(
      key: string,
      lookupOptions: CacheLookupOptions,
      load: () => Promise<T>,
      counters: CacheCounters,
    ): Promise<Cached<T>> {
      if (!lookupOptions.bypassCache) {
        const memory = lru.get(key);
        if (memory) {
          if (live(memory)) return answer<T>(memory, "memory", counters);
          lru.delete(key);
        }
        const kv = await readKv(key);
        if (kv) {
          lru.set(key, kv);
          return answer<T>(kv, "kv", counters);
        }
      }
      counters.misses++;
      return { value: await fill(key, lookupOptions, load, counters), source: "upstream" };
    },
    get lruSize() {
      return lru.size;
    },
  };
}

/** A stored entry as an answer: the value, or the remembered error thrown again. */
function answer<T>(
  entry: DirectoryCacheEntry<unknown>,
  source: "memory" | "kv",
  counters: CacheCounters,
): Cached<T> {
  if (entry.kind === "negative") {
    counters.negativeHits++;
    throw rebuild(entry.error);
  }
  if (source === "memory") counters.memoryHits++;
  else counters.kvHits++;
  return { value: entry.value as T, source };
}

/** The storable form of a cacheable GP Connect error, or `undefined` for anything else. */
function negativeAnswer(error: unknown): NegativeAnswer | undefined {
  if (!(error instanceof GpcEdgeError) || !error.cacheable || error.audience !== "gpconnect") {
    return undefined;
  }
  if (!Object.hasOwn(gpConnectErrorCodes, error.code)) return undefined;
  return {
    status: error.status,
    code: error.code,
    issueCode: error.issueCode,
    display: error.display,
    ...(error.diagnostics === undefined ? {} : { diagnostics: error.diagnostics }),
  };
}

function rebuild(negative: NegativeAnswer): GpcEdgeError {
  return GpcEdgeError.gpconnect(negative.code as GpConnectErrorCode, {
    status: negative.status,
    issueCode: negative.issueCode,
    cacheable: true,
    ...(negative.diagnostics === undefined ? {} : { diagnostics: negative.diagnostics }),
  });
}

/** Whether a KV value is a well-formed entry (anything else, e.g. an old shape, is a miss). */
function isEntry(value: unknown): value is DirectoryCacheEntry<unknown> {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  if (typeof entry.expiresAt !== "number") return false;
  if (entry.kind === "value") return "value" in entry;
  if (entry.kind !== "negative") return false;
  const error = entry.error as Record<string, unknown> | null | undefined;
  return typeof error === "object" && error !== null && typeof error.code === "string" &&
    Object.hasOwn(gpConnectErrorCodes, error.code) && typeof error.status === "number" &&
    typeof error.issueCode === "string";
}
