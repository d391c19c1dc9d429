import assert from "node:assert/strict";
import type { VariantMeasurement } from "./measure.ts";
import { percentile, spread, summarise } from "./stats.ts";
import { judgeTargets, summariseProfile } from "./summary.ts";
import { parseWrkOutput } from "./wrk.ts";
import { parseGcLine, summariseGc } from "./gc-trace.ts";
import { nginxConf } from "./nginx.ts";

Deno.test("percentiles are nearest-rank; spreads ignore missing rounds", () => {
  const sorted = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  assert.equal(percentile(sorted, 0.5), 5);
  assert.equal(percentile(sorted, 0.99), 10);
  assert.equal(summarise([3, 1, 2]).max, 3);
  assert.deepEqual(spread([2, Number.NaN, 1, 3]), { median: 2, min: 1, max: 3, rounds: 3 });
});

Deno.test("parseWrkOutput() reads throughput, percentiles and errors", () => {
  const result = parseWrkOutput(`Running 4s test @ http://127.0.0.1:1/x
  Latency Distribution
     50%  512.00us
     75%    1.00ms
     90%    2.50ms
     99%   12.30ms
  20000 requests in 4.00s, 20.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   5000.50
`);
  assert.equal(result.requests, 20000);
  assert.equal(result.requestsPerSecond, 5000.5);
  assert.deepEqual(result.latencyMs, { p50: 0.512, p90: 2.5, p99: 12.3 });
  assert.equal(result.errors, 7);
});

Deno.test("nginxConf() proxies with upstream keep-alive and keeps every path in its prefix", () => {
  const conf = nginxConf({
    prefix: "/tmp/n",
    port: 8090,
    upstream: "127.0.0.1:8091",
    connections: 64,
  });
  for (
    const line of ["keepalive 64;", "proxy_http_version 1.1;", 'proxy_set_header Connection "";']
  ) {
    assert.ok(conf.includes(line), line);
  }
  assert.ok(conf.includes("pid /tmp/n/nginx.pid;"));
  assert.ok(conf.includes("access_log off;"));
});

function measurement(
  variant: VariantMeasurement["variant"],
  round: number,
  rps: number,
  p99: number,
  cpuMicros = 100,
  gcPauseMs = 0.3,
): VariantMeasurement {
  const latencyMs = { count: 1, mean: p99, p50: p99 / 2, p90: p99, p99, p999: p99, max: p99 };
  return {
    variant,
    round,
    stubDelayMs: 0,
    position: 0,
    paced: {
      "1000": {
        rate: 1000,
        seconds: 1,
        leadIn: 0,
        intended: 1000,
        completed: 1000,
        errors: 0,
        errorStatuses: {},
        timeouts: 0,
        achievedRps: 1000,
        latencyMs,
        sendLagMs: latencyMs,
      },
    },
    wrk: {
      requests: rps,
      requestsPerSecond: rps,
      latencyMs: { p50: 1, p90: 1, p99: 1 },
      errors: 0,
    },
    peakRssMiB: 50,
    directoryStats: null,
    quiet: { waitedSeconds: 0, foreignPct: 0 },
    cpu: { "1000": { foreignPct: 5, stealPct: 0 } },
    cpuMicrosPerRequest: { "1000": cpuMicros * 1.2, wrk: cpuMicros },
    gc: {
      "1000": {
        scavenges: 10,
        pauseMs: { p50: gcPauseMs, p99: gcPauseMs * 3, max: gcPauseMs * 4 },
        survivedKiB: 8,
        promotedKiB: 1,
      },
    },
  };
}

Deno.test("summariseProfile() pairs rounds and judgeTargets() applies issue 15's thresholds", () => {
  const measurements = [1, 2].flatMap((round) => [
    measurement("D", round, 10_000, 0.5, Number.NaN),
    measurement("N", round, 8_000, 0.7, 34),
    measurement("FP", round, 6_000, 0.8, 60),
    measurement("P0", round, 3_000, 3.0 + round * 0.1, 200, 1.8),
    measurement("P0P", round, 4_000, 1.0 + round * 0.1, 80, 0.3),
    measurement("PH", round, 3_900, 3.05 + round * 0.1, 205, 1.8),
  ]);
  const profile = summariseProfile(measurements, 0, [1000]);
  assert.equal(profile.cpuLoad, "wrk");
  const p0p = profile.comparisons.find((c) => c.label === "P0P vs D")!;
  assert.ok(Math.abs(p0p.rates["1000"]!.p99.diff.median - 0.65) < 1e-9);
  assert.ok(
    Math.abs(profile.comparisons.find((c) => c.label === "P0P vs FP")!.cpu.ratio.median - 80 / 60) <
      1e-9,
  );
  assert.equal(profile.rows.find((r) => r.variant === "P0")!.gc.pauseP50Ms.median, 1.8);
  const targets = judgeTargets([profile]);
  const met = Object.fromEntries(targets.map((t) => [t.target.split(" (")[0], t.met]));
  assert.deepEqual(met, {
    "P0 throughput ≥ 0.45× nginx's": false,
    "P0 CPU per request ≤ 1.5× FP's": false,
    "P0 adds ≤ 2 ms at p99 at 1,000 req/s": false,
    "P0 young-GC pause median < 0.5 ms": false,
    "P0P throughput ≥ 0.45× nginx's": true,
    "P0P CPU per request ≤ 1.5× FP's": true,
    "P0P adds ≤ 2 ms at p99 at 1,000 req/s": true,
    "P0P young-GC pause median < 0.5 ms": true,
    "PH within 5% of P0P in throughput": true,
  });
});

Deno.test("parseGcLine() reads scavenges from V8's --trace-gc-nvp and summariseGc() takes a window", () => {
  const line = (pause: number, survived: number) =>
    `[7:0x5:0]      285 ms: GC: {"pause":${pause},"gc":"s","new_space_survived":${survived},"promoted":512}`;
  const events = [
    parseGcLine(line(0.2, 4096), 10)!,
    parseGcLine(line(0.4, 8192), 20)!,
    parseGcLine(line(9, 1 << 20), 99)!,
  ];
  assert.equal(parseGcLine('[7:0x5:0] 3 ms: GC: {"pause":5,"gc":"mc"}', 1), undefined);
  assert.equal(parseGcLine("Memory pool: Removed pages: 0", 1), undefined);
  const summary = summariseGc(events, 0, 50);
  assert.equal(summary.scavenges, 2);
  assert.equal(summary.pauseMs.p50, 0.2);
  assert.equal(summary.pauseMs.max, 0.4);
  assert.equal(summary.survivedKiB, 4);
  assert.equal(summary.promotedKiB, 0.5);
});
