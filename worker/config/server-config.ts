/**
 * The `server` section: where the Deno entry listens and keeps its data, and which kind of
 * deployment this is. (Workers ignore everything here but `environment`: Cloudflare chooses the
 * address, and the stores are bindings.) Also how gpc-edge presents itself to upstreams (issue 9):
 * its public URL, for the `Forwarded` element it adds, and the proxies whose `Forwarded`,
 * `X-Forwarded-*` and `X-Real-IP` headers it believes (both apply on Workers too).
 *
 * @module
 */
import { parseTrustedProxies, type TrustedProxies } from "../gateway/forwarding-headers.ts";
import {
  type ConfigEnv,
  type ConfigVariable,
  got,
  httpUrl,
  integerIn,
  oneOf,
  readVariable,
} from "./config-variable.ts";

/** Which kind of deployment: `production` refuses local-only defaults (MESH's local key…). */
export type DeploymentEnvironment = "local" | "production";

/** Server settings. */
export interface ServerConfig {
  /** Bind address. */
  readonly host: string;
  /** Port; 0 picks a free one. */
  readonly port: number;
  /** Directory of the embedded stores (`gpc-edge.sqlite`, blob files), or `:memory:`. */
  readonly dataDir: string;
  /** Deployment kind. */
  readonly environment: DeploymentEnvironment;
  /** gpc-edge's public base URL: `host=` and `proto=` of the `Forwarded` element it adds. */
  readonly publicUrl: string;
  /** Peers whose forwarding headers are kept (CIDR ranges); everyone else's are dropped. */
  readonly trustedProxies: TrustedProxies;
  /**
   * Which HTTP server the Deno entry runs: `guarded` (gpc-edge's HTTP/1.1 server with header-read
   * and idle timeouts, size caps and smuggling checks; the default) or `deno` (`Deno.serve`, which
   * has none of those timeouts: only behind a front that enforces them).
   */
  readonly httpServer: "guarded" | "deno";
  /** Guarded server: the longest a request head may take to arrive (slowloris), milliseconds. */
  readonly headerTimeoutMs: number;
  /** Guarded server: the longest a kept-alive connection may sit idle, milliseconds. */
  readonly idleTimeoutMs: number;
}

/** Defaults: the local world of ARCHITECTURE.md §4. */
export const defaultServerConfig: ServerConfig = {
  host: "127.0.0.1",
  port: 8080,
  dataDir: "./data",
  environment: "local",
  publicUrl: "http://127.0.0.1:8080",
  trustedProxies: [],
  httpServer: "guarded",
  headerTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
};

/** A host name, an IPv4 address or an IPv6 address (without brackets), as `Deno.serve` takes. */
function bindAddress(value: string): string {
  const name = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value);
  const ipv6 = value.includes(":") && URL.canParse(`http://[${value}]/`);
  if (!name && !ipv6) throw new Error(`expected a host name or IP address${got(value)}`);
  return value;
}

/** The variables of the `server` section. */
export const serverVariables = {
  host: {
    name: "GPC_EDGE_HOSTNAME",
    description: "bind address (Deno; default 127.0.0.1)",
    parse: bindAddress,
  },
  port: {
    name: "GPC_EDGE_PORT",
    description: "port of gpc-edge (Deno; default 8080, 0 picks a free one)",
    parse: integerIn(0, 65535),
  },
  dataDir: {
    name: "GPC_EDGE_DATA_DIR",
    description: "directory of the embedded stores, or :memory: (Deno; default ./data)",
    parse: (value: string) => value,
  },
  environment: {
    name: "GPC_EDGE_ENVIRONMENT",
    description: "local | production (production refuses local-only defaults)",
    parse: oneOf<DeploymentEnvironment>(["local", "production"]),
  },
  publicUrl: {
    name: "GPC_EDGE_PUBLIC_URL",
    description:
      "gpc-edge's public base URL (Forwarded host= and proto=; default http://127.0.0.1:8080)",
    parse: httpUrl,
  },
  trustedProxies: {
    name: "GPC_EDGE_TRUSTED_PROXIES",
    description: "CIDR ranges whose Forwarded/X-Forwarded-*/X-Real-IP are kept (default none)",
    parse: (value: string) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        throw new Error(`expected comma-separated CIDR ranges: ${(error as Error).message}`);
      }
    },
  },
  httpServer: {
    name: "GPC_EDGE_HTTP_SERVER",
    description: "guarded (default: header/idle timeouts, caps) | deno (Deno.serve, no timeouts)",
    parse: oneOf<"guarded" | "deno">(["guarded", "deno"]),
  },
  headerTimeoutMs: {
    name: "GPC_EDGE_HEADER_TIMEOUT_MS",
    description: "longest a request head may take to arrive (guarded server; default 10000)",
    parse: integerIn(1, 3_600_000),
  },
  idleTimeoutMs: {
    name: "GPC_EDGE_IDLE_TIMEOUT_MS",
    description: "longest a kept-alive connection may sit idle (guarded server; default 60000)",
    parse: integerIn(1, 3_600_000),
  },
} as const satisfies { [K in keyof ServerConfig]: ConfigVariable<ServerConfig[K]> };

/**
 * The `server` section from environment-style variables over {@linkcode defaultServerConfig};
 * throws a `ConfigError` naming the first invalid variable.
 *
 * @example
 * ```ts
 * serverConfigFromEnv({ GPC_EDGE_PORT: "0" }).port; // 0
 * ```
 */
export function serverConfigFromEnv(env: ConfigEnv): ServerConfig {
  const d = defaultServerConfig;
  return {
    host: readVariable(env, serverVariables.host, d.host),
    port: readVariable(env, serverVariables.port, d.port),
    dataDir: readVariable(env, serverVariables.dataDir, d.dataDir),
    environment: readVariable(env, serverVariables.environment, d.environment),
    publicUrl: readVariable(env, serverVariables.publicUrl, d.publicUrl),
    trustedProxies: readVariable(env, serverVariables.trustedProxies, d.trustedProxies),
    httpServer: readVariable(env, serverVariables.httpServer, d.httpServer),
    headerTimeoutMs: readVariable(env, serverVariables.headerTimeoutMs, d.headerTimeoutMs),
    idleTimeoutMs: readVariable(env, serverVariables.idleTimeoutMs, d.idleTimeoutMs),
  };
}
