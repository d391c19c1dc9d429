/**
 * One self-contained HTML report: header (the run's identity: target, roots, ODS code, ASIDs,
 * fixtures, profile package and its hash, preflight, `--insecure`, clock, harness commit; totals,
 * verdict), pass/fail per product, requirement verdicts (verified / failed / not run / untested,
 * each listed), tests not run and inconclusive grouped by reason, a latency histogram (inline SVG)
 * and every test, filterable by status, product and text, each opening to its requirements,
 * assertions, grouped validation messages and exchanges. Passing tests are embedded in brief
 * (summarize.ts: no bodies or headers), so the full suite's report stays under 5 MB.
 *
 * Opens with no network: inline CSS and JS only, system fonts, and a Content-Security-Policy of
 * `default-src 'none'` that admits just the report's own style and script by hash, so even a
 * mistake could not load anything. Untrusted text (bodies, headers, messages) is redacted,
 * HTML-escaped in markup, and embedded as JSON with `<`, `>` and `&` escaped; the script inserts
 * it with `textContent` only. Test details are rendered on first opening, for speed.
 *
 * Counts are machine-readable: `#totals` and each product row carry `data-tests`,
 * `data-passed`, `data-failed`, `data-errored`, `data-skipped`, `data-not-run`,
 * `data-inconclusive`; `#coverage` carries `data-requirements`, `data-verified`, `data-failed`,
 * `data-not-run`, `data-untested`; each test has `data-status`.
 *
 * @module
 */

import type { RunReport, TestResult, TestStatus, Totals } from "../model.ts";
import { preflightLine } from "./junit.ts";
import { summarizeReport } from "./summarize.ts";
import { latencyChart } from "./html-chart.ts";
import { HTML_SCRIPT } from "./html-script.ts";
import { HTML_STYLE } from "./html-style.ts";
import { sanitizeReport } from "./redact.ts";
import { statusLabels } from "./status-labels.ts";
import {
  failingRequirements,
  firstFailure,
  formatDuration,
  latencies,
  PRODUCT_ORDER,
  verdict,
} from "./tally.ts";

/** Options of {@link htmlReport}. */
export interface HtmlReportOptions {
  /** Longest body (characters) embedded per request or response; default 65,536. */
  readonly maxBodyChars?: number;
  /**
   * Budget for all embedded bodies together (characters; default 40,000,000): when exceeded,
   * the per-body limit is lowered until the bodies fit, so huge runs still open in a browser.
   */
  readonly maxTotalBodyChars?: number;
  /** JSON characters the tests that did not pass may take in full (summarize.ts; default 1,000,000). */
  readonly detailBudget?: number;
}

/** The largest per-body cap ≤ `max` with Σ min(length, cap) ≤ `budget`. */
export function fitBodyCap(lengths: readonly number[], max: number, budget: number): number {
  const total = (cap: number) => lengths.reduce((sum, n) => sum + Math.min(n, cap), 0);
  if (total(max) <= budget) return max;
  let lo = 0, hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `text` safe in HTML text and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** `value` as JSON that cannot end a `<script>` element or open markup inside it. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** The CSP source expression (`'sha256-…'`) for an inline element whose content is `text`. */
export async function cspHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
}

const e = escapeHtml;
const VERDICT_LABEL = { pass: "PASS", fail: "FAIL", skip: "SKIPPED", none: "NO TESTS" } as const;

function countData(t: Totals): string {
  return `data-tests="${t.tests}" data-passed="${t.passed}" data-failed="${t.failed}" ` +
    `data-errored="${t.errored}" data-skipped="${t.skipped}" data-not-run="${t.notRun}" ` +
    `data-inconclusive="${t.inconclusive}"`;
}

/** A stacked bar of a product's statuses, as SVG rectangles. */
function stackBar(t: Totals, width = 160): string {
  if (t.tests === 0) return "";
  let x = 0;
  const rects = (["pass", "fail", "error", "inconclusive", "not-run", "skip"] as const).map((s) => {
    const n = {
      pass: t.passed,
      fail: t.failed,
      error: t.errored,
      inconclusive: t.inconclusive,
      "not-run": t.notRun,
      skip: t.skipped,
    }[s];
    const w = (n / t.tests) * width;
    const r = n > 0
      ? `<rect class="${s}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="10"/>`
      : "";
    x += w;
    return r;
  });
  return `<svg class="bar-stack" width="${width}" height="10" viewBox="0 0 ${width} 10">${
    rects.join("")
  }</svg>`;
}

function truncated<M extends { readonly body?: string }>(m: M, max: number): M {
  if (m.body === undefined || m.body.length <= max) return m;
  return { ...m, body: m.body.slice(0, max), bodyTruncatedFrom: m.body.length };
}

function header(r: RunReport, t: Totals): string {
  const v = verdict(t);
  const roots = Object.entries(r.target.roots).map(([k, u]) => `${e(k)}: <code>${e(u)}</code>`);
  const selection = Object.entries(r.selection).map(([k, vals]) =>
    `${e(k)}: ${e(vals.join(", "))}`
  );
  const meta: [string, string][] = [
    ["Target", e(r.target.description)],
    ["Kind", e(r.target.kind)],
    ["Service roots", roots.join("<br>") || "—"],
    ...(r.target.sspPrefix
      ? [["SSP prefix", `<code>${e(r.target.sspPrefix)}</code>`] as [string, string]]
      : []),
    ["Run clock", e(r.runClock)],
    ["Started", e(r.startedAt)],
    ["Finished", e(r.finishedAt)],
    ["Duration", e(formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)))],
    ["Selection", selection.join("<br>") || "everything"],
    ...identityRows(r),
    ["Tool", e(`${r.tool.name} ${r.tool.version} (report schema v${r.schemaVersion})`)],
  ];
  const card = (label: string, n: number, cls = "") =>
    `<div class="card"><b class="${cls}">${n}</b>${label}</div>`;
  return `<header><h1>GP Connect conformance report <span class="verdict ${v}">${
    VERDICT_LABEL[v]
  }</span></h1>
<dl class="meta">${meta.map(([k, val]) => `<dt>${k}</dt><dd>${val}</dd>`).join("")}</dl>
<div id="totals" class="cards" ${countData(t)}>${card("tests", t.tests)}${
    card("passed", t.passed, "t-pass")
  }${card("failed", t.failed, "t-fail")}${card("errored", t.errored, "t-error")}${
    card("inconclusive", t.inconclusive, "t-inconclusive")
  }${card("not run", t.notRun, "t-not-run")}${card("skipped", t.skipped, "t-skip")}</div></header>`;
}

/** The run's identity as header rows (none for a report written without one). */
function identityRows(r: RunReport): [string, string][] {
  const id = r.identity;
  if (!id) return [];
  const roles = Object.entries(id.fixtures.roles).map(([role, f]) =>
    `${e(role)}: ${e(f.nhsNumber)}${f.expect === "absent" ? " (must be absent)" : ""}`
  );
  const commit = id.harness.commit
    ? `commit <code>${e(id.harness.commit)}</code>${
      id.harness.dirty ? " (with local changes)" : ""
    }`
    : "commit unknown";
  const notReady = Object.entries(id.preflight.notReady).map(([role, problem]) =>
    `${e(role)}: ${e(problem)}`
  );
  return [
    ["ODS code", `<code>${e(id.odsCode)}</code>`],
    ["Ssp-From / Ssp-To", `<code>${e(id.sspFrom)}</code> → <code>${e(id.sspTo)}</code>`],
    [
      "Fixtures",
      `${id.fixtures.file ? `<code>${e(id.fixtures.file)}</code>` : "default roles"}` +
      `<details><summary>${roles.length} role(s)</summary>${roles.join("<br>")}</details>`,
    ],
    [
      "Profile package",
      id.profiles
        ? `<code>${e(id.profiles.dir)}</code> (${id.profiles.files} files, SHA-256 <code>${
          e(id.profiles.sha256)
        }</code>)`
        : "not loaded (no selected test validates)",
    ],
    [
      "Preflight",
      `<span class="${id.preflight.stopped ? "t-fail" : ""}">${
        e(preflightLine(id.preflight))
      }</span>` +
      (notReady.length > 0 ? `<br>${notReady.join("<br>")}` : ""),
    ],
    [
      "Certificates",
      id.insecure ? '<b class="t-fail">NOT verified (--insecure)</b>' : "verified",
    ],
    ["Clock", id.clockGiven ? "given (--clock)" : "the run start"],
    ["Harness", `${e(id.harness.version)}, ${commit}`],
    [
      "Evidence",
      id.evidence === "all" ? "every test in full" : "failures in full, passes in brief",
    ],
  ];
}

function productsSection(byProduct: Record<string, Totals>): string {
  const rows = Object.entries(byProduct).map(([p, t]) => {
    const v = verdict(t);
    const bad = t.failed + t.errored > 0
      ? ` <button class="link" data-filter data-filter-product="${
        e(p)
      }" data-filter-status="bad">failures</button>`
      : "";
    return `<tr data-product="${e(p)}" ${
      countData(t)
    }><td><button class="link" data-filter data-filter-product="${e(p)}">${
      e(p)
    }</button>${bad}</td><td class="n">${t.tests}</td><td class="n">${t.passed}</td><td class="n">${t.failed}</td><td class="n">${t.errored}</td><td class="n">${t.inconclusive}</td><td class="n">${t.notRun}</td><td class="n">${t.skipped}</td><td>${
      stackBar(t)
    }</td><td><span class="badge ${v}">${VERDICT_LABEL[v]}</span></td></tr>`;
  });
  return `<section id="products"><h2>Products</h2><table id="products-table"><tr><th>Product</th><th class="n">Tests</th><th class="n">Passed</th><th class="n">Failed</th><th class="n">Errored</th><th class="n">Inconclusive</th><th class="n">Not run</th><th class="n">Skipped</th><th></th><th>Result</th></tr>${
    rows.join("")
  }</table></section>`;
}

function coverageSection(r: RunReport): string {
  const { requirements, verified, failed, notRun, untested } = r.coverage;
  const pct = requirements > 0 ? ((100 * verified.length) / requirements).toFixed(1) + "%" : "–";
  const failing = failingRequirements(r.results).slice(0, 15).map((f) =>
    `<tr><td><button class="link req" data-filter data-filter-text="${e(f.id.toLowerCase())}">${
      e(f.id)
    }</button></td><td class="n">${f.tests.length}</td><td class="mono">${
      e(f.tests.slice(0, 5).join(", ") + (f.tests.length > 5 ? ", …" : ""))
    }</td></tr>`
  );
  const ids = (list: readonly string[]) =>
    list.map((id) => `<span class="req">${e(id)}</span>`).join(" ") || "none";
  return `<section id="coverage" data-requirements="${requirements}" data-verified="${verified.length}" data-failed="${failed.length}" data-not-run="${notRun.length}" data-untested="${untested.length}"><h2>Requirements</h2>
<p><b>${verified.length}</b> of <b>${requirements}</b> requirements verified (${pct}): a test naming each passed and none failed. <b class="t-fail">${failed.length}</b> failed, <b class="t-not-run">${notRun.length}</b> not run (their tests were not run, skipped or inconclusive), <b class="t-skip">${untested.length}</b> untested (no selected test names them).</p>
${
    failing.length
      ? `<h3>Top failing requirements</h3><table><tr><th>Requirement</th><th class="n">Failed tests</th><th>Tests</th></tr>${
        failing.join("")
      }</table>`
      : ""
  }
<h3>Untested (${untested.length})</h3><p id="untested">${ids(untested)}</p>
<h3>Not run (${notRun.length})</h3><p id="not-run-requirements">${ids(notRun)}</p>
<details><summary>Failed (${failed.length})</summary><p>${ids(failed)}</p></details>
<details><summary>Verified (${verified.length})</summary><p>${
    ids(verified)
  }</p></details></section>`;
}

/** Tests of `status` grouped by reason: one line per reason, however many tests share it. */
function reasonsSection(r: RunReport, status: TestStatus, title: string): string {
  const byReason = new Map<string, string[]>();
  for (const res of r.results) {
    if (res.status !== status) continue;
    const reason = res.reason ?? status;
    byReason.set(reason, [...(byReason.get(reason) ?? []), res.id]);
  }
  if (byReason.size === 0) return "";
  const rows = [...byReason].map(([reason, ids]) =>
    `<tr><td class="n">${ids.length}</td><td>${e(reason.slice(0, 600))}</td><td class="mono">${
      e(ids.slice(0, 5).join(", ") + (ids.length > 5 ? ", …" : ""))
    }</td></tr>`
  );
  return `<section id="${status}"><h2>${title}</h2><table><tr><th class="n">Tests</th><th>Reason</th><th>Tests</th></tr>${
    rows.join("")
  }</table></section>`;
}

/** One test's row; the filter's search text is built by the script from the embedded data. */
function testRow(r: TestResult, i: number): string {
  const first = firstFailure(r);
  const why = first
    ? `<span class="why">${first.requirement ? `[${e(first.requirement)}] ` : ""}${
      e(first.text.slice(0, 400))
    }</span>`
    : (r.status === "skip" || r.status === "not-run") && r.reason
    ? `<span class="why muted">${e(r.reason.slice(0, 400))}</span>`
    : "";
  return `<details class="test" data-i="${i}" data-status="${r.status}" data-product="${
    e(r.product)
  }"><summary><span class="badge ${r.status}">${statusLabels[r.status]}</span><code class="title">${
    e(r.id)
  }</code><span class="title">${e(r.title)}</span><span class="dur">${
    e(formatDuration(r.durationMs))
  }</span>${why}</summary><div class="body"></div></details>`;
}

/**
 * The HTML report for `report` (sanitized and recounted like every other output).
 *
 * @param report the finished run
 * @param options embedding limits
 * @returns the complete HTML document
 */
export async function htmlReport(
  report: RunReport,
  options: HtmlReportOptions = {},
): Promise<string> {
  const r = summarizeReport(sanitizeReport(report), {
    detailBudget: options.detailBudget ?? 1_000_000,
  });
  const lengths = r.results.flatMap((res) =>
    res.exchanges.flatMap((x) => [x.request.body?.length ?? 0, x.response?.body?.length ?? 0])
  );
  const max = fitBodyCap(
    lengths,
    options.maxBodyChars ?? 65_536,
    options.maxTotalBodyChars ?? 40_000_000,
  );
  const order = (p: string) => {
    const i = (PRODUCT_ORDER as readonly string[]).indexOf(p);
    return i < 0 ? PRODUCT_ORDER.length : i;
  };
  const results = r.results.map((res, i) => ({ res, i }))
    .sort((a, b) => order(a.res.product) - order(b.res.product) || a.i - b.i).map(({ res }) => res);
  const data = {
    results: results.map((res) => ({
      ...res,
      exchanges: res.exchanges.map((x) => ({
        ...x,
        request: truncated(x.request, max),
        ...(x.response ? { response: truncated(x.response, max) } : {}),
      })),
    })),
  };
  // sanitizeReport recounted both from the results.
  const { totals, byProduct } = r;
  const csp = `default-src 'none'; style-src ${await cspHash(HTML_STYLE)}; ` +
    `script-src ${await cspHash(HTML_SCRIPT)}; base-uri 'none'; form-action 'none'`;
  const productOptions = Object.keys(byProduct).map((p) =>
    `<option value="${e(p)}">${e(p)}</option>`
  ).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GP Connect conformance: ${VERDICT_LABEL[verdict(totals)]} (${
    e(r.target.description.slice(0, 80))
  })</title>
<style>${HTML_STYLE}</style>
</head>
<body>
${header(r, totals)}
${productsSection(byProduct)}
${coverageSection(r)}
${reasonsSection(r, "not-run", "Not run")}
${reasonsSection(r, "inconclusive", "Inconclusive negatives")}
<section id="latency"><h2>Latency distribution</h2>${latencyChart(latencies(r.results))}</section>
<section id="tests"><h2>Tests</h2>
<noscript><p>Filtering and test details need JavaScript; report.json and the evidence folder hold the same data.</p></noscript>
<div class="filters"><input id="q" type="search" placeholder="Filter: id, title, requirement, tag, message…" aria-label="Filter text">
<select id="status" aria-label="Status"><option value="all">all statuses</option><option value="bad">failed or errored</option><option value="fail">failed</option><option value="error">errored</option><option value="inconclusive">inconclusive</option><option value="not-run">not run</option><option value="skip">skipped</option><option value="pass">passed</option></select>
<select id="product" aria-label="Product"><option value="all">all products</option>${productOptions}</select>
<button id="expand" type="button">Expand shown</button><button id="collapse" type="button">Collapse all</button>
<span id="shown" class="muted"></span></div>
<div id="list">
${results.map(testRow).join("\n")}
</div></section>
<script type="application/json" id="report-data">${embedJson(data)}</script>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}
