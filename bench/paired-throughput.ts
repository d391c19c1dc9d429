/**
 * Throughput ratios paired in time (issue 15). The full benchmark measures each variant in turn,
 * minutes apart, so on a shared host a slow spell of a few minutes falls on one variant of a round
 * and not on another (in the sixth pass's published run it fell on nginx in two rounds of four,
 * and P0P/N came out ×0.40–0.64 by round). Here every variant runs at once, idle but for its own
 * turn: each is warmed under wrk, then wrk measures them in short slices, one variant after
 * another, the order rotated each cycle (the variant measured right after another showed a few per
 * cent of bias when the order was fixed), and each cycle's ratios to the first variant are taken
 * within seconds of each other. The median over cycles is what a quiet host would show; the spread
 * is how noisy this one was.
 *
 * Usage: `deno task bench:paired [--variants N,FP,P0P] [--cycles 14] [--seconds 2]
 * [--warmup 6] [--stub-delay-ms 0] [--out FILE]` (the first variant is the one the others are
 * compared with; variants that need a key per request, PM and RM, are not paired).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { cpuMicros } from "./cpu-accounting.ts";
import { childPids, commandExists, cpuPlan } from "./processes.ts";
import { median } from "./stats.ts";
import {
  allVariants,
  benchRequestHeaders,
  type RunningVariant,
  startStub,
  startVariant,
  type VariantId,
} from "./variants.ts";
import { runWrk } from "./wrk.ts";

/** One variant's wrk slice. */
export interface PairedSlice {
  readonly variant: VariantId;
  readonly requestsPerSecond: number;
  /** Its server's CPU per request in the slice (undefined for the direct call). */
  readonly cpuMicrosPerRequest: number | undefined;
  readonly errors: number;
}

/** A variant against the first one, over every cycle. */
export interface PairedComparison {
  readonly variant: VariantId;
  /** Median, minimum and maximum of its throughput over the baseline's, cycle by cycle. */
  readonly ratio: { readonly median: number; readonly min: number; readonly max: number };
  readonly requestsPerSecond: number;
  readonly cpuMicrosPerRequest: number;
  readonly cycles: number;
}

/**
 * The per-cycle throughput ratios of every variant to `baseline`, summarised. A cycle without
 * both slices, or with errors in either, is left out.
 *
 * @example
 * ```ts
 * const slice = (variant: "N" | "P0P", rps: number) =>
 *   ({ variant, requestsPerSecond: rps, cpuMicrosPerRequest: 100, errors: 0 });
 * const [p0p] = pairedComparisons([[slice("N", 20000), slice("P0P", 9000)]], "N");
 * p0p!.ratio.median; // 0.45
 * ```
 */
export function pairedComparisons(
  cycles: ReadonlyArray<ReadonlyArray<PairedSlice>>,
  baseline: VariantId,
): PairedComparison[] {
  const variants = [...new Set(cycles.flat().map((slice) => slice.variant))]
    .filter((variant) => variant !== baseline);
  return variants.map((variant) => {
    const ratios: number[] = [];
    const rates: number[] = [];
    const cpu: number[] = [];
    for (const cycle of cycles) {
      const base = cycle.find((slice) => slice.variant === baseline);
      const own = cycle.find((slice) => slice.variant === variant);
      if (!base || !own || base.errors > 0 || own.errors > 0 || base.requestsPerSecond <= 0) {
        continue;
      }
      ratios.push(own.requestsPerSecond / base.requestsPerSecond);
      rates.push(own.requestsPerSecond);
      if (own.cpuMicrosPerRequest !== undefined) cpu.push(own.cpuMicrosPerRequest);
    }
    return {
      variant,
      ratio: {
        median: median(ratios),
        min: ratios.length ? Math.min(...ratios) : Number.NaN,
        max: ratios.length ? Math.max(...ratios) : Number.NaN,
      },
      requestsPerSecond: median(rates),
      cpuMicrosPerRequest: median(cpu),
      cycles: ratios.length,
    };
  });
}

/** The order of cycle `cycle` (0-based): `variants` rotated by `cycle` places. */
export function cycleOrder<T>(variants: readonly T[], cycle: number): T[] {
  const shift = cycle % variants.length;
  return [...variants.slice(shift), ...variants.slice(0, shift)];
}

const PAIRABLE: readonly VariantId[] = allVariants.filter((id) => id !== "PM" && id !== "RM");

/**
 * The options of `bench:paired`; throws a `TypeError` naming the option that is wrong.
 *
 * @example
 * ```ts
 * parsePairedOptions(["--variants", "N,P0P", "--cycles", "6"]).cycles; // 6
 * ```
 */
export function parsePairedOptions(args: string[]): {
  variants: VariantId[];
  cycles: number;
  seconds: number;
  warmup: number;
  stubDelayMs: number;
  out: string | undefined;
} {
  const { values } = parseArgs({
    args,
    options: {
      variants: { type: "string", default: "N,FP,P0P" },
      cycles: { type: "string", default: "14" },
      seconds: { type: "string", default: "2" },
      warmup: { type: "string", default: "6" },
      "stub-delay-ms": { type: "string", default: "0" },
      out: { type: "string" },
    },
  });
  const variants = values.variants.split(",").map((id) => id.trim()) as VariantId[];
  for (const id of variants) {
    if (!PAIRABLE.includes(id)) {
      throw new TypeError(`--variants: ${id} is not one of ${PAIRABLE.join(", ")}`);
    }
  }
  if (variants.length < 2) throw new TypeError("--variants needs two or more");
  const count = (name: string, text: string, min: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new TypeError(`--${name} must be a whole number from ${min}`);
    }
    return value;
  };
  return {
    variants,
    cycles: count("cycles", values.cycles, 1),
    seconds: count("seconds", values.seconds, 1),
    warmup: count("warmup", values.warmup, 0),
    stubDelayMs: count("stub-delay-ms", values["stub-delay-ms"], 0),
    out: values.out,
  };
}

async function main(): Promise<void> {
  const options = parsePairedOptions(Deno.args);
  // The variants' scripts are named from the repository's root, as the full benchmark names them.
  Deno.chdir(new URL("..", import.meta.url).pathname);
  if (!(await commandExists("wrk", ["-v"]))) {
    console.error("gpc-edge bench:paired needs wrk (apt-get install -y wrk)");
    Deno.exit(2);
  }
  const cpus = await cpuPlan();
  const stub = await startStub(cpus.server, options.stubDelayMs);
  const running: RunningVariant[] = [];
  try {
    const headers = benchRequestHeaders(stub.info.url);
    for (const id of options.variants) {
      running.push(
        await startVariant(id, {
          stubUrl: stub.info.url,
          serverCpus: cpus.server,
          connections: 64,
        }),
      );
    }
    const wrk = (variant: RunningVariant, seconds: number) =>
      runWrk({
        url: `${variant.baseUrl}${variant.path}`,
        headers,
        seconds,
        connections: 64,
        cpus: cpus.load,
      });
    // Each warmed as the full benchmark warms it before wrk: its JIT settles under full load.
    for (const variant of running) if (options.warmup > 0) await wrk(variant, options.warmup);
    const servers = new Map<VariantId, number[]>();
    for (const variant of running) {
      const pids: number[] = [];
      for (const pid of variant.pids) pids.push(pid, ...await childPids(pid));
      servers.set(variant.id, pids);
    }
    const cycles: PairedSlice[][] = [];
    for (let cycle = 0; cycle < options.cycles; cycle++) {
      const slices: PairedSlice[] = [];
      for (const variant of cycleOrder(running, cycle)) {
        const pids = servers.get(variant.id)!;
        const before = await cpuMicros(pids);
        const result = await wrk(variant, options.seconds);
        const after = await cpuMicros(pids);
        slices.push({
          variant: variant.id,
          requestsPerSecond: result.requestsPerSecond,
          cpuMicrosPerRequest: pids.length > 0 && result.requests > 0
            ? (after - before) / result.requests
            : undefined,
          errors: result.errors,
        });
      }
      cycles.push(slices);
      const line = options.variants.map((id) => {
        const slice = slices.find((s) => s.variant === id)!;
        const errors = slice.errors > 0 ? ` (${slice.errors} errors)` : "";
        return `${id} ${Math.round(slice.requestsPerSecond)}${errors}`;
      }).join(", ");
      console.error(`cycle ${cycle + 1}/${options.cycles}: ${line} req/s`);
    }
    const baseline = options.variants[0]!;
    const comparisons = pairedComparisons(cycles, baseline);
    const rows = comparisons.map((c) =>
      `| ${c.variant} | ${
        c.cycles === 0
          ? `no cycle without errors (see ${c.variant}'s slices above)`
          : `×${c.ratio.median.toFixed(3)} (×${c.ratio.min.toFixed(2)}–${c.ratio.max.toFixed(2)})`
      } | ${Math.round(c.requestsPerSecond).toLocaleString("en-GB")} | ${
        Number.isFinite(c.cpuMicrosPerRequest) ? Math.round(c.cpuMicrosPerRequest) : "–"
      } | ${c.cycles} |`
    );
    console.log(
      [
        `Paired wrk slices: ${options.cycles} cycles of ${options.seconds} s a variant, order ` +
        `rotated each cycle, after ${options.warmup} s of wrk each; stub ${options.stubDelayMs} ms; ` +
        cpus.description,
        "",
        `| Variant | req/s over ${baseline}'s, per cycle: median (min–max) | req/s (median) | ` +
        "CPU µs/req (median) | cycles |",
        "| --- | --- | --- | --- | --- |",
        ...rows,
      ].join("\n"),
    );
    if (options.out) {
      await Deno.writeTextFile(
        options.out,
        JSON.stringify({ options, cpus: cpus.description, cycles, comparisons }, null, 2),
      );
    }
  } finally {
    for (const variant of running.reverse()) await variant.stop();
    await stub.stop();
  }
}

if (import.meta.main) await main();
