/**
 * `deno task bench [--quick]`: the load benchmark of issue 5 (method: style-and-performance.md
 * Part B3). Per round and stub profile it starts the stub, then every variant afresh in
 * alternating order, measures paced latency and wrk throughput, and finally prints the tables,
 * writes `bench/results/<timestamp>.json` and (full runs) runs the `Deno.bench` micro-benchmarks.
 *
 * Options (`--help` lists them): `--quick` (smoke check, about two minutes), `--rounds N`, `--seconds S`,
 * `--jit-warmup S`, `--warmup S`, `--lead-in S`, `--rates 500,1000,2000`, `--connections 64`, `--profiles 0,15`,
 * `--variants D,N,P0,…`, `--no-micro`, `--out FILE`. A usage problem is one line and exit 2.
 *
 * @module
 */
import { readEnvironment } from "./environment.ts";
import { measureVariant, type VariantMeasurement } from "./measure.ts";
import { runMicroBenchmarks } from "./micro.ts";
import { installHint } from "./nginx.ts";
import { problemLine } from "../client/command-line.ts";
import { benchHelp, type BenchOptions, parseBenchOptions } from "./options.ts";
import { allowedCpus, cpuPlan } from "./processes.ts";
import { renderEnvironment, renderProfile, renderTargets, renderVariantKey } from "./report.ts";
import { judgeTargets, summariseProfile } from "./summary.ts";
import { benchRequestHeaders, directoryOnlyVariants, startStub } from "./variants.ts";

function progress(m: VariantMeasurement, rates: readonly number[]): string {
  if (m.failure) return `${m.variant}: FAILED: ${m.failure.split("\n")[0]}`;
  const rps = "requestsPerSecond" in m.wrk ? `${Math.round(m.wrk.requestsPerSecond)} req/s` : "-";
  const lat = rates.map((r) => {
    const run = m.paced[r];
    return run ? `@${r}/s ${run.latencyMs.p50.toFixed(2)}/${run.latencyMs.p99.toFixed(2)} ms` : "";
  }).join(", ");
  return `${m.variant}: ${rps}; p50/p99 ${lat}; peak ${m.peakRssMiB?.toFixed(0) ?? "–"} MiB`;
}

async function runRounds(
  options: BenchOptions,
  context: { cpus: Awaited<ReturnType<typeof cpuPlan>>; wrkMissing: string | undefined },
  variants: BenchOptions["variants"],
): Promise<VariantMeasurement[]> {
  const measurements: VariantMeasurement[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    const forward = round % 2 === 1;
    const profiles = forward ? options.profiles : [...options.profiles].reverse();
    for (const delay of profiles) {
      const stub = await startStub(context.cpus.server, delay);
      try {
        const headers = benchRequestHeaders(stub.info.url);
        const list = variants.filter((v) =>
          delay === options.profiles[0] || !directoryOnlyVariants.includes(v)
        );
        const order = forward ? list : [...list].reverse();
        for (const [position, variant] of order.entries()) {
          const m = await measureVariant(variant, {
            stubUrl: stub.info.url,
            stubDelayMs: delay,
            round,
            position,
            cpus: context.cpus,
            rates: options.rates,
            seconds: options.seconds,
            warmupSeconds: options.warmupSeconds,
            jitWarmupSeconds: options.jitWarmupSeconds,
            leadInSeconds: options.leadInSeconds,
            connections: options.connections,
            headers,
            wrkMissing: context.wrkMissing,
            stubPid: stub.pid,
            quiet: options.quick
              ? { maxSeconds: 0, thresholdPct: 20, windowSeconds: 0.25 }
              : { maxSeconds: 15, thresholdPct: 20, windowSeconds: 1 },
          });
          measurements.push(m);
          console.error(
            `round ${round}/${options.rounds}, stub ${delay} ms, ${progress(m, options.rates)}`,
          );
        }
      } finally {
        await stub.stop();
      }
    }
  }
  return measurements;
}

/** The options, or `undefined` after printing the help or the one-line usage problem. */
function optionsOrExit(args: readonly string[]): BenchOptions | undefined {
  let options: BenchOptions | "help";
  try {
    options = parseBenchOptions(args);
  } catch (error) {
    console.error(problemLine("gpc-edge bench", error));
    Deno.exitCode = 2;
    return undefined;
  }
  if (options === "help") {
    console.log(benchHelp);
    return undefined;
  }
  return options;
}

async function main(): Promise<void> {
  const options = optionsOrExit(Deno.args);
  if (!options) return;
  Deno.chdir(new URL("..", import.meta.url).pathname);
  const started = Date.now();
  const cpus = await cpuPlan();
  const command = ["deno task bench", ...Deno.args].join(" ");
  const env = await readEnvironment(command, cpus.description, (await allowedCpus()).length);
  const wrkMissing = env.wrk ? undefined : `wrk is not installed (${installHint})`;
  const notes: string[] = [];
  if (wrkMissing) notes.push(`Skipping wrk throughput: ${wrkMissing}.`);
  let variants = options.variants;
  if (!env.nginx && variants.includes("N")) {
    variants = variants.filter((v) => v !== "N");
    notes.push(`Skipping N: nginx is not installed (${installHint}).`);
  }
  for (const note of notes) console.error(note);
  console.error(
    `gpc-edge bench: ${options.rounds} round(s), variants ${variants.join(", ")}, profiles ${
      options.profiles.join(", ")
    } ms${options.quick ? " (quick: a smoke check, not figures to publish)" : ""}`,
  );

  const measurements = await runRounds(options, { cpus, wrkMissing }, variants);
  const profiles = options.profiles.map((p) => summariseProfile(measurements, p, options.rates));
  const targets = judgeTargets(profiles);
  const micro = options.micro ? await runMicroBenchmarks() : undefined;

  const report = [
    `## gpc-edge benchmark${options.quick ? " (quick)" : ""}`,
    "",
    renderEnvironment(env, options),
    ...(notes.length > 0 ? ["", ...notes.map((n) => `- ${n}`)] : []),
    "",
    "Variants:",
    "",
    renderVariantKey(),
    "",
    ...profiles.flatMap((p) => [renderProfile(p, options.rates), ""]),
    "### Targets",
    "",
    renderTargets(targets),
    ...(micro ? ["", micro.markdown] : []),
  ].join("\n");
  console.log(report);

  const out = options.out ??
    `bench/results/${new Date(started).toISOString().replace(/[:.]/g, "-")}.json`;
  await Deno.mkdir(out.slice(0, out.lastIndexOf("/")) || ".", { recursive: true });
  await Deno.writeTextFile(
    out,
    JSON.stringify(
      {
        version: 1,
        environment: env,
        options,
        notes,
        durationSeconds: Math.round((Date.now() - started) / 1000),
        profiles,
        targets,
        micro: micro?.results,
        measurements,
      },
      null,
      1,
    ) + "\n",
  );
  console.error(`Wrote ${out} (${Math.round((Date.now() - started) / 1000)} s)`);
}

if (import.meta.main) await main();
