/**
 * The `ssp` section: how the Spine Secure Proxy judges and forwards (JWT mode, allowed verbs,
 * the provider timeout) and its authorisation tables (reference gpconnect-ssp.md §1.3 checks 2
 * and 4; `specs/ssp-authorisation.json` ships the sandbox values).
 *
 * @module
 */
import sspAuthorisationDefaults from "../../specs/ssp-authorisation.json" with { type: "json" };
import { isJsonObject } from "../../gpconnect/json-object.ts";
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
  };
}
