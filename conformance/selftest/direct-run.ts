/**
 * Runs the harness (`--target direct`, the GP Connect profiles) against a provider served on
 * loopback for the duration of the run, the way the provider self-tests do: the provider at
 * `/B82617/STU3/1/gpconnect` (and DSTU2 beside it), the reports written to a temporary directory
 * that is read back and removed.
 *
 * @module
 */
import { main } from "../cli.ts";
import type { RunReport } from "../model.ts";
import { gpConnectProfilesDir } from "../validation/test-profiles.ts";

/** What a run against a provider left. */
export interface DirectRun {
  /** The harness's exit status. */
  readonly status: number;
  readonly report: RunReport;
  /** Everything the harness wrote to stdout and stderr. */
  readonly output: string;
  /** The size in bytes of each file the run wrote to its output directory. */
  readonly fileSizes: Readonly<Record<string, number>>;
}

/**
 * Serves `handler`, runs the harness against it with `args` (e.g. `--product foundations`) and
 * the report `formats`, and stops the server.
 *
 * @example
 * ```ts ignore
 * const { status, report } = await runDirectAgainst(referenceProvider().fetch, ["--product", "foundations"]);
 * ```
 */
export async function runDirectAgainst(
  handler: (request: Request) => Response | Promise<Response>,
  args: readonly string[],
  formats = "json",
): Promise<DirectRun> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-selftest-" });
  try {
    let output = "";
    const base = `http://127.0.0.1:${server.addr.port}/B82617`;
    const status = await main([
      "--target",
      "direct",
      "--base-url",
      `${base}/STU3/1/gpconnect`,
      "--dstu2",
      `${base}/DSTU2/0/gpconnect`,
      "--out",
      dir,
      "--format",
      formats,
      "--profiles",
      gpConnectProfilesDir,
      ...args,
    ], {
      io: {
        write: (text) => void (output += text),
        writeError: (text) => void (output += text),
        env: {},
        cwd: Deno.cwd(),
        terminal: false,
      },
    });
    const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`)) as RunReport;
    const fileSizes: Record<string, number> = {};
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile) fileSizes[entry.name] = (await Deno.stat(`${dir}/${entry.name}`)).size;
    }
    return { status, report, output, fileSizes };
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}
