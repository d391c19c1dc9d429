/**
 * From per-round measurements to the figures the report prints: per variant the median across
 * rounds; per comparison the median of the per-round differences and ratios (variants of one
 * round are paired, Part B3); and the issue's three targets.
 *
 * @module
 */
import type { VariantMeasurement } from "./measure.ts";
import { type Spread, spread } from "./stats.ts";
import type { VariantId } from "./variants.ts";

/** One variant's figures in one stub profile. */
export interface VariantRow {
  readonly variant: VariantId;
  /** wrk requests per second. */
  readonly rps: Spread;
  /** By rate: latency from the intended send time. */
  readonly rates: Readonly<Record<string, { readonly p50: Spread; readonly p99: Spread }>>;
  /** Non-200 answers, broken connections and unanswered requests, all rounds and loads. */
  readonly errors: number;
  readonly peakRssMiB: Spread;
  /** CPU of the variant's server per request, µs, under {@linkcode cpuLoad}'s load. */
  readonly cpuMicrosPerRequest: Spread;
  /** Young-GC figures of the variant's Deno server at {@linkcode gcRate}'s rate. */
  readonly gc: {
    readonly scavenges: Spread;
    readonly pauseP50Ms: Spread;
    readonly pauseP99Ms: Spread;
    readonly survivedKiB: Spread;
  };
  /** Rounds in which the variant could not be measured, with why. */
  readonly failures: readonly string[];
}

/** A difference `a − b` (and ratio `a / b`), paired per round. */
export interface Comparison {
  readonly label: string;
  readonly a: VariantId;
  readonly b: VariantId;
  readonly rps: { readonly diff: Spread; readonly ratio: Spread };
  /** CPU per request, µs. */
  readonly cpu: { readonly diff: Spread; readonly ratio: Spread };
  readonly rates: Readonly<
    Record<string, {
      readonly p50: { readonly diff: Spread; readonly ratio: Spread };
      readonly p99: { readonly diff: Spread; readonly ratio: Spread };
    }>
  >;
}

/** How much other processes' CPU the loads of a profile ran beside. */
export interface Contention {
  readonly loads: number;
  /** Loads during which other processes used more than {@linkcode contendedPct}% of a CPU. */
  readonly contended: number;
  readonly medianForeignPct: number;
  readonly maxForeignPct: number;
}

/** Above this share of one CPU taken by other processes, a load counts as contended. */
export const contendedPct = 25;

/** Everything of one stub profile. */
export interface ProfileSummary {
  readonly stubDelayMs: number;
  /** The load CPU per request is read from (`wrk`, or the highest paced rate). */
  readonly cpuLoad: string;
  /** The paced rate GC figures are read from (1,000/s when run, else the highest). */
  readonly gcRate: string;
  readonly contention: Contention;
  readonly rows: readonly VariantRow[];
  readonly comparisons: readonly Comparison[];
}

/** One of the issue's targets. */
export interface TargetResult {
  readonly target: string;
  readonly measured: string;
  /** `true` met, `false` not met, `undefined` not measurable in this run. */
  readonly met: boolean | undefined;
}

const comparisonPlan: ReadonlyArray<readonly [string, VariantId, VariantId]> = [
  ["N vs D", "N", "D"],
  ["FF vs D", "FF", "D"],
  ["FP vs D", "FP", "D"],
  ["P0 vs D", "P0", "D"],
  ["P0P vs D", "P0P", "D"],
  ["FF vs N", "FF", "N"],
  ["FP vs N", "FP", "N"],
  ["FP vs FF", "FP", "FF"],
  ["FU vs N", "FU", "N"],
  ["FP vs FU", "FP", "FU"],
  ["P0 vs FF", "P0", "FF"],
  ["P0P vs FP", "P0P", "FP"],
  ["P0P vs P0", "P0P", "P0"],
  ["P0P vs N", "P0P", "N"],
  ["PH vs D", "PH", "D"],
  ["PM vs D", "PM", "D"],
  ["P0 vs N", "P0", "N"],
  ["PH vs N", "PH", "N"],
  ["PM vs N", "PM", "N"],
  ["hit cost PH − P0P", "PH", "P0P"],
  ["miss cost PM − P0P", "PM", "P0P"],
  ["resolve miss cost RM − RH", "RM", "RH"],
];

const ok = (m: VariantMeasurement) => m.failure === undefined;

function wrkRps(m: VariantMeasurement): number {
  return "requestsPerSecond" in m.wrk ? m.wrk.requestsPerSecond : Number.NaN;
}

function errorsOf(m: VariantMeasurement): number {
  let errors = "errors" in m.wrk ? m.wrk.errors : 0;
  for (const run of Object.values(m.paced)) errors += run.errors + run.timeouts;
  return errors;
}

/** Summarises one stub profile. */
export function summariseProfile(
  measurements: readonly VariantMeasurement[],
  stubDelayMs: number,
  rates: readonly number[],
): ProfileSummary {
  const inProfile = measurements.filter((m) => m.stubDelayMs === stubDelayMs);
  const cpuLoad = inProfile.some((m) => "requestsPerSecond" in m.wrk)
    ? "wrk"
    : String(Math.max(...rates));
  const gcRate = rates.includes(1000) ? "1000" : String(Math.max(...rates));
  const cpuOf = (m: VariantMeasurement) => m.cpuMicrosPerRequest[cpuLoad] ?? Number.NaN;
  const gcOf = (m: VariantMeasurement) => m.gc[gcRate];
  const variants = [...new Set(inProfile.map((m) => m.variant))];
  const of = (variant: VariantId) => inProfile.filter((m) => m.variant === variant && ok(m));
  const rows = variants.map((variant): VariantRow => {
    const runs = of(variant);
    return {
      variant,
      rps: spread(runs.map(wrkRps)),
      rates: Object.fromEntries(rates.map((rate) => [String(rate), {
        p50: spread(runs.map((m) => m.paced[rate]?.latencyMs.p50 ?? Number.NaN)),
        p99: spread(runs.map((m) => m.paced[rate]?.latencyMs.p99 ?? Number.NaN)),
      }])),
      errors: runs.reduce((sum, m) => sum + errorsOf(m), 0),
      peakRssMiB: spread(runs.map((m) => m.peakRssMiB ?? Number.NaN)),
      cpuMicrosPerRequest: spread(runs.map(cpuOf)),
      gc: {
        scavenges: spread(runs.map((m) => gcOf(m)?.scavenges ?? Number.NaN)),
        pauseP50Ms: spread(runs.map((m) => gcOf(m)?.pauseMs.p50 ?? Number.NaN)),
        pauseP99Ms: spread(runs.map((m) => gcOf(m)?.pauseMs.p99 ?? Number.NaN)),
        survivedKiB: spread(runs.map((m) => gcOf(m)?.survivedKiB ?? Number.NaN)),
      },
      failures: [
        ...inProfile.filter((m) => m.variant === variant && !ok(m)).map((m) =>
          `round ${m.round}: ${m.failure}`
        ),
        ...runs.filter((m) => m.serverErrors !== undefined).map((m) =>
          `round ${m.round}: errors answered; the server logged ${
            m.serverErrors!.length === 0 ? "nothing" : m.serverErrors![0]!.slice(0, 300)
          }`
        ),
      ],
    };
  });
  const comparisons: Comparison[] = [];
  for (const [label, a, b] of comparisonPlan) {
    const pairs = of(a).flatMap((x) => {
      const y = of(b).find((m) => m.round === x.round);
      return y ? [[x, y] as const] : [];
    });
    if (pairs.length === 0) continue;
    const paired = (value: (m: VariantMeasurement) => number) => ({
      diff: spread(pairs.map(([x, y]) => value(x) - value(y))),
      ratio: spread(pairs.map(([x, y]) => value(x) / value(y))),
    });
    comparisons.push({
      label,
      a,
      b,
      rps: paired(wrkRps),
      cpu: paired(cpuOf),
      rates: Object.fromEntries(rates.map((rate) => [String(rate), {
        p50: paired((m) => m.paced[rate]?.latencyMs.p50 ?? Number.NaN),
        p99: paired((m) => m.paced[rate]?.latencyMs.p99 ?? Number.NaN),
      }])),
    });
  }
  const foreign = inProfile.flatMap((m) => Object.values(m.cpu).map((c) => c.foreignPct));
  const foreignSpread = spread(foreign);
  const contention = {
    loads: foreign.length,
    contended: foreign.filter((pct) => pct > contendedPct).length,
    medianForeignPct: foreignSpread.median,
    maxForeignPct: foreignSpread.max,
  };
  return { stubDelayMs, cpuLoad, gcRate, contention, rows, comparisons };
}

const fmt = (value: number, digits = 2) => Number.isFinite(value) ? value.toFixed(digits) : "n/a";

/**
 * Issue 15's targets, judged on every profile that has the figures, for P0 and for P0 with the
 * pooled client (P0P): throughput ≥ 0.45× nginx's; CPU per request ≤ 1.5× the pooled bare
 * forwarder's (FP); ≤ 2 ms added at p99 over the direct path at 1,000 req/s; young-GC pauses
 * under 0.5 ms median; PH within 5% of P0P in throughput.
 */
export function judgeTargets(profiles: readonly ProfileSummary[]): TargetResult[] {
  const results: TargetResult[] = [];
  for (const profile of profiles) {
    const find = (label: string) => profile.comparisons.find((c) => c.label === label);
    const row = (variant: VariantId) => profile.rows.find((r) => r.variant === variant);
    const stub = `stub ${profile.stubDelayMs} ms`;
    for (const p of ["P0", "P0P"] as const) {
      if (!row(p)) continue;
      const vsN = find(`${p} vs N`)?.rps.ratio.median ?? Number.NaN;
      results.push({
        target: `${p} throughput ≥ 0.45× nginx's (${stub})`,
        measured: `${p}/N req/s ×${fmt(vsN)}`,
        met: Number.isFinite(vsN) ? vsN >= 0.45 : undefined,
      });
      const pair = p === "P0" ? undefined : find("P0P vs FP");
      const cpuRatio = p === "P0"
        ? row("P0")!.cpuMicrosPerRequest.median / (row("FP")?.cpuMicrosPerRequest.median ?? NaN)
        : pair?.cpu.ratio.median ?? Number.NaN;
      results.push({
        target: `${p} CPU per request ≤ 1.5× FP's (${stub}, ${
          profile.cpuLoad === "wrk" ? "wrk" : `@${profile.cpuLoad}/s`
        })`,
        measured: `${p}/FP CPU µs per request ×${fmt(cpuRatio)}`,
        met: Number.isFinite(cpuRatio) ? cpuRatio <= 1.5 : undefined,
      });
      const added = find(`${p} vs D`)?.rates["1000"]?.p99.diff.median ?? Number.NaN;
      results.push({
        target: `${p} adds ≤ 2 ms at p99 at 1,000 req/s (${stub})`,
        measured: `Δp99 = ${fmt(added)} ms (${p} − D, median of rounds)`,
        met: Number.isFinite(added) ? added <= 2 : undefined,
      });
      const pause = row(p)!.gc.pauseP50Ms.median;
      results.push({
        target: `${p} young-GC pause median < 0.5 ms (${stub}, @${profile.gcRate}/s)`,
        measured: `${fmt(pause)} ms`,
        met: Number.isFinite(pause) ? pause < 0.5 : undefined,
      });
    }
    const hit = find("hit cost PH − P0P");
    if (hit) {
      const rps = hit.rps.ratio.median;
      results.push({
        target: `PH within 5% of P0P in throughput (${stub})`,
        measured: `PH/P0P req/s ×${fmt(rps)}`,
        met: Number.isFinite(rps) ? rps >= 0.95 : undefined,
      });
    }
  }
  return results;
}
