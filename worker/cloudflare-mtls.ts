/**
 * mTLS to providers on Cloudflare Workers (B5 R25): the Workers counterpart of the Deno entry's
 * `tls` client (worker/deno.ts `createUpstreamTls`). A Worker cannot read PEM files; Cloudflare
 * holds gpc-edge's client certificate and hands the Worker an `mtls_certificates` binding, a
 * Fetcher whose `fetch()` presents that certificate to the origin. Bound as `GPC_EDGE_MTLS`
 * (wrangler.toml `[[mtls_certificates]] binding = "GPC_EDGE_MTLS"`), it carries every upstream
 * call the Deno entry routes through its TLS client: the SSP's forwards, the platform's practices
 * and their authorisation services, PDS, SDS.
 *
 * The `tls` section's file variables mean nothing on Workers, so they are refused rather than
 * ignored: a deployment that believes it presents a certificate (or trusts a private CA) and
 * does not would only fail later, at a practice's handshake.
 *
 * @module
 */
import type { UpstreamFetch } from "./app-deps.ts";
import { ConfigError, type GpcEdgeConfig } from "./config.ts";
import { tlsVariables } from "./config/tls-config.ts";

/** The name of the `mtls_certificates` binding gpc-edge presents its client certificate through. */
export const mtlsBindingName = "GPC_EDGE_MTLS";

/** The part of Workers' `Fetcher` (an `mtls_certificates` or service binding) used here. */
export interface FetcherLike {
  /** `fetch`, presenting the binding's client certificate to the origin. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

/** What the wrangler.toml table for the binding looks like, for the operator's error messages. */
const bindingTable = `[[mtls_certificates]] binding = "${mtlsBindingName}" in wrangler.toml`;

/**
 * The Worker's upstream `fetch`: through the `GPC_EDGE_MTLS` binding when `env` has one, else
 * `undefined` (the app's default, the global `fetch`). Throws a `ConfigError` when the `tls`
 * section names files (a Worker has none), when the binding is not a Fetcher, and when a
 * production deployment serving the patient-facing platform has no binding: practices are
 * reached over mutual TLS only (the Deno entry's start-up rule).
 *
 * @example
 * ```ts
 * import { defaultConfig } from "./config.ts";
 * const binding = { fetch: (input: Request | string | URL) => fetch(input) };
 * const upstream = mtlsUpstreamFetch({ GPC_EDGE_MTLS: binding }, defaultConfig);
 * typeof upstream; // "function"
 * ```
 */
export function mtlsUpstreamFetch(
  env: Readonly<Record<string, unknown>>,
  config: Pick<GpcEdgeConfig, "tls" | "server" | "platform">,
): UpstreamFetch | undefined {
  const v = tlsVariables;
  const file = config.tls.clientCertFile !== undefined
    ? v.clientCertFile
    : config.tls.clientKeyFile !== undefined
    ? v.clientKeyFile
    : undefined;
  if (file) {
    throw new ConfigError(
      file.name,
      `a Worker has no files: bind gpc-edge's client certificate as ${bindingTable} (wrangler mtls-certificate upload) and unset ${v.clientCertFile.name} and ${v.clientKeyFile.name}`,
    );
  }
  if (config.tls.caFile !== undefined) {
    throw new ConfigError(
      v.caFile.name,
      "a Worker has no files, and its subrequests trust the roots Cloudflare trusts: unset it",
    );
  }
  const binding = env[mtlsBindingName];
  if (binding === undefined || binding === null) {
    if (config.server.environment === "production" && config.platform.enabled) {
      throw new ConfigError(
        mtlsBindingName,
        `the binding is missing: production's patient-facing platform calls practices over mutual TLS (${bindingTable}, or GPC_EDGE_PLATFORM_ENABLED=false)`,
      );
    }
    return undefined;
  }
  if (typeof binding !== "object" || typeof (binding as FetcherLike).fetch !== "function") {
    throw new ConfigError(
      mtlsBindingName,
      `is not an mtls_certificates binding (no fetch): declare it as ${bindingTable}, not a variable`,
    );
  }
  const fetcher = binding as FetcherLike;
  // Called as a method: a workerd Fetcher's `fetch` detached from its binding throws
  // "Illegal invocation".
  return (input, init) => fetcher.fetch(input, init);
}
