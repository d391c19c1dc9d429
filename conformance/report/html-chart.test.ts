import assert from "node:assert/strict";
import { histogram, latencyChart } from "./html-chart.ts";

Deno.test("histogram: every latency lands in exactly one bin; nice bounds", () => {
  const xs = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 900).sort((a, b) => a - b);
  const h = histogram(xs);
  assert.equal(h.counts.reduce((a, b) => a + b, 0) + h.overflow, xs.length);
  assert.equal(h.overflow, 0);
  assert.equal(h.upper, 1000);
  assert.equal(h.binWidth, 40);
  assert.equal(h.counts.length, 25);
});

Deno.test("histogram: extreme outliers go to an overflow bin instead of flattening the chart", () => {
  const xs = [...Array.from({ length: 200 }, (_, i) => 100 + i), 30_000, 60_000].sort((a, b) =>
    a - b
  );
  const h = histogram(xs);
  assert.equal(h.overflow, 2);
  assert.ok(h.upper < 1000);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 200);
  const zeros = histogram([0, 0, 0]);
  assert.equal(zeros.counts[0], 3);
});

Deno.test("latencyChart: inline SVG with bars, p50/p90/p99 marks and stats; a note when empty", () => {
  const svg = latencyChart([5, 35, 60, 75, 120, 120, 480, 1900, 2400]);
  assert.match(svg, /^<svg class="chart" viewBox="0 0 760 240"/);
  for (const p of ["p50", "p90", "p99"]) assert.match(svg, new RegExp(`<line class="pct ${p}"`));
  assert.ok(svg.includes(">p50 120 ms</text>"));
  assert.ok(svg.includes('data-count="9" data-p50="120" data-p90="2400" data-p99="2400"'));
  assert.equal((svg.match(/<rect class="bar"/g) ?? []).length, 5);
  assert.ok(!/https?:/.test(svg));
  assert.equal(latencyChart([]), '<p class="muted">No HTTP exchanges were recorded.</p>');
});
