/**
 * The `platform` configuration section: the patient-facing API platform (issue 12). Defaults are
 * the local world (ARCHITECTURE.md §4): gpc-edge at http://127.0.0.1:8080, the NHS login sandbox
 * at http://127.0.0.1:8084 and its test app `pfs-sandbox-app`. PDS and SDS come from the
 * `directory` section; the platform only adds its PDS application-restricted credentials.
 *
 * Every variable is listed in {@linkcode platformVariables} (name, description, parser), read
 * through `readVariable` so a bad value is one `ConfigError` naming the variable; secrets (the
 * signing key) never appear in a message.
 *
 * @module
 */
import type { JWK } from "jose";
import { ConfigError } from "../config/config-error.ts";
import {
  type ConfigEnv,
  type ConfigVariable,
  got,
  httpUrl,
  integerIn,
  readVariable,
  text,
} from "../config/config-variable.ts";
import { productById, type ProductId } from "./platform-specs.ts";

/** Rate limits of one app (B2: 300 per minute quota, 10 per second spike arrest). */
export interface RateLimits {
  /** Requests allowed per minute (the quota). */
  readonly perMinute: number;
  /** Requests allowed per second (the spike arrest). */
  readonly perSecond: number;
}

/** A registered consumer app (A2: client id, JWKS, products). */
export interface ConsumerApp {
  /** The API platform client id (`iss` = `sub` of its client assertions). */
  readonly clientId: string;
  /** The app's NHS login client id: the `aud` of its id_tokens (default: `clientId`). */
  readonly nhsLoginClientId: string;
  /** The app's public keys, inline, … */
  readonly jwks?: { readonly keys: readonly JWK[] } | undefined;
  /** … or where to fetch them (cached; refetched on an unknown `kid`). */
  readonly jwksUrl?: string | undefined;
  /** Products the app may call; their scopes are what a token can carry. */
  readonly products: readonly ProductId[];
  /** The app's rate limits. */
  readonly rateLimits: RateLimits;
}

/** gpc-edge's own RS512 signing key (client assertions to PDS and to practices). */
export interface SigningKey {
  /** The key id, in the `kid` header of what it signs. */
  readonly kid: string;
  /** Private RSA JWK. Secret. */
  readonly privateJwk: JWK;
}

/** The platform's settings. */
export interface PlatformConfig {
  /**
   * Whether the platform's routes are served (`GPC_EDGE_PLATFORM_ENABLED`, default true). Off:
   * `POST /oauth2/token` and `/gp-connect/patient-facing/…` are unknown paths (404), and
   * production asks nothing of the platform's settings (an SSP-only deployment).
   */
  readonly enabled: boolean;
  /** gpc-edge's public base URL; the token endpoint (`aud` of client assertions) hangs off it. */
  readonly publicBaseUrl: string;
  /** NHS login's issuer (`iss` of id_tokens). */
  readonly nhsLoginIssuer: string;
  /** NHS login's JWKS URL. */
  readonly nhsLoginJwksUrl: string;
  /** How long a fetched JWKS is trusted before it is fetched again, in seconds. */
  readonly jwksMaxAgeSeconds: number;
  /** Registered consumer apps. */
  readonly apps: readonly ConsumerApp[];
  /** gpc-edge's signing key; without it no provider token can be obtained. */
  readonly signingKey: SigningKey | undefined;
  /** PDS application-restricted token URL; unset: PDS is called without a token (sandbox). */
  readonly pdsTokenUrl: string | undefined;
  /** gpc-edge's client id at PDS's token endpoint. */
  readonly pdsClientId: string;
  /** gpc-edge's client id at practices' authorisation services, by ODS code. */
  readonly providerClientIds: Readonly<Record<string, string>>;
  /** The client id for practices not in {@linkcode providerClientIds}. */
  readonly defaultProviderClientId: string;
  /** Hosts provider endpoints may be on (empty: any); `http:` only when `allowHttpProviders`. */
  readonly providerHosts: readonly string[];
  /** Whether `http:` provider endpoints are allowed (local world only). */
  readonly allowHttpProviders: boolean;
  /** Browser origins allowed by CORS (R32); empty: no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  /** Writes (book, cancel) per patient per minute (R20, API6). */
  readonly patientWritesPerMinute: number;
  /** Access token lifetime (599 s as APIM answers it). */
  readonly accessTokenSeconds: number;
  /** Refresh token lifetime (1 h). */
  readonly refreshTokenSeconds: number;
  /** Deadline of a token call (PDS token, provider authorisation), ms (R14). */
  readonly tokenTimeoutMs: number;
  /** Deadline of a provider call, ms (R14). */
  readonly providerTimeoutMs: number;
  /** The whole request's deadline, ms (R15): every call and retry of the chain inside it. */
  readonly deadlineMs: number;
  /** Retries of a read after a connect failure, 502/503/504 or 429 with Retry-After (R16). */
  readonly maxRetries: number;
  /** Back-off base between retries, ms (jittered, doubling, capped at 10 × base). */
  readonly retryBaseMs: number;
  /** Calls in flight per practice endpoint in one isolate (R19). */
  readonly providerMaxInFlight: number;
  /** Calls waiting for a slot per practice endpoint; more → 503 with Retry-After (R19). */
  readonly providerMaxQueued: number;
  /** `POST /oauth2/token` per app (client id) per minute (APIM: 5 tps on /oauth2 too, B2). */
  readonly tokenClientPerMinute: number;
  /** `POST /oauth2/token` per source address per minute. */
  readonly tokenSourcePerMinute: number;
  /** Largest request body forwarded (R11). */
  readonly maxRequestBytes: number;
  /** Largest provider response passed back (R12). */
  readonly maxResponseBytes: number;
  /** The Validated Relationships Service's base URL (delegated access, R5). */
  readonly vrsBaseUrl: string;
  /** Deadline of a VRS call, ms. */
  readonly vrsTimeoutMs: number;
}

/** The sandbox app's JWKS URL at the NHS login sandbox. */
const sandboxAppJwks = "http://127.0.0.1:8084/test/apps/pfs-sandbox-app/jwks.json";

/** Every patient-facing product: an app without a `products` list may call them all. */
const allProducts: readonly ProductId[] = [
  "access-record",
  "appointments-management",
  "prescriptions-management",
  "user-permissions",
];

/** Defaults: the local world. */
export const defaultPlatformConfig: PlatformConfig = {
  enabled: true,
  publicBaseUrl: "http://127.0.0.1:8080",
  nhsLoginIssuer: "http://127.0.0.1:8084",
  nhsLoginJwksUrl: "http://127.0.0.1:8084/.well-known/jwks.json",
  jwksMaxAgeSeconds: 3600,
  apps: [{
    clientId: "pfs-sandbox-app",
    nhsLoginClientId: "pfs-sandbox-app",
    jwksUrl: sandboxAppJwks,
    products: allProducts,
    rateLimits: { perMinute: 300, perSecond: 10 },
  }],
  signingKey: undefined,
  pdsTokenUrl: undefined,
  pdsClientId: "gpc-edge",
  providerClientIds: {},
  defaultProviderClientId: "gpc-edge",
  providerHosts: ["127.0.0.1", "localhost"],
  allowHttpProviders: true,
  corsOrigins: [],
  patientWritesPerMinute: 10,
  accessTokenSeconds: 600,
  refreshTokenSeconds: 3600,
  tokenTimeoutMs: 20_000,
  providerTimeoutMs: 30_000,
  deadlineMs: 55_000,
  maxRetries: 3,
  retryBaseMs: 100,
  providerMaxInFlight: 64,
  providerMaxQueued: 64,
  tokenClientPerMinute: 300,
  tokenSourcePerMinute: 600,
  maxRequestBytes: 1024 * 1024,
  maxResponseBytes: 10 * 1024 * 1024,
  vrsBaseUrl: "http://127.0.0.1:8085",
  vrsTimeoutMs: 10_000,
};

function json(textValue: string, what: string): unknown {
  try {
    return JSON.parse(textValue);
  } catch {
    throw new Error(`expected ${what} as JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses `GPC_EDGE_PLATFORM_APPS`: a JSON array of apps. */
export function parseConsumerApps(textValue: string): readonly ConsumerApp[] {
  const list = json(textValue, "an array of apps");
  if (!Array.isArray(list) || list.length === 0) throw new Error("expected a non-empty array");
  return list.map((item, index) => {
    const where = `app ${index}`;
    if (!isObject(item) || typeof item.clientId !== "string" || item.clientId === "") {
      throw new Error(`${where}: clientId must be a non-empty string`);
    }
    const jwks = item.jwks;
    const jwksUrl = item.jwksUrl;
    if (jwks !== undefined && !(isObject(jwks) && Array.isArray(jwks.keys))) {
      throw new Error(`${where}: jwks must be { "keys": [...] }`);
    }
    if (jwksUrl !== undefined && (typeof jwksUrl !== "string" || !URL.canParse(jwksUrl))) {
      throw new Error(`${where}: jwksUrl must be a URL`);
    }
    if ((jwks === undefined) === (jwksUrl === undefined)) {
      throw new Error(`${where}: give exactly one of jwks and jwksUrl`);
    }
    const productIds = item.products ?? allProducts;
    if (!Array.isArray(productIds)) throw new Error(`${where}: products must be an array`);
    for (const id of productIds) productById(String(id));
    const limits = isObject(item.rateLimits) ? item.rateLimits : {};
    const limit = (name: "perMinute" | "perSecond", fallback: number) => {
      const value = limits[name] ?? fallback;
      if (!Number.isSafeInteger(value) || (value as number) < 1) {
        throw new Error(`${where}: rateLimits.${name} must be a positive integer`);
      }
      return value as number;
    };
    return {
      clientId: item.clientId,
      nhsLoginClientId: typeof item.nhsLoginClientId === "string"
        ? item.nhsLoginClientId
        : item.clientId,
      ...(jwks === undefined ? {} : { jwks: jwks as { keys: JWK[] } }),
      ...(jwksUrl === undefined ? {} : { jwksUrl: jwksUrl as string }),
      products: productIds as ProductId[],
      rateLimits: { perMinute: limit("perMinute", 300), perSecond: limit("perSecond", 10) },
    };
  });
}

/** Parses `GPC_EDGE_PLATFORM_SIGNING_KEY`: a private RSA JWK with a `kid`. */
export function parseSigningKey(textValue: string): SigningKey {
  const jwk = json(textValue, "a private RSA JWK");
  if (!isObject(jwk) || jwk.kty !== "RSA" || typeof jwk.d !== "string") {
    throw new Error("expected a private RSA JWK (kty RSA with d)");
  }
  if (typeof jwk.kid !== "string" || jwk.kid === "") throw new Error("the JWK needs a kid");
  return { kid: jwk.kid, privateJwk: jwk as JWK };
}

function stringMap(textValue: string): Readonly<Record<string, string>> {
  const value = json(textValue, "an object of ODS code to client id");
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new Error("expected an object of ODS code to client id");
  }
  return value as Record<string, string>;
}

function list(textValue: string): readonly string[] {
  return textValue.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

function bool(textValue: string): boolean {
  if (textValue === "true") return true;
  if (textValue === "false") return false;
  throw new Error(`expected true or false${got(textValue)}`);
}

/** The variables of the `platform` section. */
export const platformVariables = {
  enabled: {
    name: "GPC_EDGE_PLATFORM_ENABLED",
    description: "false to serve no patient-facing platform routes (/oauth2/token, /gp-connect/…)",
    parse: bool,
  },
  publicBaseUrl: {
    name: "GPC_EDGE_PUBLIC_URL",
    description: "gpc-edge's public base URL (token endpoint = this + /oauth2/token)",
    parse: httpUrl,
  },
  nhsLoginIssuer: {
    name: "GPC_EDGE_NHS_LOGIN_ISSUER",
    description: "NHS login issuer (iss of id_tokens)",
    parse: httpUrl,
  },
  nhsLoginJwksUrl: {
    name: "GPC_EDGE_NHS_LOGIN_JWKS_URL",
    description: "NHS login JWKS URL (default: issuer + /.well-known/jwks.json)",
    parse: httpUrl,
  },
  jwksMaxAgeSeconds: {
    name: "GPC_EDGE_PLATFORM_JWKS_MAX_AGE_SECONDS",
    description: "how long a fetched JWKS is trusted, in s",
    parse: integerIn(1),
  },
  apps: {
    name: "GPC_EDGE_PLATFORM_APPS",
    description:
      'consumer apps, JSON: [{"clientId","nhsLoginClientId"?,"jwks"|"jwksUrl","products"?,"rateLimits"?}]',
    parse: parseConsumerApps,
  },
  signingKey: {
    name: "GPC_EDGE_PLATFORM_SIGNING_KEY",
    description: "gpc-edge's RS512 signing key, a private RSA JWK with kid (secret)",
    secret: true,
    parse: parseSigningKey,
  },
  pdsTokenUrl: {
    name: "GPC_EDGE_PLATFORM_PDS_TOKEN_URL",
    description: "PDS application-restricted token URL (unset: no PDS token)",
    parse: httpUrl,
  },
  pdsClientId: {
    name: "GPC_EDGE_PLATFORM_PDS_CLIENT_ID",
    description: "gpc-edge's client id at the PDS token endpoint",
    parse: text,
  },
  providerClientIds: {
    name: "GPC_EDGE_PLATFORM_PROVIDER_CLIENT_IDS",
    description: 'gpc-edge\'s client id per practice authorisation service, JSON {"ODS":"id"}',
    parse: stringMap,
  },
  defaultProviderClientId: {
    name: "GPC_EDGE_PLATFORM_PROVIDER_CLIENT_ID",
    description: "gpc-edge's client id at other practices' authorisation services",
    parse: text,
  },
  providerHosts: {
    name: "GPC_EDGE_PLATFORM_PROVIDER_HOSTS",
    description: "comma-separated hosts provider endpoints may be on (empty: any)",
    parse: list,
  },
  allowHttpProviders: {
    name: "GPC_EDGE_PLATFORM_ALLOW_HTTP_PROVIDERS",
    description: "true to allow http: provider endpoints (local only)",
    parse: bool,
  },
  corsOrigins: {
    name: "GPC_EDGE_PLATFORM_CORS_ORIGINS",
    description: "comma-separated browser origins allowed by CORS",
    parse: list,
  },
  patientWritesPerMinute: {
    name: "GPC_EDGE_PLATFORM_PATIENT_WRITES_PER_MINUTE",
    description: "bookings and cancellations per patient per minute",
    parse: integerIn(1),
  },
  tokenTimeoutMs: {
    name: "GPC_EDGE_PLATFORM_TOKEN_TIMEOUT_MS",
    description: "deadline of a token call (PDS, practice authorisation), in ms",
    parse: integerIn(1),
  },
  providerTimeoutMs: {
    name: "GPC_EDGE_PLATFORM_PROVIDER_TIMEOUT_MS",
    description: "deadline of a provider call, in ms",
    parse: integerIn(1),
  },
  vrsBaseUrl: {
    name: "GPC_EDGE_VRS_URL",
    description: "Validated Relationships Service base URL (delegated access)",
    parse: httpUrl,
  },
  vrsTimeoutMs: {
    name: "GPC_EDGE_VRS_TIMEOUT_MS",
    description: "deadline of a VRS call, in ms",
    parse: integerIn(1),
  },
  deadlineMs: {
    name: "GPC_EDGE_PLATFORM_DEADLINE_MS",
    description: "deadline of a whole patient-facing request (every call and retry), in ms",
    parse: integerIn(1),
  },
  maxRetries: {
    name: "GPC_EDGE_PLATFORM_MAX_RETRIES",
    description: "retries of a read after a connect failure, 502/503/504 or 429 with Retry-After",
    parse: integerIn(0, 10),
  },
  retryBaseMs: {
    name: "GPC_EDGE_PLATFORM_RETRY_BASE_MS",
    description: "back-off base between retries, in ms (jittered, doubling, cap 10 x base)",
    parse: integerIn(1),
  },
  providerMaxInFlight: {
    name: "GPC_EDGE_PLATFORM_PROVIDER_MAX_IN_FLIGHT",
    description: "calls in flight per practice endpoint (per isolate)",
    parse: integerIn(1),
  },
  providerMaxQueued: {
    name: "GPC_EDGE_PLATFORM_PROVIDER_MAX_QUEUED",
    description: "calls waiting per practice endpoint; more are answered 503",
    parse: integerIn(0),
  },
  tokenClientPerMinute: {
    name: "GPC_EDGE_PLATFORM_TOKEN_CLIENT_PER_MINUTE",
    description: "POST /oauth2/token per app (client id) per minute",
    parse: integerIn(1),
  },
  tokenSourcePerMinute: {
    name: "GPC_EDGE_PLATFORM_TOKEN_SOURCE_PER_MINUTE",
    description: "POST /oauth2/token per source address per minute",
    parse: integerIn(1),
  },
} as const satisfies Record<string, ConfigVariable<unknown>>;

/**
 * The `platform` section from environment-style variables over
 * {@linkcode defaultPlatformConfig}. Throws a `ConfigError` naming the first invalid variable;
 * with `GPC_EDGE_ENVIRONMENT=production` and the platform enabled, http: NHS login URLs, http:
 * providers and the sandbox's default app are refused.
 *
 * @example
 * ```ts
 * platformConfigFromEnv({ GPC_EDGE_PUBLIC_URL: "http://127.0.0.1:9000" }).publicBaseUrl;
 * // "http://127.0.0.1:9000"
 * ```
 */
export function platformConfigFromEnv(env: ConfigEnv): PlatformConfig {
  const d = defaultPlatformConfig;
  const v = platformVariables;
  const issuer = readVariable(env, v.nhsLoginIssuer, d.nhsLoginIssuer);
  const production = env.GPC_EDGE_ENVIRONMENT === "production";
  const config: PlatformConfig = {
    enabled: readVariable(env, v.enabled, d.enabled),
    publicBaseUrl: readVariable(env, v.publicBaseUrl, d.publicBaseUrl),
    nhsLoginIssuer: issuer,
    nhsLoginJwksUrl: readVariable(env, v.nhsLoginJwksUrl, `${issuer}/.well-known/jwks.json`),
    jwksMaxAgeSeconds: readVariable(env, v.jwksMaxAgeSeconds, d.jwksMaxAgeSeconds),
    apps: readVariable(env, v.apps, d.apps),
    signingKey: readVariable<SigningKey | undefined>(env, v.signingKey, d.signingKey),
    pdsTokenUrl: readVariable<string | undefined>(env, v.pdsTokenUrl, d.pdsTokenUrl),
    pdsClientId: readVariable(env, v.pdsClientId, d.pdsClientId),
    providerClientIds: readVariable(env, v.providerClientIds, d.providerClientIds),
    defaultProviderClientId: readVariable(
      env,
      v.defaultProviderClientId,
      d.defaultProviderClientId,
    ),
    // Production defaults: https: providers on any host unless the hosts are listed.
    providerHosts: readVariable(env, v.providerHosts, production ? [] : d.providerHosts),
    allowHttpProviders: readVariable(env, v.allowHttpProviders, !production),
    corsOrigins: readVariable(env, v.corsOrigins, d.corsOrigins),
    patientWritesPerMinute: readVariable(env, v.patientWritesPerMinute, d.patientWritesPerMinute),
    accessTokenSeconds: d.accessTokenSeconds,
    refreshTokenSeconds: d.refreshTokenSeconds,
    tokenTimeoutMs: readVariable(env, v.tokenTimeoutMs, d.tokenTimeoutMs),
    providerTimeoutMs: readVariable(env, v.providerTimeoutMs, d.providerTimeoutMs),
    deadlineMs: readVariable(env, v.deadlineMs, d.deadlineMs),
    maxRetries: readVariable(env, v.maxRetries, d.maxRetries),
    retryBaseMs: readVariable(env, v.retryBaseMs, d.retryBaseMs),
    providerMaxInFlight: readVariable(env, v.providerMaxInFlight, d.providerMaxInFlight),
    providerMaxQueued: readVariable(env, v.providerMaxQueued, d.providerMaxQueued),
    tokenClientPerMinute: readVariable(env, v.tokenClientPerMinute, d.tokenClientPerMinute),
    tokenSourcePerMinute: readVariable(env, v.tokenSourcePerMinute, d.tokenSourcePerMinute),
    maxRequestBytes: d.maxRequestBytes,
    maxResponseBytes: d.maxResponseBytes,
    vrsBaseUrl: readVariable(env, v.vrsBaseUrl, d.vrsBaseUrl),
    vrsTimeoutMs: readVariable(env, v.vrsTimeoutMs, d.vrsTimeoutMs),
  };
  // A deployment without the platform (SSP only) needs none of its production settings.
  if (production && config.enabled) assertProductionReady(config, env);
  return config;
}

function assertProductionReady(config: PlatformConfig, env: ConfigEnv): void {
  const v = platformVariables;
  if (!config.nhsLoginIssuer.startsWith("https:")) {
    throw new ConfigError(v.nhsLoginIssuer.name, "production needs an https: NHS login issuer");
  }
  if (!config.nhsLoginJwksUrl.startsWith("https:")) {
    throw new ConfigError(v.nhsLoginJwksUrl.name, "production needs an https: JWKS URL");
  }
  if (!env[v.apps.name]) {
    throw new ConfigError(v.apps.name, "production needs its own apps, not the sandbox app");
  }
  if (config.allowHttpProviders) {
    throw new ConfigError(v.allowHttpProviders.name, "production refuses http: providers");
  }
  if (config.signingKey === undefined) {
    throw new ConfigError(v.signingKey.name, "production needs gpc-edge's signing key");
  }
  // Without APIM's token URL, PDS would be called without a token and VRS with the local
  // sandbox's placeholder bearer.
  if (config.pdsTokenUrl === undefined || !config.pdsTokenUrl.startsWith("https:")) {
    throw new ConfigError(
      v.pdsTokenUrl.name,
      "production needs APIM's https: token URL (application-restricted PDS and VRS calls)",
    );
  }
  if (!config.vrsBaseUrl.startsWith("https:")) {
    throw new ConfigError(v.vrsBaseUrl.name, "production needs an https: VRS URL");
  }
}
