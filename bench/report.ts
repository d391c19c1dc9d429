/**
 * The printed report (Markdown, pasted as is into the README): the environment block, then per
 * stub profile the variants table and the comparisons table, then the targets.
 *
 * @module
 */
import type { Environment } from "./environment.ts";
import type { BenchOptions } from "./options.ts";
import type { Spread } from "./stats.ts";
import { contendedPct, type ProfileSummary, type TargetResult } from "./summary.ts";
import { variantDescriptions } from "./variants.ts";

const ms = (value: number) => Number.isFinite(value) ? value.toFixed(2) : "n/a";
const int = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString("en-GB") : "n/a";
const signed = (value: number, text: (v: number) => string) =>
  Number.isFinite(value) ? `${value >= 0 ? "+" : "−"}${text(Math.abs(value))}` : "n/a";
const ratio = (value: number) => Number.isFinite(value) ? `×${value.toFixed(2)}` : "";

/** A throughput cell: median, with the rounds' range when there are several. */
function rpsCell(s: Spread): string {
  if (!Number.isFinite(s.median)) return "n/a";
  return s.rounds > 1 ? `${int(s.median)} (${int(s.min)}–${int(s.max)})` : int(s.median);
}

/** The environment block. */
export function renderEnvironment(env: Environment, options: BenchOptions): string {
  const lines = [
    `- Command: \`${env.command}\``,
    `- Date: ${env.date}`,
    `- Machine: ${env.cpuModel}, ${env.cpus} CPUs, ${env.memoryGiB} GiB; ${env.os} (kernel ${env.kernel})`,
    `- Deno ${env.deno} (V8 ${env.v8}); ${env.wrk ?? "wrk: not installed"}; ${
      env.nginx ?? "nginx: not installed"
    }`,
    `- Pinning: ${env.pinning}`,
    `- Load: paced open-model generator (latency from the intended send time) at ${
      options.rates.join(", ")
    } req/s, ${options.seconds} s each (after ${options.leadInSeconds} s unmeasured), after ` +
    `${options.jitWarmupSeconds} s of wrk warm-up (the JIT settles) and ${options.warmupSeconds} s ` +
    `paced; wrk -t1 for ${options.seconds} s (maximum throughput) after ${options.warmupSeconds} s ` +
    `of wrk warm-up; ` +
    `${options.connections} keep-alive connections; ` +
    `both hops keep-alive`,
    `- Payload: GET, 1,024-byte JSON answer; stub profiles: ${
      options.profiles.map((p) => `${p} ms`).join(", ")
    } added delay`,
    `- Rounds: ${options.rounds}, each variant a fresh process per round, order reversed every ` +
    `other round; figures are medians across rounds`,
    `- Load average at start: ${env.loadAverage}`,
  ];
  return lines.join("\n");
}

/** The variants and comparisons tables of one profile. */
export function renderProfile(profile: ProfileSummary, rates: readonly number[]): string {
  const head = [
    "Variant",
    "wrk req/s (min–max)",
    ...rates.flatMap((r) => [`p50 @${r}/s`, `p99 @${r}/s`]),
    "errors",
    "peak RSS MiB",
    `CPU µs/req (${profile.cpuLoad === "wrk" ? "wrk" : `@${profile.cpuLoad}/s`})`,
    `young GCs @${profile.gcRate}/s`,
    "GC pause p50/p99 ms",
    "KiB surviving a GC",
  ];
  const rows = profile.rows.map((row) => [
    row.variant,
    rpsCell(row.rps),
    ...rates.flatMap((r) => [ms(row.rates[r]!.p50.median), ms(row.rates[r]!.p99.median)]),
    String(row.errors),
    Number.isFinite(row.peakRssMiB.median) ? row.peakRssMiB.median.toFixed(0) : "–",
    Number.isFinite(row.cpuMicrosPerRequest.median)
      ? row.cpuMicrosPerRequest.median.toFixed(0)
      : "–",
    Number.isFinite(row.gc.scavenges.median) ? row.gc.scavenges.median.toFixed(0) : "–",
    Number.isFinite(row.gc.pauseP50Ms.median)
      ? `${row.gc.pauseP50Ms.median.toFixed(2)}/${row.gc.pauseP99Ms.median.toFixed(2)}`
      : "–",
    Number.isFinite(row.gc.survivedKiB.median) ? row.gc.survivedKiB.median.toFixed(1) : "–",
  ]);
  const compareHead = [
    "Comparison",
    "req/s Δ (ratio)",
    "CPU µs/req Δ (ratio)",
    ...rates.flatMap((r) => [`Δp50 @${r}/s`, `Δp99 @${r}/s`]),
  ];
  const compareRows = profile.comparisons.map((c) => [
    c.label,
    `${signed(c.rps.diff.median, int)} (${ratio(c.rps.ratio.median)})`,
    `${signed(c.cpu.diff.median, int)} (${ratio(c.cpu.ratio.median)})`,
    ...rates.flatMap((r) => {
      const cell = c.rates[r]!;
      return [
        `${signed(cell.p50.diff.median, ms)} ${ratio(cell.p50.ratio.median)}`,
        `${signed(cell.p99.diff.median, ms)} ${ratio(cell.p99.ratio.median)}`,
      ];
    }),
  ]);
  const failures = profile.rows.flatMap((row) => row.failures.map((f) => `- ${row.variant} ${f}`));
  const c = profile.contention;
  return [
    `### Stub delay ${profile.stubDelayMs} ms`,
    "",
    "Latencies in ms from the intended send time (paced); medians across rounds. Other " +
    `processes' CPU during the loads: median ${c.medianForeignPct.toFixed(0)}%, max ${
      c.maxForeignPct.toFixed(0)
    }% of one CPU; ${c.contended} of ${c.loads} loads above ${contendedPct}%.`,
    "",
    table(head, rows),
    "",
    "Differences and ratios (a − b, a / b) per round, then the median across rounds; ms.",
    "",
    table(compareHead, compareRows),
    ...(failures.length > 0 ? ["", "Failures:", ...failures] : []),
  ].join("\n");
}

/** The targets table. */
export function renderTargets(targets: readonly TargetResult[]): string {
  return table(
    ["Target", "Measured", "Status"],
    targets.map((t) => [
      t.target,
      t.measured,
      t.met === undefined ? "not measured" : t.met ? "met" : "not met",
    ]),
  );
}

/** What each variant is. */
export function renderVariantKey(): string {
  return Object.entries(variantDescriptions).map(([id, text]) => `- ${id}: ${text}`).join("\n");
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}
