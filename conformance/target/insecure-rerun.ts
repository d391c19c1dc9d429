/**
 * `--insecure`: Deno's HTTP client cannot skip server certificate verification, so the CLI runs
 * itself again with `--unsafely-ignore-certificate-errors=<the target's hosts only>` (Deno prints
 * its own DANGER warning too). The child is marked so it does not run itself again.
 *
 * @module
 */
import type { HarnessConfig } from "../config/harness-config.ts";
import { targetRoots } from "./service-roots.ts";

/** Set in the child's environment. */
export const insecureRerunMarker = "GPC_CONFORMANCE_INSECURE_RERUN";

/** The host names whose certificates go unverified: every root's, the SSP's and the MESH server's. */
export function insecureHosts(config: HarnessConfig): string[] {
  const urls = [
    ...Object.values(targetRoots(config.baseUrl, config.roots)),
    ...(config.sspUrl === undefined ? [] : [config.sspUrl]),
    ...(config.mesh.url === undefined ? [] : [config.mesh.url]),
  ];
  return [...new Set(urls.map((url) => new URL(url).hostname))].sort();
}

/** Whether this process must run itself again to honour `--insecure`. */
export function needsInsecureRerun(
  config: HarnessConfig,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return config.tls.insecure && config.target !== "local" && env[insecureRerunMarker] !== "1";
}

/** The `deno` arguments of the re-run. */
export function insecureRerunArgs(
  config: HarnessConfig,
  options: {
    readonly script: string;
    readonly denoConfig: string;
    readonly args: readonly string[];
  },
): string[] {
  return [
    "run",
    "--allow-all",
    // As `task conformance` runs it: npm packages from the global cache, not node_modules
    // (deno.json's "manual" mode would want them installed there).
    "--node-modules-dir=none",
    "--config",
    options.denoConfig,
    `--unsafely-ignore-certificate-errors=${insecureHosts(config).join(",")}`,
    options.script,
    ...options.args,
  ];
}

/** Runs the CLI again without certificate verification for the target's hosts; its exit code. */
export async function rerunInsecure(
  config: HarnessConfig,
  options: {
    readonly script: string;
    readonly denoConfig: string;
    readonly args: readonly string[];
  },
): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: insecureRerunArgs(config, options),
    env: { [insecureRerunMarker]: "1" },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  });
  const { code } = await child.output();
  return code;
}
