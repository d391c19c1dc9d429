/**
 * Percentiles of one run, and medians across rounds.
 *
 * @module
 */

/** A latency distribution in milliseconds (nearest-rank percentiles). */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/**
 * Nearest-rank percentile `q` (0–1) of ascending `sorted`; `NaN` when empty.
 *
 * @example
 * ```ts
 * percentile(Float64Array.of(1, 2, 3, 4), 0.5); // 2
 * ```
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Summarises samples (any order; not modified).
 *
 * @example
 * ```ts
 * summarise(Float64Array.of(3, 1, 2)).p50; // 2
 * ```
 */
export function summarise(samples: Float64Array | readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

/**
 * The median of the finite values (the mean of the middle two for an even count); `NaN` if none.
 *
 * @example
 * ```ts
 * median([3, 1, 2, Number.NaN]); // 2
 * ```
 */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

/** Median, minimum and maximum of per-round values. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: number;
}

/**
 * The spread of per-round values (non-finite ones ignored).
 *
 * @example
 * ```ts
 * spread([2, 1, 3]); // { median: 2, min: 1, max: 3, rounds: 3 }
 * ```
 */
export function spread(values: readonly number[]): Spread {
  const finite = values.filter(Number.isFinite);
  return {
    median: median(finite),
    min: finite.length === 0 ? Number.NaN : Math.min(...finite),
    max: finite.length === 0 ? Number.NaN : Math.max(...finite),
    rounds: finite.length,
  };
}
