/**
 * The `ssp` section: how the Spine Secure Proxy judges and forwards (JWT mode, allowed verbs,
 * the provider timeout), its authorisation tables (reference gpconnect-ssp.md §1.3 checks 2
 * and 4; `specs/ssp-authorisation.json` ships the sandbox values) and the gateway's limits on it
 * (issue 9: the request deadline, the body cap, rate limits, the circuit breaker; the README's
 * "Limits, deadlines and defaults" gives the reason for each default).
 *
 * @module
 */
import sspAuthorisationDefaults from "../../specs/ssp-authorisation.json" with { type: "json" };
import { isJsonObject } from "../../gpconnect/json-object.ts";
import { parseSspRateLimits, type SspRateLimits } from "../gateway/rate-limit-settings.ts";
import {
  type ConfigEnv,
  type ConfigVariable,
  got,
  integerIn,
  oneOf,
  readVariable,
} from "./config-variable.ts";

/** How JWT findings are handled: `log` (the SSP's behaviour) or `enforce` (reject). */
export type JwtMode = "log" | "enforce";

/**
 * Which client forwards SSP requests on Deno: the runtime's `fetch`, or the pooled HTTP/1.1
 * client (worker/forward-client/: kept-alive raw connections, gzip passed as gzip). Workers always
 * use their runtime's `fetch`.
 */
export type ForwardClientKind = "fetch" | "pooled";

/** SSP authorisation tables (reference gpconnect-ssp.md §1.3 checks 2 and 4). */
export interface SspAuthorisation {
  /** Sender ASID → interaction IDs it is accredited for (`*` = all). */
  readonly accreditedSenders: Readonly<Record<string, readonly string[]>>;
  /** Sender ASID → receiver ASIDs it has a data-sharing agreement with (`*` = any). */
  readonly agreements: Readonly<Record<string, readonly string[]>>;
}

/** SSP settings. */
export interface SspConfig {
  /** JWT handling mode. */
  readonly jwtMode: JwtMode;
  /** Clock leeway for JWT expiry, in seconds. */
  readonly jwtLeewaySeconds: number;
  /** Timeout for a forwarded provider call (→ 504), in milliseconds. */
  readonly upstreamTimeoutMs: number;
  /** HTTP methods the SSP forwards; others → 405. */
  readonly allowedMethods: readonly string[];
  /** Authorisation tables. */
  readonly authorisation: SspAuthorisation;
  /** The whole exchange, response body included, in milliseconds (→ 504 or a cut stream). */
  readonly deadlineMs: number;
  /** Largest request body, in bytes (→ 413). */
  readonly maxRequestBytes: number;
  /** Rate limits per consumer ASID and per consumer and provider pair (→ 429). */
  readonly rateLimits: SspRateLimits;
  /** Consecutive provider failures that open its circuit breaker (0: never). */
  readonly breakerFailures: number;
  /** First open interval of a breaker, in milliseconds (doubles on each repeat). */
  readonly breakerOpenMs: number;
  /** Longest open interval of a breaker, in milliseconds. */
  readonly breakerMaxOpenMs: number;
  /**
   * The forward's client on Deno (issue 15; default `pooled`, chosen by measurement: specs/
   * decisions.md FC6). Workers always forward with the runtime's `fetch`.
   */
  readonly forwardClient: ForwardClientKind;
}

/** Defaults: the SSP's own behaviour (specs/decisions.md S7, S8, S10) and the sandbox tables. */
export const defaultSspConfig: SspConfig = {
  jwtMode: "log",
  jwtLeewaySeconds: 5,
  upstreamTimeoutMs: 30_000,
  allowedMethods: ["GET", "POST", "PUT"],
  authorisation: {
    accreditedSenders: sspAuthorisationDefaults.accreditedSenders,
    agreements: sspAuthorisationDefaults.agreements,
  },
  deadlineMs: 120_000,
  maxRequestBytes: 10 * 1024 * 1024,
  rateLimits: {
    consumer: { limit: 1000, windowSeconds: 10 },
    pair: { limit: 200, windowSeconds: 10 },
    asids: {},
  },
  breakerFailures: 5,
  breakerOpenMs: 30_000,
  breakerMaxOpenMs: 300_000,
  forwardClient: "pooled",
};

/** RFC 9110 token: what a method name may be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Z-]+$/;

function methodList(value: string): readonly string[] {
  const methods = value.split(",").map((m) => m.trim().toUpperCase()).filter((m) => m !== "");
  // An empty list would answer every SSP request 405; a non-token can never match a method.
  if (methods.length === 0 || methods.some((m) => !TOKEN.test(m))) {
    throw new Error(`expected comma-separated HTTP methods${got(value)}`);
  }
  return [...new Set(methods)];
}

function authorisationTables(value: string): SspAuthorisation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (cause) {
    throw new Error("not JSON", { cause });
  }
  const isTable = (table: unknown): table is Record<string, string[]> =>
    isJsonObject(table) &&
    Object.values(table).every((v) => Array.isArray(v) && v.every((s) => typeof s === "string"));
  if (
    !isJsonObject(parsed) || !isTable(parsed.accreditedSenders) || !isTable(parsed.agreements)
  ) {
    throw new Error(
      "expected { accreditedSenders: { asid: [interaction…] }, agreements: { asid: [asid…] } }",
    );
  }
  return { accreditedSenders: parsed.accreditedSenders, agreements: parsed.agreements };
}

/** The variables of the `ssp` section. */
export const sspVariables = {
  jwtMode: {
    name: "GPC_EDGE_JWT_MODE",
    description: "log | enforce: what a JWT finding does",
    parse: oneOf<JwtMode>(["log", "enforce"]),
  },
  jwtLeewaySeconds: {
    name: "GPC_EDGE_JWT_LEEWAY_SECONDS",
    description: "clock leeway for JWT expiry, in s",
    parse: integerIn(0),
  },
  upstreamTimeoutMs: {
    name: "GPC_EDGE_UPSTREAM_TIMEOUT_MS",
    description: "provider timeout (504), in ms",
    parse: integerIn(1),
  },
  allowedMethods: {
    name: "GPC_EDGE_ALLOWED_METHODS",
    description: "methods the SSP forwards, comma-separated",
    parse: methodList,
  },
  authorisation: {
    name: "GPC_EDGE_SSP_AUTHORISATION",
    description:
      "JSON { accreditedSenders: { asid: [interaction…] }, agreements: { asid: [asid…] } }",
    parse: authorisationTables,
  },
  deadlineMs: {
    name: "GPC_EDGE_SSP_DEADLINE_MS",
    description: "whole SSP exchange incl. the response body (504 or cut stream), in ms",
    parse: integerIn(1),
  },
  maxRequestBytes: {
    name: "GPC_EDGE_SSP_MAX_REQUEST_BYTES",
    description: "largest SSP request body (413), in bytes",
    parse: integerIn(0),
  },
  rateLimits: {
    name: "GPC_EDGE_SSP_RATE_LIMITS",
    description:
      'JSON { consumer: "N/Ws", pair: "N/Ws", asids: { asid: { consumer?, pair? } } }, "off" = none',
    parse: (text: string) => parseSspRateLimits(text, defaultSspConfig.rateLimits),
  },
  breakerFailures: {
    name: "GPC_EDGE_SSP_BREAKER_FAILURES",
    description: "consecutive provider failures that open its circuit breaker (0 = never)",
    parse: integerIn(0),
  },
  breakerOpenMs: {
    name: "GPC_EDGE_SSP_BREAKER_OPEN_MS",
    description: "first open interval of a circuit breaker (doubles on repeat), in ms",
    parse: integerIn(1),
  },
  breakerMaxOpenMs: {
    name: "GPC_EDGE_SSP_BREAKER_MAX_OPEN_MS",
    description: "longest open interval of a circuit breaker, in ms",
    parse: integerIn(1),
  },
  forwardClient: {
    name: "GPC_EDGE_FORWARD_CLIENT",
    description: "fetch | pooled: the SSP's forward client on Deno (Workers always use fetch)",
    parse: oneOf<ForwardClientKind>(["fetch", "pooled"]),
  },
} as const satisfies { [K in keyof SspConfig]: ConfigVariable<SspConfig[K]> };

/**
 * The `ssp` section from environment-style variables over {@linkcode defaultSspConfig}; throws a
 * `ConfigError` naming the first invalid variable.
 *
 * @example
 * ```ts
 * sspConfigFromEnv({ GPC_EDGE_JWT_MODE: "enforce" }).jwtMode; // "enforce"
 * ```
 */
export function sspConfigFromEnv(env: ConfigEnv): SspConfig {
  const d = defaultSspConfig;
  const v = sspVariables;
  return {
    jwtMode: readVariable(env, v.jwtMode, d.jwtMode),
    jwtLeewaySeconds: readVariable(env, v.jwtLeewaySeconds, d.jwtLeewaySeconds),
    upstreamTimeoutMs: readVariable(env, v.upstreamTimeoutMs, d.upstreamTimeoutMs),
    allowedMethods: readVariable(env, v.allowedMethods, d.allowedMethods),
    authorisation: readVariable(env, v.authorisation, d.authorisation),
    deadlineMs: readVariable(env, v.deadlineMs, d.deadlineMs),
    maxRequestBytes: readVariable(env, v.maxRequestBytes, d.maxRequestBytes),
    rateLimits: readVariable(env, v.rateLimits, d.rateLimits),
    breakerFailures: readVariable(env, v.breakerFailures, d.breakerFailures),
    breakerOpenMs: readVariable(env, v.breakerOpenMs, d.breakerOpenMs),
    breakerMaxOpenMs: readVariable(env, v.breakerMaxOpenMs, d.breakerMaxOpenMs),
    forwardClient: readVariable(env, v.forwardClient, d.forwardClient),
  };
}
