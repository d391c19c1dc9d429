/**
 * The latency distribution chart of the HTML report: an inline SVG histogram of exchange
 * latencies with p50, p90 and p99 marked. Extreme outliers (beyond 3 × p99) are gathered in one
 * overflow bar so they do not flatten the rest. Styling comes from the report's stylesheet
 * (classes only, no `style` attributes, so the strict CSP holds).
 *
 * @module
 */

import { formatDuration, percentile } from "./tally.ts";

/** Size of the chart in SVG user units. */
export interface ChartOptions {
  readonly width?: number;
  readonly height?: number;
}

/** A step of 1, 2 or 5 × 10^k at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** Short axis label: `250 ms`, `1.5 s`. */
function label(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${+(ms / 1000).toFixed(2)} s`;
}

/** Histogram bins of `sorted`: bin width, upper bound, counts (last = overflow, if any). */
export function histogram(sorted: readonly number[]): {
  binWidth: number;
  upper: number;
  counts: number[];
  overflow: number;
} {
  const max = sorted[sorted.length - 1] ?? 0;
  const p99 = percentile(sorted, 99);
  const cap = Math.max(1, max > 3 * p99 && p99 > 0 ? p99 * 1.5 : max);
  const step = niceStep(cap / 5);
  const upper = Math.max(step, Math.ceil(cap / step) * step);
  const binWidth = step / 5;
  const bins = Math.round(upper / binWidth);
  const counts = new Array<number>(bins).fill(0);
  let overflow = 0;
  for (const v of sorted) {
    if (v > upper) overflow++;
    else counts[Math.min(bins - 1, Math.floor(v / binWidth))]!++;
  }
  return { binWidth, upper, counts, overflow };
}

/**
 * The chart for ascending latencies `sorted` (ms), followed by a one-line statistics summary;
 * a short note when there are none. Only numbers and fixed text go into the markup.
 */
export function latencyChart(sorted: readonly number[], options: ChartOptions = {}): string {
  if (sorted.length === 0) return '<p class="muted">No HTTP exchanges were recorded.</p>';
  const width = options.width ?? 760, height = options.height ?? 240;
  const left = 48, right = 16, top = 44, bottom = 34;
  const { binWidth, upper, counts, overflow } = histogram(sorted);
  const slots = counts.length + (overflow > 0 ? 1 : 0);
  const plotW = width - left - right, plotH = height - top - bottom;
  const bw = plotW / slots;
  const maxCount = Math.max(1, overflow, ...counts);
  const y = (c: number) => top + plotH - (c / maxCount) * plotH;
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [];

  for (const c of [0, Math.ceil(maxCount / 2), maxCount]) {
    parts.push(
      `<line class="grid" x1="${left}" x2="${width - right}" y1="${f(y(c))}" y2="${f(y(c))}"/>`,
      `<text x="${left - 6}" y="${f(y(c) + 4)}" text-anchor="end">${c}</text>`,
    );
  }
  counts.forEach((c, i) => {
    if (c === 0) return;
    const from = i * binWidth, to = from + binWidth;
    parts.push(
      `<rect class="bar" x="${f(left + i * bw + 0.5)}" y="${f(y(c))}" width="${
        f(Math.max(1, bw - 1))
      }" ` +
        `height="${f(top + plotH - y(c))}"><title>${label(from)}–${label(to)}: ${c} exchange${
          c === 1 ? "" : "s"
        }</title></rect>`,
    );
  });
  if (overflow > 0) {
    const x = left + counts.length * bw;
    parts.push(
      `<rect class="bar over" x="${f(x + 0.5)}" y="${f(y(overflow))}" width="${
        f(Math.max(1, bw - 1))
      }" ` +
        `height="${f(top + plotH - y(overflow))}"><title>over ${
          label(upper)
        }: ${overflow}</title></rect>`,
      `<text x="${f(x + bw / 2)}" y="${height - bottom + 14}" text-anchor="middle">&gt;</text>`,
    );
  }
  parts.push(
    `<line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${
      top + plotH
    }"/>`,
    `<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}"/>`,
  );
  const step = binWidth * 5;
  for (let t = 0; t <= upper + 1e-9; t += step) {
    const x = left + (t / binWidth) * bw;
    parts.push(
      `<line class="axis" x1="${f(x)}" x2="${f(x)}" y1="${top + plotH}" y2="${top + plotH + 4}"/>`,
      `<text x="${f(x)}" y="${height - bottom + 16}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${
      height - 4
    }" text-anchor="middle">latency per exchange</text>`,
  );
  const marks = [["p50", 50], ["p90", 90], ["p99", 99]] as const;
  marks.forEach(([name, p], i) => {
    const v = percentile(sorted, p);
    const x = v > upper ? left + (counts.length + 0.5) * bw : left + (v / binWidth) * bw;
    parts.push(
      `<line class="pct ${name}" x1="${f(x)}" x2="${f(x)}" y1="${top - 4 - 12 * (2 - i)}" y2="${
        top + plotH
      }"/>`,
      x > width - 120
        ? `<text class="${name}" x="${f(x - 3)}" y="${top - 6 - 12 * (2 - i)}" text-anchor="end">` +
          `${name} ${label(v)}</text>`
        : `<text class="${name}" x="${f(x + 3)}" y="${top - 6 - 12 * (2 - i)}">${name} ${
          label(v)
        }</text>`,
    );
  });
  const stats = [
    `${sorted.length} exchanges`,
    `min ${formatDuration(sorted[0] ?? 0)}`,
    ...marks.map(([name, p]) => `${name} ${formatDuration(percentile(sorted, p))}`),
    `max ${formatDuration(sorted[sorted.length - 1] ?? 0)}`,
  ];
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" role="img" aria-label="Histogram of exchange latencies">` +
    `${parts.join("")}</svg>\n<p id="latency-stats" data-count="${sorted.length}" ` +
    `data-p50="${percentile(sorted, 50)}" data-p90="${percentile(sorted, 90)}" ` +
    `data-p99="${percentile(sorted, 99)}">${stats.join(" · ")}</p>`;
}
