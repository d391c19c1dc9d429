/**
 * The benchmark's command line: `deno task bench [--quick] [--rounds N] [--seconds S] …`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { allVariants, type VariantId } from "./variants.ts";

/** What one `deno task bench` run does. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Rounds; each starts every variant afresh, in alternating order. */
  readonly rounds: number;
  /** Seconds of each paced rate and of the wrk run. */
  readonly seconds: number;
  /** Seconds of paced warm-up (at 1,000/s or the highest rate below it) before measuring. */
  readonly warmupSeconds: number;
  /** Paced rates, requests per second. */
  readonly rates: readonly number[];
  /** Keep-alive connections of the generator, wrk and nginx's upstream pool. */
  readonly connections: number;
  /** Stub profiles: added delay in milliseconds. */
  readonly profiles: readonly number[];
  readonly variants: readonly VariantId[];
  /** Whether to run the `Deno.bench` micro-benchmarks after the load benchmark. */
  readonly micro: boolean;
  /** Where the JSON goes; default `bench/results/<timestamp>.json`. */
  readonly out: string | undefined;
}

/** Defaults of a full run (about 50 minutes on 2 cores). */
export const fullDefaults: BenchOptions = {
  quick: false,
  rounds: 10,
  seconds: 4,
  warmupSeconds: 2,
  rates: [500, 1000, 2000],
  connections: 64,
  profiles: [0, 15],
  variants: allVariants,
  micro: true,
  out: undefined,
};

/** Defaults of `--quick` (a smoke check: well under 60 seconds, figures not for publishing). */
export const quickDefaults: BenchOptions = {
  ...fullDefaults,
  quick: true,
  rounds: 1,
  seconds: 1,
  warmupSeconds: 0.5,
  rates: [1000],
  micro: false,
};

const list = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `Invalid --${name}: expected a positive number, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * Parses the command line over the full or quick defaults.
 *
 * @example
 * ```ts
 * parseBenchOptions(["--quick"]).rounds; // 1
 * ```
 */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      seconds: { type: "string" },
      warmup: { type: "string" },
      rates: { type: "string" },
      connections: { type: "string" },
      profiles: { type: "string" },
      variants: { type: "string" },
      "no-micro": { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  const base = values.quick ? quickDefaults : fullDefaults;
  const variants = values.variants ? list(values.variants) : base.variants;
  for (const variant of variants) {
    if (!allVariants.includes(variant as VariantId)) {
      throw new RangeError(
        `Unknown variant ${JSON.stringify(variant)} (${allVariants.join(", ")})`,
      );
    }
  }
  const numbers = (name: string, text: string | undefined, fallback: readonly number[]) =>
    text === undefined ? fallback : list(text).map((item) => {
      const value = Number(item);
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`Invalid --${name}: ${item}`);
      return value;
    });
  return {
    quick: values.quick,
    rounds: Math.round(positive("rounds", values.rounds, base.rounds)),
    seconds: positive("seconds", values.seconds, base.seconds),
    warmupSeconds: positive("warmup", values.warmup, base.warmupSeconds),
    rates: numbers("rates", values.rates, base.rates).filter((rate) => rate > 0),
    connections: Math.round(positive("connections", values.connections, base.connections)),
    profiles: numbers("profiles", values.profiles, base.profiles),
    variants: allVariants.filter((variant) => variants.includes(variant)),
    micro: base.micro && !values["no-micro"],
    out: values.out,
  };
}
