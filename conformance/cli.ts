/**
 * `deno task conformance`: the harness's command line. Parses flags (node:util `parseArgs`),
 * loads the configuration (file < environment < flags), lists or runs the selected cases with
 * live progress, writes the reports and exits with `exitCode(report)` (2 when the harness could
 * not run: usage, configuration, scenario files, profiles).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { usageMessage } from "../client/command-line.ts";
import { fileURLToPath } from "node:url";
import { ConfigError } from "./config/config-error.ts";
import { flagOptions } from "./config/config-sources.ts";
import { loadHarnessConfig } from "./config/load-config.ts";
import { helpText } from "./cli-help.ts";
import type { TestCase } from "./model.ts";
import { caseItem, itemSteps } from "./scenarios/case-steps.ts";
import { formatPreflight } from "./preflight.ts";
import { createProgress, type Progress } from "./report/progress.ts";
import { exitCode, writeReports } from "./report/write-reports.ts";
import type { HarnessDeps } from "./runner/harness-deps.ts";
import { runConformance, withTwins } from "./runner/run.ts";
import { scopeToTarget } from "./runner/target-scope.ts";
import { needsInsecureRerun, rerunInsecure } from "./target/insecure-rerun.ts";
import type { Target } from "./target/target.ts";

/** Where the CLI writes and what it reads from its process. */
export interface CliIo {
  /** Standard output (no newline added). */
  readonly write: (text: string) => void;
  /** Standard error (no newline added). */
  readonly writeError: (text: string) => void;
  /** The environment (`GPC_CONFORMANCE_*`, `GPC_EDGE_PROFILES`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where relative paths start. */
  readonly cwd: string;
  /** Colours and a redrawn status line. */
  readonly terminal: boolean;
}

/** Options for {@linkcode main}. */
export interface MainOptions {
  /** The harness parts; default the real ones (loaded only when needed). */
  readonly deps?: HarnessDeps;
  /** Where it writes and what it reads; default the process's. */
  readonly io?: CliIo;
  /** An open target to use instead of the configured one (tests). */
  readonly target?: Target;
}

function processIo(): CliIo {
  const encoder = new TextEncoder();
  return {
    write: (text) => Deno.stdout.writeSync(encoder.encode(text)),
    writeError: (text) => Deno.stderr.writeSync(encoder.encode(text)),
    env: Deno.env.toObject(),
    cwd: Deno.cwd(),
    terminal: Deno.stdout.isTerminal() && !Deno.env.get("NO_COLOR"),
  };
}

/**
 * Runs the CLI; returns the exit status.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * let out = "";
 * const io = {
 *   write: (text: string) => void (out += text),
 *   writeError: (text: string) => void (out += text),
 *   env: {},
 *   cwd: Deno.cwd(),
 *   terminal: false,
 * };
 * // `--list` names the cases a run of the same selection would run, and runs none.
 * const status = await main(["--product", "foundations", "--tag", "negative", "--list"], { io });
 * assert.equal(status, 0);
 * assert.match(out, /\S/);
 * ```
 */
export async function main(args: readonly string[], options: MainOptions = {}): Promise<number> {
  const io = options.io ?? processIo();
  let values;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        ...flagOptions(),
        config: { type: "string" },
        list: { type: "boolean" },
        verbose: { type: "boolean" },
        "keep-going": { type: "boolean" },
        evidence: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.writeError(`gpc-edge conformance: ${usageMessage(error as Error)} (see --help)\n`);
    return 2;
  }
  if (values.help) {
    io.write(`${helpText()}\n`);
    return 0;
  }
  const evidence = values.evidence ?? "failures";
  if (evidence !== "failures" && evidence !== "all") {
    io.writeError(`gpc-edge conformance: --evidence is failures or all, not "${evidence}"\n`);
    return 2;
  }
  try {
    const config = await loadHarnessConfig({ flags: values, env: io.env, cwd: io.cwd });
    if (!options.target && needsInsecureRerun(config, io.env)) {
      return await rerunInsecure(config, {
        script: fileURLToPath(import.meta.url),
        denoConfig: fileURLToPath(new URL("../deno.json", import.meta.url)),
        args,
      });
    }
    const deps = options.deps ?? (await import("./runner/default-deps.ts")).defaultDeps;
    if (values.list) {
      const all = await deps.loadTestCases();
      const { cases, note } = scopeToTarget(deps.selectTestCases(all, config.selection), config);
      if (note !== undefined) io.write(`NOTE: ${note}\n`);
      io.write(listing(withTwins(cases, all)));
      return 0;
    }
    let progress: Progress | undefined;
    let stopped = false;
    const report = await runConformance({
      config,
      deps,
      keepGoing: values["keep-going"] === true,
      evidence,
      ...(options.target ? { target: options.target } : {}),
      onStart({ total, target, notes }) {
        io.write(`Target: ${target.description}\nRun clock: ${config.clock}\n`);
        for (const note of notes) io.write(`NOTE: ${note}\n`);
        progress = createProgress(total, io.write, {
          color: io.terminal,
          tty: io.terminal,
          verbose: values.verbose === true,
        });
      },
      onPreflight(report, summary) {
        io.write(`${formatPreflight(report, summary)}\n`);
        stopped = summary.stopped;
      },
      onResult: (result) => stopped ? undefined : progress?.onResult(result),
    });
    if (!stopped) progress?.finish(report);
    const paths = await writeReports(report, {
      outDir: config.outDir,
      formats: config.formats,
      evidence,
    });
    for (const [format, path] of Object.entries(paths)) io.write(`${format}: ${path}\n`);
    return exitCode(report);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.writeError(`Configuration error: ${error.message}\n`);
      return 2;
    }
    // The harness could not run (scenario files, profiles, the local world): say why, no trace.
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    io.writeError(`${name}: ${message}\n`);
    return 2;
  }
}

/** `--list`: one line per case (id, product, interaction, requirements) and the count. */
export function listing(cases: readonly TestCase[]): string {
  const lines = cases.map((testCase) => {
    const item = caseItem(testCase);
    const interaction = itemSteps(item)[0]?.request.interaction ?? "";
    const kind = testCase.kind === "scenario" ? "" : ` (${testCase.kind})`;
    return `${item.id}${kind}\t${item.product}\t${interaction}\t${item.requirements.join(",")}`;
  });
  return `${lines.join("\n")}${lines.length > 0 ? "\n" : ""}${cases.length} test(s) selected\n`;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
