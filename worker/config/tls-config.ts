/**
 * The `tls` configuration section: how gpc-edge's own outbound calls prove who they are and whom
 * they trust (B5 R25; B1: the Spine Secure Proxy and practices' endpoints are mutual TLS). One
 * setting serves every upstream call the Deno entry makes: the platform's calls to practices and
 * their authorisation services, and the SSP's forwards (worker/deno.ts builds one
 * `Deno.createHttpClient({ caCerts, cert, key })` from it).
 *
 * - `GPC_EDGE_TLS_CA_FILE`: PEM CA certificates trusted besides the system's roots (a private
 *   CA, the NHS's);
 * - `GPC_EDGE_TLS_CLIENT_CERT_FILE` and `GPC_EDGE_TLS_CLIENT_KEY_FILE`: gpc-edge's client
 *   certificate chain and private key (PEM), both or neither.
 *
 * Paths only: the files are read by the Deno entry at start-up (an unreadable one is a
 * `ConfigError` naming its variable), never here, so the section stays runtime-neutral. On
 * Workers an origin client certificate is an `mtls_certificates` binding, not a file.
 *
 * @module
 */
import { ConfigError } from "./config-error.ts";
import { type ConfigEnv, type ConfigVariable, readVariable, text } from "./config-variable.ts";

/** The `tls` section. */
export interface TlsConfig {
  /** PEM file of extra trusted CA certificates. */
  readonly caFile: string | undefined;
  /** PEM file of gpc-edge's client certificate (chain). */
  readonly clientCertFile: string | undefined;
  /** PEM file of the client certificate's private key (secret). */
  readonly clientKeyFile: string | undefined;
}

/** Defaults: the system's roots, no client certificate (the local world is plain HTTP). */
export const defaultTlsConfig: TlsConfig = {
  caFile: undefined,
  clientCertFile: undefined,
  clientKeyFile: undefined,
};

/** The variables of the `tls` section. */
export const tlsVariables = {
  caFile: {
    name: "GPC_EDGE_TLS_CA_FILE",
    description: "PEM file of CA certificates trusted for upstream TLS (besides the system's)",
    parse: text,
  },
  clientCertFile: {
    name: "GPC_EDGE_TLS_CLIENT_CERT_FILE",
    description: "PEM file of gpc-edge's client certificate for mTLS upstream (with the key)",
    parse: text,
  },
  clientKeyFile: {
    name: "GPC_EDGE_TLS_CLIENT_KEY_FILE",
    description: "PEM file of the client certificate's private key (with the certificate)",
    parse: text,
  },
} as const satisfies Record<string, ConfigVariable<unknown>>;

/**
 * The `tls` section from environment-style variables; a certificate without its key (or the
 * reverse) is a `ConfigError`.
 *
 * @example
 * ```ts
 * tlsConfigFromEnv({ GPC_EDGE_TLS_CA_FILE: "/etc/gpc-edge/ca.pem" }).caFile; // "/etc/gpc-edge/ca.pem"
 * ```
 */
export function tlsConfigFromEnv(env: ConfigEnv): TlsConfig {
  const v = tlsVariables;
  const config: TlsConfig = {
    caFile: readVariable<string | undefined>(env, v.caFile, undefined),
    clientCertFile: readVariable<string | undefined>(env, v.clientCertFile, undefined),
    clientKeyFile: readVariable<string | undefined>(env, v.clientKeyFile, undefined),
  };
  if ((config.clientCertFile === undefined) !== (config.clientKeyFile === undefined)) {
    // Named: the one given, which is useless without the other.
    const [given, missing] = config.clientCertFile === undefined
      ? [v.clientKeyFile, v.clientCertFile]
      : [v.clientCertFile, v.clientKeyFile];
    throw new ConfigError(given.name, `needs ${missing.name} too (a client certificate is both)`);
  }
  return config;
}

/**
 * Throws a `ConfigError` when a production deployment serving the patient-facing platform has no
 * client certificate: practices' endpoints are reached over mutual TLS only (R25). Checked by the
 * Deno entry at start-up (Workers present theirs through a binding).
 *
 * @example
 * ```ts
 * assertClientCertificateForPlatform(defaultTlsConfig, { production: false, platformEnabled: true });
 * ```
 */
export function assertClientCertificateForPlatform(
  tls: TlsConfig,
  deployment: { readonly production: boolean; readonly platformEnabled: boolean },
): void {
  if (deployment.production && deployment.platformEnabled && tls.clientCertFile === undefined) {
    throw new ConfigError(
      tlsVariables.clientCertFile.name,
      "production's patient-facing platform calls practices over mutual TLS: give gpc-edge's client certificate and key (or GPC_EDGE_PLATFORM_ENABLED=false)",
    );
  }
}
