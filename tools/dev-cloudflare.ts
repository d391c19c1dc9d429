/**
 * `deno task dev:cloudflare`: the Worker bundle under `wrangler dev` (workerd, with local KV,
 * Durable Object and R2 state under `.wrangler/`) against the local sandboxes that `deno task
 * start` runs. wrangler's `[vars]` point at NHS INT; here `GPC_EDGE_PDS_URL` and
 * `GPC_EDGE_SDS_URL` are overridden to the PDS and SDS sandboxes on `GPC_EDGE_PDS_PORT` and
 * `GPC_EDGE_SDS_PORT` (defaults 8081, 8082), and the Worker listens on 127.0.0.1:8787
 * (`GPC_EDGE_WRANGLER_PORT`).
 *
 * The first argument is the pinned wrangler (`npm:wrangler@x.y.z`, in deno.json's task). It runs
 * from Deno's global cache without a lockfile (`--no-lock`), so it never rewrites `deno.lock` and
 * its packages stay out of every other task's downloads. Arguments after `--` go to wrangler.
 *
 * @module
 */
import { parseCommandLine, problemLine } from "../client/command-line.ts";

/** What `wrangler dev` is started with. */
export interface DevCloudflarePlan {
  /** `deno` arguments that run wrangler. */
  readonly args: readonly string[];
  readonly workerUrl: string;
  readonly pdsUrl: string;
  readonly sdsUrl: string;
}

function port(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number) {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= 65535)) {
    throw new Error(`${name}: expected a port from 1 to 65535, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * The `deno` arguments of `wrangler dev` pointed at the sandboxes.
 *
 * @example
 * ```ts
 * const plan = devCloudflarePlan("npm:wrangler@4.86.0", {}, []);
 * plan.workerUrl; // "http://127.0.0.1:8787"
 * ```
 */
export function devCloudflarePlan(
  wrangler: string,
  env: Readonly<Record<string, string | undefined>>,
  extra: readonly string[],
): DevCloudflarePlan {
  if (!/^npm:wrangler@\d+\.\d+\.\d+$/.test(wrangler)) {
    throw new Error(`expected a pinned npm:wrangler@x.y.z first, got ${JSON.stringify(wrangler)}`);
  }
  const pdsUrl = `http://127.0.0.1:${port(env, "GPC_EDGE_PDS_PORT", 8081)}`;
  const sdsUrl = `http://127.0.0.1:${port(env, "GPC_EDGE_SDS_PORT", 8082)}`;
  const workerPort = port(env, "GPC_EDGE_WRANGLER_PORT", 8787);
  return {
    args: [
      "run",
      "--allow-all",
      "--no-lock",
      "--node-modules-dir=none",
      wrangler,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(workerPort),
      "--var",
      `GPC_EDGE_PDS_URL:${pdsUrl}`,
      "--var",
      `GPC_EDGE_SDS_URL:${sdsUrl}`,
      ...extra,
    ],
    workerUrl: `http://127.0.0.1:${workerPort}`,
    pdsUrl,
    sdsUrl,
  };
}

/** The `--help` text. */
export const devCloudflareHelp =
  `Runs the Worker bundle under wrangler dev (workerd) against the local sandboxes.
Start them first, in another terminal: npx -y deno@2.9.6 task start

Usage: deno task dev:cloudflare [-- WRANGLER_FLAGS…]

Environment variables:
  GPC_EDGE_WRANGLER_PORT   port of the Worker on 127.0.0.1 (default 8787)
  GPC_EDGE_PDS_PORT        port of the PDS sandbox the Worker calls (default 8081)
  GPC_EDGE_SDS_PORT        port of the SDS sandbox the Worker calls (default 8082)
Every other GPC_EDGE_* setting comes from wrangler.toml's [vars].`;

async function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  try {
    (await Deno.connect({ hostname, port: Number(port) })).close();
    return true;
  } catch {
    return false;
  }
}

async function main(args: readonly string[]): Promise<number> {
  const split = args.indexOf("--");
  const own = split < 0 ? args : args.slice(0, split);
  const extra = split < 0 ? [] : args.slice(split + 1);
  let plan: DevCloudflarePlan;
  try {
    const line = parseCommandLine(own, { options: {}, maxPositionals: 1 });
    if (line.help) {
      console.log(devCloudflareHelp);
      return 0;
    }
    plan = devCloudflarePlan(line.positionals[0] ?? "", Deno.env.toObject(), extra);
  } catch (error) {
    console.error(problemLine("gpc-edge dev:cloudflare", error));
    return 2;
  }
  for (const [name, url] of [["PDS", plan.pdsUrl], ["SDS", plan.sdsUrl]] as const) {
    if (!(await listening(url))) {
      console.error(
        `gpc-edge dev:cloudflare: no ${name} sandbox at ${url}; start the sandboxes first (npx -y deno@2.9.6 task start)`,
      );
      return 2;
    }
  }
  console.error(`gpc-edge on workerd: ${plan.workerUrl} (PDS ${plan.pdsUrl}, SDS ${plan.sdsUrl})`);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...plan.args],
    // No usage metrics, and no fetch of the `request.cf` object from the internet.
    env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const stop = () => child.kill("SIGINT");
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  return (await child.status).code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
