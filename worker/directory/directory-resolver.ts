/**
 * The cached directory service: PDS and SDS clients behind the directory cache, with hit/miss
 * counters per kind. This is what `createApp` builds once and the SSP and the directory API use.
 *
 * @module
 */
import type { Clock, Logger, UpstreamFetch } from "../app-deps.ts";
import type { GpcEdgeConfig } from "../config.ts";
import type { CacheStore } from "../store/cache-store.ts";
import { createDirectoryCache, pdsCacheKey, sdsCacheKey } from "./directory-cache.ts";
import type { CacheCounters, DirectoryResolver } from "./directory-types.ts";
import { assertValidNhsNumber, createPdsClient } from "./pds-client.ts";
import { assertValidSdsKey, createSdsClient } from "./sds-client.ts";

/** What {@linkcode createDirectoryResolver} needs: the `createApp` seams it uses. */
export interface DirectoryResolverDeps {
  /** PDS/SDS URLs and credentials, timeouts, retries, cache TTLs and LRU size. */
  readonly config: GpcEdgeConfig;
  /** The KV store behind the LRU. */
  readonly store: CacheStore;
  /** Upstream fetch for PDS and SDS. */
  readonly fetch: UpstreamFetch;
  /** Clock for TTLs, GP registration dates and retry sleeps. */
  readonly clock: Clock;
  /** UUID generator for `X-Request-ID` / `X-Correlation-Id` when the caller gives none. */
  readonly randomUUID: () => string;
  /** Where cache failures are reported. */
  readonly logger?: Logger | undefined;
}

const zeroCounters = (): CacheCounters => ({
  memoryHits: 0,
  kvHits: 0,
  misses: 0,
  negativeHits: 0,
  upstreamErrors: 0,
});

/**
 * Creates the directory resolver. Inputs are validated before the cache is consulted, so an
 * invalid NHS number or ODS code never reaches a cache key or an upstream.
 *
 * @example
 * ```ts
 * const directory = createDirectoryResolver({
 *   config: defaultConfig, store: createMemoryCacheStore(), fetch, clock: systemClock,
 *   randomUUID: () => crypto.randomUUID(),
 * });
 * const patient = await directory.lookupPatient("9693632109");
 * const endpoint = await directory.lookupEndpoint(patient.value.odsCode, interactionId);
 * ```
 */
export function createDirectoryResolver(deps: DirectoryResolverDeps): DirectoryResolver {
  const { config, clock } = deps;
  const pds = createPdsClient({
    baseUrl: config.pdsBaseUrl,
    accessToken: config.pdsAccessToken,
    fetch: deps.fetch,
    clock,
    timeoutMs: config.directoryTimeoutMs,
    maxRetries: config.pdsMaxRetries,
    maxRetryAfterSeconds: config.maxRetryAfterSeconds,
    randomUUID: deps.randomUUID,
  });
  const sds = createSdsClient({
    baseUrl: config.sdsBaseUrl,
    apiKey: config.sdsApiKey,
    fetch: deps.fetch,
    timeoutMs: config.directoryTimeoutMs,
    randomUUID: deps.randomUUID,
  });
  const cache = createDirectoryCache({
    store: deps.store,
    clock,
    lruMaxEntries: config.cache.lruMaxEntries,
    logger: deps.logger,
  });
  const counters = { pds: zeroCounters(), sds: zeroCounters() };

  return {
    lookupPatient(nhsNumber, options = {}) {
      try {
        assertValidNhsNumber(nhsNumber);
      } catch (error) {
        return Promise.reject(error);
      }
      return cache.lookup(
        pdsCacheKey(nhsNumber),
        {
          ttlSeconds: config.cache.pdsTtlSeconds,
          negativeTtlSeconds: config.cache.negativeTtlSeconds,
          bypassCache: options.bypassCache,
          waitUntil: options.waitUntil,
        },
        () => pds.getRegistration(nhsNumber, options.requestId),
        counters.pds,
      );
    },
    lookupEndpoint(odsCode, interactionId, options = {}) {
      try {
        assertValidSdsKey(odsCode, interactionId);
      } catch (error) {
        return Promise.reject(error);
      }
      return cache.lookup(
        sdsCacheKey(odsCode, interactionId),
        {
          ttlSeconds: config.cache.sdsTtlSeconds,
          negativeTtlSeconds: config.cache.negativeTtlSeconds,
          bypassCache: options.bypassCache,
          waitUntil: options.waitUntil,
        },
        () => sds.getEndpoint(odsCode, interactionId, options.requestId),
        counters.sds,
      );
    },
    stats() {
      return { pds: { ...counters.pds }, sds: { ...counters.sds }, lruSize: cache.lruSize };
    },
  };
}
