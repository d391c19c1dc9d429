/**
 * The `directory` section: where PDS and SDS are, their credentials, timeouts and retries, and the
 * cache in front of them (TTLs justified in the README; specs/decisions.md D1).
 *
 * @module
 */
import {
  type ConfigEnv,
  type ConfigVariable,
  httpUrl,
  integerIn,
  readVariable,
  text,
} from "./config-variable.ts";

/** Directory cache settings. */
export interface DirectoryCacheConfig {
  /** Entries kept in the in-isolate LRU in front of the cache store. */
  readonly lruMaxEntries: number;
  /** TTL of a PDS answer (NHS number → registered practice). */
  readonly pdsTtlSeconds: number;
  /** TTL of an SDS answer ((ODS code, interaction) → endpoint, party key, ASID). */
  readonly sdsTtlSeconds: number;
  /** TTL of a remembered "not found" from PDS or SDS. */
  readonly negativeTtlSeconds: number;
}

/** PDS and SDS, and the cache in front of them. */
export interface DirectoryConfig {
  /** PDS FHIR R4 base URL (`GET {pds}/Patient/{nhs}`). */
  readonly pdsBaseUrl: string;
  /** Bearer token for PDS, if the PDS needs one (never logged). */
  readonly pdsAccessToken: string | undefined;
  /** SDS FHIR base URL (`GET {sds}/Endpoint`, `GET {sds}/Device`). */
  readonly sdsBaseUrl: string;
  /** SDS `apikey` header value, if the SDS needs one (never logged). */
  readonly sdsApiKey: string | undefined;
  /** Timeout for each PDS or SDS call, in milliseconds. */
  readonly timeoutMs: number;
  /** Retries of a PDS 429/503 whose `Retry-After` is within `maxRetryAfterSeconds`. */
  readonly pdsMaxRetries: number;
  /** The longest `Retry-After` gpc-edge waits out itself; longer ones go back to the caller. */
  readonly maxRetryAfterSeconds: number;
  /** Cache settings. */
  readonly cache: DirectoryCacheConfig;
}

/** Defaults: the local sandboxes of ARCHITECTURE.md §4. */
export const defaultDirectoryConfig: DirectoryConfig = {
  pdsBaseUrl: "http://127.0.0.1:8081",
  pdsAccessToken: undefined,
  sdsBaseUrl: "http://127.0.0.1:8082",
  sdsApiKey: undefined,
  timeoutMs: 10_000,
  pdsMaxRetries: 2,
  maxRetryAfterSeconds: 5,
  cache: {
    lruMaxEntries: 10_000,
    pdsTtlSeconds: 300,
    sdsTtlSeconds: 900,
    negativeTtlSeconds: 30,
  },
};

/** The variables of the `directory` section. */
export const directoryVariables = {
  pdsBaseUrl: {
    name: "GPC_EDGE_PDS_URL",
    description: "PDS FHIR R4 base URL",
    parse: httpUrl,
  },
  pdsAccessToken: {
    name: "GPC_EDGE_PDS_TOKEN",
    description: "bearer token for PDS (secret)",
    secret: true,
    parse: text,
  },
  sdsBaseUrl: {
    name: "GPC_EDGE_SDS_URL",
    description: "SDS FHIR base URL",
    parse: httpUrl,
  },
  sdsApiKey: {
    name: "GPC_EDGE_SDS_API_KEY",
    description: "SDS apikey (secret)",
    secret: true,
    parse: text,
  },
  timeoutMs: {
    name: "GPC_EDGE_DIRECTORY_TIMEOUT_MS",
    description: "timeout of each PDS or SDS call, in ms",
    parse: integerIn(1),
  },
  pdsMaxRetries: {
    name: "GPC_EDGE_PDS_MAX_RETRIES",
    description: "retries of a throttled PDS call",
    parse: integerIn(0),
  },
  maxRetryAfterSeconds: {
    name: "GPC_EDGE_MAX_RETRY_AFTER_SECONDS",
    description: "longest Retry-After waited out, in s",
    parse: integerIn(0),
  },
  lruMaxEntries: {
    name: "GPC_EDGE_LRU_MAX_ENTRIES",
    description: "entries in the in-isolate LRU",
    parse: integerIn(1),
  },
  pdsTtlSeconds: {
    name: "GPC_EDGE_PDS_TTL_SECONDS",
    description: "TTL of a PDS answer, in s",
    parse: integerIn(0),
  },
  sdsTtlSeconds: {
    name: "GPC_EDGE_SDS_TTL_SECONDS",
    description: "TTL of an SDS answer, in s",
    parse: integerIn(0),
  },
  negativeTtlSeconds: {
    name: "GPC_EDGE_NEGATIVE_TTL_SECONDS",
    description: "TTL of a remembered not-found, in s",
    parse: integerIn(0),
  },
} as const satisfies Record<string, ConfigVariable<string | number>>;

/**
 * The `directory` section from environment-style variables over
 * {@linkcode defaultDirectoryConfig}; throws a `ConfigError` naming the first invalid variable.
 *
 * @example
 * ```ts
 * directoryConfigFromEnv({ GPC_EDGE_PDS_URL: "http://127.0.0.1:9001/" }).pdsBaseUrl; // "http://127.0.0.1:9001"
 * ```
 */
export function directoryConfigFromEnv(env: ConfigEnv): DirectoryConfig {
  const d = defaultDirectoryConfig;
  const v = directoryVariables;
  return {
    pdsBaseUrl: readVariable(env, v.pdsBaseUrl, d.pdsBaseUrl),
    pdsAccessToken: readVariable<string | undefined>(env, v.pdsAccessToken, d.pdsAccessToken),
    sdsBaseUrl: readVariable(env, v.sdsBaseUrl, d.sdsBaseUrl),
    sdsApiKey: readVariable<string | undefined>(env, v.sdsApiKey, d.sdsApiKey),
    timeoutMs: readVariable(env, v.timeoutMs, d.timeoutMs),
    pdsMaxRetries: readVariable(env, v.pdsMaxRetries, d.pdsMaxRetries),
    maxRetryAfterSeconds: readVariable(env, v.maxRetryAfterSeconds, d.maxRetryAfterSeconds),
    cache: {
      lruMaxEntries: readVariable(env, v.lruMaxEntries, d.cache.lruMaxEntries),
      pdsTtlSeconds: readVariable(env, v.pdsTtlSeconds, d.cache.pdsTtlSeconds),
      sdsTtlSeconds: readVariable(env, v.sdsTtlSeconds, d.cache.sdsTtlSeconds),
      negativeTtlSeconds: readVariable(env, v.negativeTtlSeconds, d.cache.negativeTtlSeconds),
    },
  };
}
