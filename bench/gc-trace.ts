/**
 * V8's GC trace of a benchmarked server (`--v8-flags=--trace-gc-nvp`, one `GC: {…}` JSON object
 * per collection on the process's stdout): young-generation collections (scavenges, `gc: "s"`)
 * with their pause and the bytes that survived them, kept with the time they were read so a load
 * window can take its own (issue 15: P0's tail came from young-GC pauses and what survived them).
 *
 * @module
 */
import { percentile } from "./stats.ts";

/** One young-generation collection. */
export interface ScavengeEvent {
  /** `performance.now()` of the benchmark when the line was read. */
  readonly at: number;
  /** Pause, milliseconds. */
  readonly pauseMs: number;
  /** Bytes that survived the collection, promoted ones included (`new_space_survived`). */
  readonly survivedBytes: number;
  /** Bytes promoted to the old generation (`promoted`). */
  readonly promotedBytes: number;
}

/** The young-GC figures of one load. */
export interface GcSummary {
  /** Scavenges during the load. */
  readonly scavenges: number;
  readonly pauseMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Median bytes surviving a scavenge (copied within the young generation or promoted), KiB. */
  readonly survivedKiB: number;
  /** Median bytes promoted by a scavenge, KiB. */
  readonly promotedKiB: number;
}

/**
 * The scavenge in one line of `--trace-gc-nvp` output, or undefined for any other line (other
 * collections, other output).
 *
 * @example
 * ```ts
 * parseGcLine('[1:0x1:0]  9 ms: GC: {"pause":0.4,"gc":"s","new_space_survived":2048,"promoted":0}', 5)
 *   ?.pauseMs; // 0.4
 * ```
 */
export function parseGcLine(line: string, at: number): ScavengeEvent | undefined {
  const start = line.indexOf("GC: {");
  if (start < 0) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line.slice(start + 4));
  } catch {
    return undefined;
  }
  if (record.gc !== "s" || typeof record.pause !== "number") return undefined;
  const number = (value: unknown) => typeof value === "number" ? value : 0;
  return {
    at,
    pauseMs: record.pause,
    survivedBytes: number(record.new_space_survived),
    promotedBytes: number(record.promoted),
  };
}

/**
 * Summarises the scavenges of `events` between `from` and `to` (`performance.now()` times).
 *
 * @example
 * ```ts
 * summariseGc([{ at: 1, pauseMs: 0.2, survivedBytes: 4096, promotedBytes: 0 }], 0, 2).scavenges; // 1
 * ```
 */
export function summariseGc(
  events: readonly ScavengeEvent[],
  from: number,
  to: number,
): GcSummary {
  const inside = events.filter((event) => event.at >= from && event.at <= to);
  const sorted = (values: number[]) => Float64Array.from(values).sort();
  const pauses = sorted(inside.map((event) => event.pauseMs));
  const survived = sorted(inside.map((event) => event.survivedBytes));
  const promoted = sorted(inside.map((event) => event.promotedBytes));
  return {
    scavenges: inside.length,
    pauseMs: {
      p50: percentile(pauses, 0.5),
      p99: percentile(pauses, 0.99),
      max: pauses.length > 0 ? pauses[pauses.length - 1]! : Number.NaN,
    },
    survivedKiB: percentile(survived, 0.5) / 1024,
    promotedKiB: percentile(promoted, 0.5) / 1024,
  };
}
