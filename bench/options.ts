/**
 * The benchmark's command line: `deno task bench [--quick] [--rounds N] [--seconds S] …`, and its
 * `--help`. A usage problem is a {@linkcode UsageError} (one line, exit status 2).
 *
 * @module
 */
import { parseCommandLine, UsageError } from "../client/command-line.ts";
import { allVariants, variantDescriptions, type VariantId } from "./variants.ts";

/** What one `deno task bench` run does. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Rounds; each starts every variant afresh, in alternating order. */
  readonly rounds: number;
  /** Seconds of each paced rate and of the wrk run. */
  readonly seconds: number;
  /** Seconds of paced warm-up (at 1,000/s or the highest rate below it) before measuring. */
  readonly warmupSeconds: number;
  /** Seconds of closed-loop (wrk) load before the paced warm-up, so the JIT has settled. */
  readonly jitWarmupSeconds: number;
  /** Seconds each paced run sends, unmeasured, before its measured window. */
  readonly leadInSeconds: number;
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

/** Defaults of a full run (about 1 h 45 min on 2 cores with every variant). */
export const fullDefaults: BenchOptions = {
  quick: false,
  rounds: 10,
  seconds: 4,
  warmupSeconds: 2,
  jitWarmupSeconds: 5,
  leadInSeconds: 0.5,
  rates: [500, 1000, 2000],
  connections: 64,
  profiles: [0, 15],
  variants: allVariants,
  micro: true,
  out: undefined,
};

/** Defaults of `--quick` (a smoke check: about two minutes with every variant; not for publishing). */
export const quickDefaults: BenchOptions = {
  ...fullDefaults,
  quick: true,
  rounds: 1,
  seconds: 1,
  warmupSeconds: 0.5,
  jitWarmupSeconds: 0.5,
  leadInSeconds: 0.1,
  rates: [1000],
  micro: false,
};

const list = (text: string) => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

function positive(
  name: string,
  text: string | undefined,
  fallback: number,
  zero: "zero allowed" | "" = "",
): number {
  if (text === undefined) return fallback;
  // `Number("")` is 0 and `Number(" 2 ")` is 2: only a plain decimal number counts.
  const value = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || (value === 0 && zero === "")) {
    const expected = zero === "" ? "a positive number" : "a number >= 0";
    throw new UsageError(`--${name}: expected ${expected}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The `--help` text. */
export const benchHelp = [
  "The load benchmark: paced latency and wrk throughput of gpc-edge's SSP route and directory",
  "against a stub provider, beside a direct call and nginx. Writes bench/results/<time>.json.",
  "",
  "Usage: deno task bench [flags]",
  "",
  "Flags:",
  `  --quick              a smoke check (1 round, 1 s per rate, no micro-benchmarks), about two`,
  "                       minutes with every variant; figures not for publishing",
  `  --rounds N           rounds, each starting every variant afresh (default ${fullDefaults.rounds})`,
  `  --seconds S          seconds of each paced rate and of the wrk run (default ${fullDefaults.seconds})`,
  `  --jit-warmup S       seconds of wrk load first, so the JIT settles (default ${fullDefaults.jitWarmupSeconds})`,
  `  --warmup S           seconds of paced warm-up after it, and of wrk warm-up before wrk (default ${fullDefaults.warmupSeconds})`,
  `  --lead-in S          seconds each paced run sends before it measures (default ${fullDefaults.leadInSeconds})`,
  `  --rates A,B          paced rates, requests per second (default ${
    fullDefaults.rates.join(",")
  })`,
  `  --connections N      keep-alive connections of the generator, wrk and nginx (default ${fullDefaults.connections})`,
  `  --profiles A,B       stub delays in milliseconds (default ${fullDefaults.profiles.join(",")})`,
  `  --variants A,B       variants to run (default all: ${allVariants.join(",")})`,
  "  --no-micro           skip the Deno.bench micro-benchmarks after the load benchmark",
  "  --out FILE           where the JSON goes (default bench/results/<time>.json)",
  "  -h, --help           this text",
  "",
  "Variants:",
  ...allVariants.map((id) => `  ${id.padEnd(3)} ${variantDescriptions[id]}`),
  "",
  "Every row also reports the server's CPU per request (from /proc: under wrk, else at the",
  "highest paced rate) and, for the Deno servers, young-GC collections at 1,000/s: count,",
  "median/p99 pause and KiB surviving one (V8's --trace-gc-nvp on the server's stdout).",
  "",
  "Environment variables: none. wrk and nginx are used when installed (their rows are skipped",
  "otherwise, with a note).",
].join("\n");

/**
 * Parses the command line over the full or quick defaults.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const options = parseBenchOptions(["--quick"]);
 * assert.equal(options !== "help" && options.rounds, 1);
 * ```
 */
export function parseBenchOptions(args: readonly string[]): BenchOptions | "help" {
  const line = parseCommandLine(args, {
    options: {
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      seconds: { type: "string" },
      warmup: { type: "string" },
      "jit-warmup": { type: "string" },
      "lead-in": { type: "string" },
      rates: { type: "string" },
      connections: { type: "string" },
      profiles: { type: "string" },
      variants: { type: "string" },
      "no-micro": { type: "boolean", default: false },
      out: { type: "string" },
    },
  });
  if (line.help) return "help";
  const values = line.values as {
    quick?: boolean;
    rounds?: string;
    seconds?: string;
    warmup?: string;
    "jit-warmup"?: string;
    "lead-in"?: string;
    rates?: string;
    connections?: string;
    profiles?: string;
    variants?: string;
    "no-micro"?: boolean;
    out?: string;
  };
  const base = values.quick ? quickDefaults : fullDefaults;
  const variants = values.variants ? list(values.variants) : base.variants;
  for (const variant of variants) {
    if (!allVariants.includes(variant as VariantId)) {
      throw new UsageError(
        `--variants: unknown variant ${JSON.stringify(variant)} (${allVariants.join(", ")})`,
      );
    }
  }
  const numbers = (name: string, text: string | undefined, fallback: readonly number[]) =>
    text === undefined ? fallback : list(text).map((item) => {
      const value = /^[0-9]+(\.[0-9]+)?$/.test(item) ? Number(item) : Number.NaN;
      if (!Number.isFinite(value)) {
        throw new UsageError(`--${name}: expected numbers >= 0, got ${JSON.stringify(item)}`);
      }
      return value;
    });
  const rates = numbers("rates", values.rates, base.rates).filter((rate) => rate > 0);
  if (rates.length === 0) throw new UsageError("--rates: expected at least one rate above 0");
  return {
    quick: values.quick === true,
    rounds: Math.round(positive("rounds", values.rounds, base.rounds)),
    seconds: positive("seconds", values.seconds, base.seconds),
    warmupSeconds: positive("warmup", values.warmup, base.warmupSeconds),
    jitWarmupSeconds: positive(
      "jit-warmup",
      values["jit-warmup"],
      base.jitWarmupSeconds,
      "zero allowed",
    ),
    leadInSeconds: positive("lead-in", values["lead-in"], base.leadInSeconds, "zero allowed"),
    rates,
    connections: Math.round(positive("connections", values.connections, base.connections)),
    profiles: numbers("profiles", values.profiles, base.profiles),
    variants: allVariants.filter((variant) => variants.includes(variant)),
    micro: base.micro && !values["no-micro"],
    out: values.out,
  };
}
