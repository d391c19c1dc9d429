/**
 * The cached directory service: PDS and SDS clients behind the directory cache, with hit/miss
 * counters per kind. This is what `createApp` builds once and the SSP and the directory API use;
 * the MESH service's GPPROVIDER routing uses its `demographics`.
 *
 * ## Demographics cache policy (personal data)
 *
 * `demographics(nhsNumber)` answers date of birth, family names and GP practice: personal data
 * that routing needs for one decision per message. It is cached **in the isolate only**, for
 * {@linkcode defaultDemographicsTtlSeconds} (60 s) in an LRU of at most
 * {@linkcode demographicsLruMaxEntries} entries, and **never written to the KV store**:
 * - the KV store is shared and durable (a SQLite file on Deno, Workers KV replicated to every
 *   edge location), so data put there outlives its purpose and escapes the process that needed
 *   it (UK GDPR storage limitation; PDS documents no cache lifetime for demographics);
 * - a minute is enough for what a cache buys routing (a burst of messages for one patient, a
 *   retried send) and short enough that a change of GP, a new surname or a death is seen at once;
 * - a "not found" is remembered for the shorter of that and the negative TTL.
 * The registration cache (`lookupPatient`) keeps only the ODS code and is unchanged.
 *
 * @module
 */
import type { Clock, Logger, UpstreamFetch } from "../app-deps.ts";
import type { DirectoryConfig } from "../config.ts";
import type { CacheStore } from "../store/cache-store.ts";
import { createDirectoryCache, pdsCacheKey, sdsCacheKey } from "./directory-cache.ts";
import type { CacheCounters, DemographicsResolver, DirectoryResolver } from "./directory-types.ts";
import { assertValidNhsNumber, createPdsClient } from "./pds-client.ts";
import { assertValidSdsKey, createSdsClient } from "./sds-client.ts";

/** What {@linkcode createDirectoryResolver} needs: the `createApp` seams it uses. */
export interface DirectoryResolverDeps {
  /** PDS/SDS URLs and credentials, timeouts, retries, cache TTLs and LRU size. */
  readonly config: DirectoryConfig;
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
  /** In-isolate TTL of demographics (default {@linkcode defaultDemographicsTtlSeconds}; 0: none). */
  readonly demographicsTtlSeconds?: number | undefined;
}

/** How long demographics stay in the isolate's memory (see the module's cache policy). */
export const defaultDemographicsTtlSeconds = 60;

/** Bound of the in-isolate demographics LRU. */
export const demographicsLruMaxEntries = 1000;

/** A store that keeps nothing: demographics then live only in the isolate's LRU. */
const keepsNothing: CacheStore = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(),
  list: () => Promise.resolve([]),
};

/** The cache key of a patient's demographics (in-isolate only). */
export function demographicsCacheKey(nhsNumber: string): string {
  return `gpc-edge:v1:pds-demographics:${nhsNumber}`;
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
 * import assert from "node:assert/strict";
 * import { createMemoryCacheStore } from "../store/memory-cache-store.ts";
 * // PDS and SDS: the sandbox apps, in-process (deployments use `config: defaultConfig.directory`
 * // or `configFromEnv(…).directory`, and the global `fetch`).
 * import {
 *   directorySandboxes,
 *   fakeClock,
 *   structured,
 *   testConfig,
 * } from "../testing/directory-sandboxes.ts";
 * const directory = createDirectoryResolver({
 *   config: testConfig(),
 *   store: createMemoryCacheStore(),
 *   fetch: directorySandboxes().fetch,
 *   clock: fakeClock(),
 *   randomUUID: () => crypto.randomUUID(),
 * });
 * const patient = await directory.lookupPatient("9990000204");
 * const endpoint = await directory.lookupEndpoint(patient.value.odsCode, structured);
 * assert.equal(patient.value.odsCode, "A20047");
 * assert.match(endpoint.value.address, /^https:\/\//);
 * ```
 */
export function createDirectoryResolver(
  deps: DirectoryResolverDeps,
): DirectoryResolver & DemographicsResolver {
  const { config, clock } = deps;
  const pds = createPdsClient({
    baseUrl: config.pdsBaseUrl,
    accessToken: config.pdsAccessToken,
    fetch: deps.fetch,
    clock,
    timeoutMs: config.timeoutMs,
    maxRetries: config.pdsMaxRetries,
    maxRetryAfterSeconds: config.maxRetryAfterSeconds,
    randomUUID: deps.randomUUID,
  });
  const sds = createSdsClient({
    baseUrl: config.sdsBaseUrl,
    apiKey: config.sdsApiKey,
    fetch: deps.fetch,
    timeoutMs: config.timeoutMs,
    randomUUID: deps.randomUUID,
  });
  const cache = createDirectoryCache({
    store: deps.store,
    clock,
    lruMaxEntries: config.cache.lruMaxEntries,
    logger: deps.logger,
  });
  const counters = { pds: zeroCounters(), sds: zeroCounters() };
  const demographicsCache = createDirectoryCache({
    store: keepsNothing,
    clock,
    lruMaxEntries: demographicsLruMaxEntries,
    logger: deps.logger,
  });
  const demographicsTtl = deps.demographicsTtlSeconds ?? defaultDemographicsTtlSeconds;
  const demographicsCounters = zeroCounters();

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
    demographics(nhsNumber, options = {}) {
      try {
        assertValidNhsNumber(nhsNumber);
      } catch (error) {
        return Promise.reject(error);
      }
      return demographicsCache.lookup(
        demographicsCacheKey(nhsNumber),
        {
          ttlSeconds: demographicsTtl,
          negativeTtlSeconds: Math.min(demographicsTtl, config.cache.negativeTtlSeconds),
          bypassCache: options.bypassCache,
        },
        () => pds.getDemographics(nhsNumber, options.requestId),
        demographicsCounters,
      );
    },
    stats() {
      return { pds: { ...counters.pds }, sds: { ...counters.sds }, lruSize: cache.lruSize };
    },
  };
}
