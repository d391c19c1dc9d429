/**
 * gpc-edge configuration in sections (issue 8 item 4): `server` (where the Deno entry listens and
 * keeps its data), `directory` (PDS, SDS and the cache), `ssp` (the Spine Secure Proxy), `mesh`
 * (the MESH mailbox service), `platform` (the patient-facing API platform) and `tls` (upstream
 * CAs and client certificate). Each section has its defaults (the local world of ARCHITECTURE.md
 * §4) and its own parser from the same `GPC_EDGE_*` variables (`Deno.env` on Deno, `vars` and
 * secrets on Workers); {@linkcode configFromEnv} validates them all at start-up and throws one
 * {@linkcode ConfigError} naming the variable and the reason.
 *
 * @module
 */
import {
  defaultMeshConfig,
  type MeshConfig,
  meshConfigEnvironmentVariables,
  meshConfigFromEnv,
} from "./mesh/mesh-config.ts";
import {
  defaultPlatformConfig,
  type PlatformConfig,
  platformConfigFromEnv,
  platformVariables,
} from "./platform/platform-config.ts";
import type { ConfigEnv } from "./config/config-variable.ts";
import {
  defaultDirectoryConfig,
  type DirectoryConfig,
  directoryConfigFromEnv,
  directoryVariables,
} from "./config/directory-config.ts";
import {
  defaultServerConfig,
  type ServerConfig,
  serverConfigFromEnv,
  serverVariables,
} from "./config/server-config.ts";
import {
  defaultSspConfig,
  type SspConfig,
  sspConfigFromEnv,
  sspVariables,
} from "./config/ssp-config.ts";
import {
  defaultTlsConfig,
  type TlsConfig,
  tlsConfigFromEnv,
  tlsVariables,
} from "./config/tls-config.ts";

export { ConfigError } from "./config/config-error.ts";
export type { ConfigEnv } from "./config/config-variable.ts";
export type { DirectoryCacheConfig, DirectoryConfig } from "./config/directory-config.ts";
export type { DeploymentEnvironment, ServerConfig } from "./config/server-config.ts";
export type {
  ForwardClientKind,
  JwtMode,
  SspAuthorisation,
  SspConfig,
} from "./config/ssp-config.ts";
export type { TlsConfig } from "./config/tls-config.ts";
export type { MeshConfig, MeshMailbox } from "./mesh/mesh-config.ts";
export type {
  ConsumerApp,
  PlatformConfig,
  RateLimits,
  SigningKey,
} from "./platform/platform-config.ts";
export type { ProductId } from "./platform/platform-specs.ts";
export type { TrustedProxies } from "./gateway/forwarding-headers.ts";
export type { CidrRange, IpBytes } from "./gateway/ip-address.ts";
export type { LimitSetting, SspRateLimits } from "./gateway/rate-limit-settings.ts";

/** Everything gpc-edge can be told, by section. */
export interface GpcEdgeConfig {
  /** Listening address, data directory, deployment kind. */
  readonly server: ServerConfig;
  /** PDS, SDS and the directory cache. */
  readonly directory: DirectoryConfig;
  /** The Spine Secure Proxy. */
  readonly ssp: SspConfig;
  /** The MESH mailbox service. */
  readonly mesh: MeshConfig;
  /** The patient-facing API platform (NHS login token exchange, product routes). */
  readonly platform: PlatformConfig;
  /** Upstream TLS: trusted CAs and gpc-edge's client certificate (files the Deno entry reads). */
  readonly tls: TlsConfig;
}

/** Defaults: the local world of ARCHITECTURE.md §4, TTLs justified in the README. */
export const defaultConfig: GpcEdgeConfig = {
  server: defaultServerConfig,
  directory: defaultDirectoryConfig,
  ssp: defaultSspConfig,
  mesh: defaultMeshConfig,
  platform: defaultPlatformConfig,
  tls: defaultTlsConfig,
};

/** A configuration section's name. */
export type ConfigSection = keyof GpcEdgeConfig;

/** One variable gpc-edge reads, for `--help` and the README. */
export interface ConfigVariableInfo {
  /** The variable's name, e.g. `GPC_EDGE_PORT`. */
  readonly name: string;
  /** The configuration section it sets. */
  readonly section: ConfigSection;
  /** What it sets, in one line. */
  readonly description: string;
}

/**
 * Every `GPC_EDGE_*` variable {@linkcode configFromEnv} reads, by section, with what it sets: the
 * same lists the section parsers read through.
 */
export const configVariables: readonly ConfigVariableInfo[] = (() => {
  const listed: ConfigVariableInfo[] = [];
  const add = (section: ConfigSection, name: string, description: string) => {
    // GPC_EDGE_ENVIRONMENT is read by `server` and `mesh`; it is listed once, under `server`.
    if (!listed.some((variable) => variable.name === name)) {
      listed.push({ name, section, description });
    }
  };
  for (const v of Object.values(serverVariables)) add("server", v.name, v.description);
  for (const v of Object.values(directoryVariables)) add("directory", v.name, v.description);
  for (const v of Object.values(sspVariables)) add("ssp", v.name, v.description);
  for (const [name, description] of Object.entries(meshConfigEnvironmentVariables)) {
    add("mesh", name, description);
  }
  for (const v of Object.values(platformVariables)) add("platform", v.name, v.description);
  for (const v of Object.values(tlsVariables)) add("tls", v.name, v.description);
  return listed;
})();

/**
 * Builds the configuration from environment-style variables over {@linkcode defaultConfig}, one
 * section at a time. An unset or empty variable takes its default. Throws a
 * {@linkcode ConfigError} naming the first invalid variable and why (never a secret's value).
 *
 * @example
 * ```ts
 * const config = configFromEnv({ GPC_EDGE_JWT_MODE: "enforce", GPC_EDGE_PORT: "0" });
 * config.ssp.jwtMode; // "enforce"
 * config.server.port; // 0
 * ```
 */
export function configFromEnv(env: ConfigEnv): GpcEdgeConfig {
  return {
    server: serverConfigFromEnv(env),
    directory: directoryConfigFromEnv(env),
    ssp: sspConfigFromEnv(env),
    mesh: meshConfigFromEnv(env),
    platform: platformConfigFromEnv(env),
    tls: tlsConfigFromEnv(env),
  };
}
