import assert from "node:assert/strict";
import type { VariantMeasurement } from "./measure.ts";
import { percentile, spread, summarise } from "./stats.ts";
import { judgeTargets, summariseProfile } from "./summary.ts";
import { parseWrkOutput } from "./wrk.ts";
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
        intended: 1000,
        completed: 1000,
        errors: 0,
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
  };
}

Deno.test("summariseProfile() pairs rounds and judgeTargets() applies the issue's thresholds", () => {
  const measurements = [1, 2].flatMap((round) => [
    measurement("D", round, 10_000, 0.5),
    measurement("N", round, 8_000, 0.7),
    measurement("P0", round, 6_000, 1.0 + round * 0.1),
    measurement("PH", round, 5_800, 1.05 + round * 0.1),
  ]);
  const profile = summariseProfile(measurements, 0, [1000]);
  const p0 = profile.comparisons.find((c) => c.label === "P0 vs D")!;
  assert.ok(Math.abs(p0.rates["1000"]!.p99.diff.median - 0.65) < 1e-9);
  const targets = judgeTargets([profile]);
  assert.deepEqual(targets.map((t) => t.met), [true, true, true]);
});
