import assert from "node:assert/strict";
import {
  cycleOrder,
  pairedComparisons,
  type PairedSlice,
  parsePairedOptions,
} from "./paired-throughput.ts";
import type { VariantId } from "./variants.ts";

const slice = (variant: VariantId, rps: number, cpu?: number, errors = 0): PairedSlice => ({
  variant,
  requestsPerSecond: rps,
  cpuMicrosPerRequest: cpu,
  errors,
});

Deno.test("pairedComparisons: each cycle's ratio to the baseline, then their median and spread", () => {
  const cycles = [
    [slice("N", 20_000), slice("P0P", 9_000, 90), slice("FP", 11_000, 70)],
    [slice("N", 10_000), slice("P0P", 6_000, 120), slice("FP", 5_000, 140)], // a slow spell on N
    [slice("N", 19_000), slice("P0P", 8_360, 95), slice("FP", 9_500, 75)],
  ];
  const [p0p, fp] = pairedComparisons(cycles, "N");
  assert.equal(p0p!.variant, "P0P");
  assert.equal(p0p!.ratio.median, 0.45);
  assert.equal(p0p!.ratio.min, 0.44);
  assert.equal(p0p!.ratio.max, 0.6);
  assert.equal(p0p!.requestsPerSecond, 8_360);
  assert.equal(p0p!.cpuMicrosPerRequest, 95);
  assert.equal(p0p!.cycles, 3);
  assert.equal(fp!.variant, "FP");
  assert.equal(fp!.ratio.median, 0.5);
});

Deno.test("pairedComparisons: a cycle with errors or a missing slice is left out, not counted as zero", () => {
  const cycles = [
    [slice("N", 20_000), slice("P0P", 9_000)],
    [slice("N", 20_000), slice("P0P", 100, undefined, 5)],
    [slice("N", 0), slice("P0P", 9_000)],
    [slice("P0P", 9_000)],
  ];
  const [p0p] = pairedComparisons(cycles, "N");
  assert.equal(p0p!.cycles, 1);
  assert.equal(p0p!.ratio.median, 0.45);
  assert.ok(Number.isNaN(p0p!.cpuMicrosPerRequest)); // the direct call has no server CPU
  const [none] = pairedComparisons([[slice("P0P", 9_000)]], "N");
  assert.equal(none!.cycles, 0);
  assert.ok(Number.isNaN(none!.ratio.median) && Number.isNaN(none!.ratio.min));
});

Deno.test("cycleOrder: every variant takes every place in turn", () => {
  const variants = ["N", "FP", "P0P"];
  assert.deepEqual(cycleOrder(variants, 0), ["N", "FP", "P0P"]);
  assert.deepEqual(cycleOrder(variants, 1), ["FP", "P0P", "N"]);
  assert.deepEqual(cycleOrder(variants, 2), ["P0P", "N", "FP"]);
  assert.deepEqual(cycleOrder(variants, 3), ["N", "FP", "P0P"]);
});

Deno.test("parsePairedOptions: defaults, and a clear error for what cannot be paired", () => {
  const defaults = parsePairedOptions([]);
  assert.deepEqual(defaults.variants, ["N", "FP", "P0P"]);
  assert.equal(defaults.cycles, 14);
  assert.equal(defaults.seconds, 2);
  assert.equal(defaults.warmup, 6);
  assert.equal(parsePairedOptions(["--warmup", "0"]).warmup, 0);
  assert.throws(() => parsePairedOptions(["--variants", "N,PM"]), /PM is not one of/);
  assert.throws(() => parsePairedOptions(["--variants", "N"]), /two or more/);
  assert.throws(() => parsePairedOptions(["--cycles", "0"]), /--cycles must be/);
  assert.throws(() => parsePairedOptions(["--seconds", "1.5"]), /--seconds must be/);
});
