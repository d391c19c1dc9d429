/**
 * Loads a run's configuration from its three sources: the config file (`--config` or
 * `GPC_CONFORMANCE_CONFIG`), the environment and the flags.
 *
 * @module
 */
import { readConfigFile, settingsFromEnv, settingsFromFlags } from "./config-sources.ts";
import { type HarnessConfig, resolveConfig } from "./harness-config.ts";
import type { Settings } from "./setting-value.ts";

/** Options for {@linkcode loadHarnessConfig}. */
export interface LoadConfigOptions {
  /** Values of `parseArgs` (flags), including `config`. */
  readonly flags: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  /** The environment; default `Deno.env.toObject()`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory for relative paths; default `Deno.cwd()`. */
  readonly cwd?: string;
  /** The run start; default now. */
  readonly now?: Date;
}

/**
 * The resolved configuration: defaults < file < environment < flags.
 *
 * @example
 * ```ts
 * const config = await loadHarnessConfig({ flags: { target: "direct", "base-url": "https://h/B82617/STU3/1/gpconnect" } });
 * ```
 */
export async function loadHarnessConfig(options: LoadConfigOptions): Promise<HarnessConfig> {
  const env = options.env ?? Deno.env.toObject();
  const cwd = options.cwd ?? Deno.cwd();
  const configPath = typeof options.flags.config === "string"
    ? options.flags.config
    : env.GPC_CONFORMANCE_CONFIG || undefined;
  const file: Settings = configPath ? await readConfigFile(configPath, cwd) : {};
  return resolveConfig({
    layers: [file, settingsFromEnv(env, cwd), settingsFromFlags(options.flags, cwd)],
    now: options.now ?? new Date(),
    cwd,
  });
}
