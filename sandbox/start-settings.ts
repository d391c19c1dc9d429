/**
 * What `deno task start` reads: gpc-edge's configuration (every `GPC_EDGE_*` variable of
 * worker/deno.ts) and the sandboxes' ports, each checked before anything starts, and its `--help`.
 * A bad value is a {@linkcode StartError}: one line naming the variable and the reason.
 *
 * @module
 */
import { ConfigError, configFromEnv, configVariables, type GpcEdgeConfig } from "../worker/deno.ts";
import { defaultPorts, type WorldPorts } from "./world.ts";

/** A setting or a port that stops `deno task start`; the message is the whole line after `gpc-edge: `. */
export class StartError extends Error {
  /** `StartError`. */
  override name = "StartError";
}

/** The variables of the sandboxes' ports, beside gpc-edge's own `GPC_EDGE_PORT`. */
export const sandboxPortVariables: ReadonlyArray<
  { readonly name: string; readonly world: keyof WorldPorts; readonly description: string }
> = [
  { name: "GPC_EDGE_PDS_PORT", world: "pds", description: "port of the PDS sandbox" },
  { name: "GPC_EDGE_SDS_PORT", world: "sds", description: "port of the SDS sandbox" },
  {
    name: "GPC_EDGE_PROVIDER_PORT",
    world: "provider",
    description: "port of the reference GP provider (practice B82617)",
  },
  {
    name: "GPC_EDGE_NHS_LOGIN_PORT",
    world: "nhsLogin",
    description: "port of the NHS login sandbox",
  },
  {
    name: "GPC_EDGE_VRS_PORT",
    world: "vrs",
    description: "port of the Validated Relationships Service (VRS) sandbox",
  },
];

/** Everything `deno task start` starts with. */
export interface StartSettings {
  readonly config: GpcEdgeConfig;
  readonly ports: Required<WorldPorts>;
  readonly dataDir: string;
  /**
   * MESH's admin API when `GPC_EDGE_MESH_ADMIN_API` is set; unset, the world's default (on, the
   * local world being for testing).
   */
  readonly meshAdminApi: boolean | undefined;
}

function port(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number) {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= 65535)) {
    throw new StartError(
      `${name}: expected a port from 0 to 65535 (0 picks a free one), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * The settings from environment-style variables; throws a {@linkcode StartError} naming the
 * first bad variable.
 *
 * @example
 * ```ts
 * const settings = startSettings({ GPC_EDGE_PORT: "0", GPC_EDGE_PDS_PORT: "18081" });
 * settings.ports.pds; // 18081
 * ```
 */
export function startSettings(env: Readonly<Record<string, string | undefined>>): StartSettings {
  let config: GpcEdgeConfig;
  try {
    config = configFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new StartError(`${error.variable}: ${error.reason}`, { cause: error });
    }
    throw error;
  }
  const ports = { ...defaultPorts, edge: config.server.port };
  for (const variable of sandboxPortVariables) {
    ports[variable.world] = port(env, variable.name, defaultPorts[variable.world]);
  }
  const meshAdminApi = env.GPC_EDGE_MESH_ADMIN_API ? config.mesh.adminApi : undefined;
  return { config, ports, dataDir: config.server.dataDir, meshAdminApi };
}

/** The variable that sets each port of the world. */
export const portVariable: Readonly<Record<keyof WorldPorts, string>> = {
  edge: "GPC_EDGE_PORT",
  pds: "GPC_EDGE_PDS_PORT",
  sds: "GPC_EDGE_SDS_PORT",
  provider: "GPC_EDGE_PROVIDER_PORT",
  nhsLogin: "GPC_EDGE_NHS_LOGIN_PORT",
  vrs: "GPC_EDGE_VRS_PORT",
};

/** The `--help` text: usage, flags and every environment variable. */
export function startHelp(): string {
  const lines = [
    "Starts gpc-edge (SSP, directory, MESH with its test-only admin API, the patient-facing",
    "platform) and the sandboxes it talks to (PDS, SDS, NHS login, the reference GP provider for",
    "practice B82617, which also polls its MESH mailboxes) on 127.0.0.1, prints their URLs and",
    "requests to paste, and serves until Ctrl-C. Data (the directory cache, MESH, the provider's",
    "bookings and filed documents) lives in GPC_EDGE_DATA_DIR. GPC_EDGE_MESH_ADMIN_API defaults",
    "to on here.",
    "",
    "Usage: deno task start [--help]",
    "",
    "Flags:",
    "  -h, --help                         this text",
    "",
    "Environment variables (unset or empty: the default):",
    "",
    "sandboxes:",
    ...sandboxPortVariables.map((v) =>
      `  ${v.name.padEnd(34)} ${v.description} (default ${defaultPorts[v.world]})`
    ),
  ];
  let section = "";
  for (const variable of configVariables) {
    if (variable.section !== section) {
      section = variable.section;
      lines.push("", `${section}:`);
    }
    lines.push(`  ${variable.name.padEnd(34)} ${variable.description}`);
  }
  lines.push(
    "",
    "A bad value or a port in use stops start-up with one line naming it (exit status 2).",
    "GET /_health on gpc-edge answers 200 when it is up.",
  );
  return lines.join("\n");
}
