/**
 * Runs the `Deno.bench` micro-benchmarks (`bench/*.bench.ts`) with `--json` and turns them into
 * a table: average and p99 per iteration, and the ratio to the group's baseline.
 *
 * @module
 */
import { runToCompletion } from "./processes.ts";

/** One micro-benchmark's figures (nanoseconds per iteration). */
export interface MicroResult {
  readonly group: string;
  readonly name: string;
  readonly baseline: boolean;
  readonly n: number;
  readonly avgNs: number;
  readonly p99Ns: number;
}

interface DenoBenchJson {
  readonly benches: ReadonlyArray<{
    readonly group: string | null;
    readonly name: string;
    readonly baseline: boolean;
    readonly results: ReadonlyArray<
      { readonly ok?: { n: number; avg: number; p99: number }; readonly failed?: unknown }
    >;
  }>;
}

/**
 * Parses `deno bench --json` output.
 *
 * @example
 * ```ts
 * parseDenoBenchJson('{"benches":[]}'); // []
 * ```
 */
export function parseDenoBenchJson(text: string): MicroResult[] {
  const json = JSON.parse(text) as DenoBenchJson;
  return json.benches.flatMap((bench) => {
    const ok = bench.results[0]?.ok;
    if (!ok) return [];
    return [{
      group: bench.group ?? "",
      name: bench.name,
      baseline: bench.baseline,
      n: ok.n,
      avgNs: ok.avg,
      p99Ns: ok.p99,
    }];
  });
}

/** The micro-benchmarks as a Markdown table. */
export function renderMicro(results: readonly MicroResult[]): string {
  const us = (ns: number) => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1);
  const rows = results.map((r) => {
    const baseline = results.find((b) => b.group === r.group && b.baseline);
    const ratio = baseline && !r.baseline ? `×${(r.avgNs / baseline.avgNs).toFixed(2)}` : "";
    return `| ${r.group} | ${r.name}${r.baseline ? " (baseline)" : ""} | ${us(r.avgNs)} | ${
      us(r.p99Ns)
    } | ${ratio} |`;
  });
  return [
    "### Micro-benchmarks (in-process, `deno task bench:micro`)",
    "",
    "| Group | Benchmark | avg µs | p99 µs | vs baseline |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** Runs `deno bench --json bench/`; never throws (a failure is reported in the table's place). */
export async function runMicroBenchmarks(): Promise<
  { results: MicroResult[]; markdown: string }
> {
  console.error("Running the micro-benchmarks (deno bench)…");
  try {
    const output = await runToCompletion({
      command: Deno.execPath(),
      args: ["bench", "--quiet", "--json", "--node-modules-dir=auto", "--allow-read", "bench/"],
    });
    const results = parseDenoBenchJson(output);
    return { results, markdown: renderMicro(results) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { results: [], markdown: `Micro-benchmarks failed: ${message}` };
  }
}
