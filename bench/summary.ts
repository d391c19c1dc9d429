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
  /** Rounds in which the variant could not be measured, with why. */
  readonly failures: readonly string[];
}

/** A difference `a − b` (and ratio `a / b`), paired per round. */
export interface Comparison {
  readonly label: string;
  readonly a: VariantId;
  readonly b: VariantId;
  readonly rps: { readonly diff: Spread; readonly ratio: Spread };
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
  ["P0 vs D", "P0", "D"],
  ["PH vs D", "PH", "D"],
  ["PM vs D", "PM", "D"],
  ["P0 vs N", "P0", "N"],
  ["PH vs N", "PH", "N"],
  ["PM vs N", "PM", "N"],
  ["hit cost PH − P0", "PH", "P0"],
  ["miss cost PM − P0", "PM", "P0"],
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
      failures: inProfile.filter((m) => m.variant === variant && !ok(m)).map((m) =>
        `round ${m.round}: ${m.failure}`
      ),
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
  return { stubDelayMs, contention, rows, comparisons };
}

const fmt = (value: number, digits = 2) => Number.isFinite(value) ? value.toFixed(digits) : "n/a";

/** The issue's targets, judged on every profile that has the figures. */
export function judgeTargets(profiles: readonly ProfileSummary[]): TargetResult[] {
  const results: TargetResult[] = [];
  for (const profile of profiles) {
    const find = (label: string) => profile.comparisons.find((c) => c.label === label);
    const stub = `stub ${profile.stubDelayMs} ms`;
    const p0d = find("P0 vs D")?.rates["1000"];
    const added = p0d?.p99.diff.median ?? Number.NaN;
    results.push({
      target: `P0 adds < 1 ms at p99 at 1,000 req/s (${stub})`,
      measured: `Δp99 = ${fmt(added)} ms (P0 − D, median of rounds)`,
      met: Number.isFinite(added) ? added < 1 : undefined,
    });
    const hit = find("hit cost PH − P0");
    if (hit) {
      const rps = hit.rps.ratio.median;
      const p50 = hit.rates["1000"]?.p50.ratio.median ?? Number.NaN;
      const p99 = hit.rates["1000"]?.p99.ratio.median ?? Number.NaN;
      const checks = [rps >= 0.9, p50 <= 1.1, p99 <= 1.1];
      const known = [rps, p50, p99].every(Number.isFinite);
      results.push({
        target: `PH within 10% of P0 (${stub})`,
        measured: `PH/P0: req/s ×${fmt(rps)}, p50@1000/s ×${fmt(p50)}, p99@1000/s ×${fmt(p99)}`,
        met: known ? checks.every(Boolean) : undefined,
      });
    }
    const p0n = find("P0 vs N")?.rps.ratio.median ?? Number.NaN;
    results.push({
      target: `P0 throughput ≥ 70% of nginx (${stub})`,
      measured: `P0/N req/s = ${Number.isFinite(p0n) ? `${fmt(p0n * 100, 0)}%` : "n/a"}`,
      met: Number.isFinite(p0n) ? p0n >= 0.7 : undefined,
    });
  }
  return results;
}
