/**
 * gpc-edge configuration: one typed object, defaults for the local world of ARCHITECTURE.md §4,
 * and a parser from environment-style variables (`Deno.env` on Deno, `vars` on Cloudflare).
 *
 * @module
 */
import sspAuthorisationDefaults from "../specs/ssp-authorisation.json" with { type: "json" };

/** How JWT findings are handled: `log` (the SSP's behaviour) or `enforce` (reject). */
export type JwtMode = "log" | "enforce";

/** SSP authorisation tables (reference gpconnect-ssp.md §1.3 checks 2 and 4). */
export interface SspAuthorisation {
  /** Sender ASID → interaction IDs it is accredited for (`*` = all). */
  readonly accreditedSenders: Readonly<Record<string, readonly string[]>>;
  /** Sender ASID → receiver ASIDs it has a data-sharing agreement with (`*` = any). */
  readonly agreements: Readonly<Record<string, readonly string[]>>;
}

/** Directory cache settings. */
export interface DirectoryCacheConfig {
  /** Entries kept in the in-isolate LRU in front of the KV store. */
  readonly lruMaxEntries: number;
  /** TTL of a PDS answer (NHS number → registered practice). */
  readonly pdsTtlSeconds: number;
  /** TTL of an SDS answer ((ODS code, interaction) → endpoint, party key, ASID). */
  readonly sdsTtlSeconds: number;
  /** TTL of a remembered "not found" from PDS or SDS. */
  readonly negativeTtlSeconds: number;
}

/** Everything gpc-edge's worker can be told. */
export interface GpcEdgeConfig {
  /** PDS FHIR R4 base URL (`GET {pds}/Patient/{nhs}`). */
  readonly pdsBaseUrl: string;
  /** Bearer token for PDS, if the PDS needs one (never logged). */
  readonly pdsAccessToken: string | undefined;
  /** SDS FHIR base URL (`GET {sds}/Endpoint`, `GET {sds}/Device`). */
  readonly sdsBaseUrl: string;
  /** SDS `apikey` header value, if the SDS needs one (never logged). */
  readonly sdsApiKey: string | undefined;
  /** Timeout for each PDS or SDS call, in milliseconds. */
  readonly directoryTimeoutMs: number;
  /** Retries of a PDS 429/503 whose `Retry-After` is within `maxRetryAfterSeconds`. */
  readonly pdsMaxRetries: number;
  /** The longest `Retry-After` gpc-edge waits out itself; longer ones go back to the caller. */
  readonly maxRetryAfterSeconds: number;
  /** Directory cache settings. */
  readonly cache: DirectoryCacheConfig;
  /** JWT handling mode. */
  readonly jwtMode: JwtMode;
  /** Clock leeway for JWT expiry, in seconds. */
  readonly jwtLeewaySeconds: number;
  /** Timeout for a forwarded provider call (→ 504), in milliseconds. */
  readonly upstreamTimeoutMs: number;
  /** HTTP methods the SSP forwards; others → 405. */
  readonly allowedMethods: readonly string[];
  /** SSP authorisation tables. */
  readonly sspAuthorisation: SspAuthorisation;
}

/** Defaults: the local world of ARCHITECTURE.md §4, TTLs justified in the README. */
export const defaultConfig: GpcEdgeConfig = {
  pdsBaseUrl: "http://127.0.0.1:8081",
  pdsAccessToken: undefined,
  sdsBaseUrl: "http://127.0.0.1:8082",
  sdsApiKey: undefined,
  directoryTimeoutMs: 10_000,
  pdsMaxRetries: 2,
  maxRetryAfterSeconds: 5,
  cache: {
    lruMaxEntries: 10_000,
    pdsTtlSeconds: 300,
    sdsTtlSeconds: 900,
    negativeTtlSeconds: 30,
  },
  jwtMode: "log",
  jwtLeewaySeconds: 5,
  upstreamTimeoutMs: 30_000,
  allowedMethods: ["GET", "POST", "PUT"],
  sspAuthorisation: {
    accreditedSenders: sspAuthorisationDefaults.accreditedSenders,
    agreements: sspAuthorisationDefaults.agreements,
  },
};

/** Environment variables {@linkcode configFromEnv} reads, with what each sets. */
export const configEnvironmentVariables: Readonly<Record<string, string>> = {
  GPC_EDGE_PDS_URL: "pdsBaseUrl",
  GPC_EDGE_PDS_TOKEN: "pdsAccessToken",
  GPC_EDGE_SDS_URL: "sdsBaseUrl",
  GPC_EDGE_SDS_API_KEY: "sdsApiKey",
  GPC_EDGE_DIRECTORY_TIMEOUT_MS: "directoryTimeoutMs",
  GPC_EDGE_PDS_MAX_RETRIES: "pdsMaxRetries",
  GPC_EDGE_MAX_RETRY_AFTER_SECONDS: "maxRetryAfterSeconds",
  GPC_EDGE_LRU_MAX_ENTRIES: "cache.lruMaxEntries",
  GPC_EDGE_PDS_TTL_SECONDS: "cache.pdsTtlSeconds",
  GPC_EDGE_SDS_TTL_SECONDS: "cache.sdsTtlSeconds",
  GPC_EDGE_NEGATIVE_TTL_SECONDS: "cache.negativeTtlSeconds",
  GPC_EDGE_JWT_MODE: "jwtMode (log | enforce)",
  GPC_EDGE_JWT_LEEWAY_SECONDS: "jwtLeewaySeconds",
  GPC_EDGE_UPSTREAM_TIMEOUT_MS: "upstreamTimeoutMs",
  GPC_EDGE_ALLOWED_METHODS: "allowedMethods (comma-separated)",
  GPC_EDGE_SSP_AUTHORISATION: "sspAuthorisation (JSON: { accreditedSenders, agreements })",
};

function integer(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
): number {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  // Decimal digits only: `Number()` would also take " " (as 0), "0x10", "1e3" and "2.0".
  const value = /^\s*[0-9]+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(
      `Invalid ${name}: expected an integer >= ${min}, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function url(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: string,
): string {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  // `URL.canParse` alone accepts "localhost:8081" (scheme "localhost:"), which fails only later.
  const protocol = URL.canParse(text) ? new URL(text).protocol : undefined;
  if (protocol !== "http:" && protocol !== "https:") {
    throw new TypeError(`Invalid ${name}: not an http(s) URL: ${JSON.stringify(text)}`);
  }
  return text.replace(/\/+$/, "");
}

function authorisation(text: string | undefined): SspAuthorisation {
  if (text === undefined || text === "") return defaultConfig.sspAuthorisation;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SyntaxError("Invalid GPC_EDGE_SSP_AUTHORISATION: not JSON", { cause });
  }
  const table = parsed as Partial<SspAuthorisation> | null;
  const isTable = (value: unknown): value is Record<string, string[]> =>
    typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((s) => typeof s === "string"));
  if (!table || !isTable(table.accreditedSenders) || !isTable(table.agreements)) {
    throw new TypeError(
      "Invalid GPC_EDGE_SSP_AUTHORISATION: expected { accreditedSenders: { asid: [interaction…] }, agreements: { asid: [asid…] } }",
    );
  }
  return { accreditedSenders: table.accreditedSenders, agreements: table.agreements };
}

function methodList(text: string | undefined): readonly string[] {
  if (text === undefined || text === "") return defaultConfig.allowedMethods;
  const methods = text.split(",").map((m) => m.trim().toUpperCase()).filter((m) => m !== "");
  // An empty list would answer every SSP request 405; a non-token can never match a method.
  if (methods.length === 0 || methods.some((m) => !/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(m))) {
    throw new TypeError(
      `Invalid GPC_EDGE_ALLOWED_METHODS: expected comma-separated HTTP methods, got ${
        JSON.stringify(text)
      }`,
    );
  }
  return [...new Set(methods)];
}

/**
 * Builds a configuration from environment-style variables over {@linkcode defaultConfig}.
 * Throws a `TypeError`/`RangeError` naming the variable when a value is invalid.
 *
 * @example
 * ```ts
 * const config = configFromEnv({ GPC_EDGE_JWT_MODE: "enforce" });
 * ```
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): GpcEdgeConfig {
  // Empty means unset, as for every other variable.
  const jwtMode = env.GPC_EDGE_JWT_MODE || defaultConfig.jwtMode;
  if (jwtMode !== "log" && jwtMode !== "enforce") {
    throw new TypeError(
      `Invalid GPC_EDGE_JWT_MODE: expected "log" or "enforce", got ${JSON.stringify(jwtMode)}`,
    );
  }
  return {
    pdsBaseUrl: url(env, "GPC_EDGE_PDS_URL", defaultConfig.pdsBaseUrl),
    pdsAccessToken: env.GPC_EDGE_PDS_TOKEN || undefined,
    sdsBaseUrl: url(env, "GPC_EDGE_SDS_URL", defaultConfig.sdsBaseUrl),
    sdsApiKey: env.GPC_EDGE_SDS_API_KEY || undefined,
    directoryTimeoutMs: integer(
      env,
      "GPC_EDGE_DIRECTORY_TIMEOUT_MS",
      defaultConfig.directoryTimeoutMs,
      1,
    ),
    pdsMaxRetries: integer(env, "GPC_EDGE_PDS_MAX_RETRIES", defaultConfig.pdsMaxRetries, 0),
    maxRetryAfterSeconds: integer(
      env,
      "GPC_EDGE_MAX_RETRY_AFTER_SECONDS",
      defaultConfig.maxRetryAfterSeconds,
      0,
    ),
    cache: {
      lruMaxEntries: integer(env, "GPC_EDGE_LRU_MAX_ENTRIES", defaultConfig.cache.lruMaxEntries, 1),
      pdsTtlSeconds: integer(env, "GPC_EDGE_PDS_TTL_SECONDS", defaultConfig.cache.pdsTtlSeconds, 0),
      sdsTtlSeconds: integer(env, "GPC_EDGE_SDS_TTL_SECONDS", defaultConfig.cache.sdsTtlSeconds, 0),
      negativeTtlSeconds: integer(
        env,
        "GPC_EDGE_NEGATIVE_TTL_SECONDS",
        defaultConfig.cache.negativeTtlSeconds,
        0,
      ),
    },
    jwtMode,
    jwtLeewaySeconds: integer(
      env,
      "GPC_EDGE_JWT_LEEWAY_SECONDS",
      defaultConfig.jwtLeewaySeconds,
      0,
    ),
    upstreamTimeoutMs: integer(
      env,
      "GPC_EDGE_UPSTREAM_TIMEOUT_MS",
      defaultConfig.upstreamTimeoutMs,
      1,
    ),
    allowedMethods: methodList(env.GPC_EDGE_ALLOWED_METHODS),
    sspAuthorisation: authorisation(env.GPC_EDGE_SSP_AUTHORISATION),
  };
}
