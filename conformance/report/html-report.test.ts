import assert from "node:assert/strict";
import type { RunReport } from "../model.ts";
import { HTML_SCRIPT } from "./html-script.ts";
import { HTML_STYLE } from "./html-style.ts";
import { cspHash, embedJson, escapeHtml, fitBodyCap, htmlReport } from "./html-report.ts";
import { fakeDocument, type FakeElement } from "./testing/fake-dom.ts";
import { countsAt } from "./testing/read-outputs.ts";
import { HOSTILE, SAMPLE_SECRETS, SAMPLE_TOTALS, sampleReport } from "./testing/sample-report.ts";

const html = await htmlReport(sampleReport());

/** The HTML's `data-not-run` under the model's name. */
function counts(marker: string): Record<string, number> {
  const { "not-run": notRun, ...rest } = countsAt(html, marker);
  return { ...rest, ...(notRun === undefined ? {} : { notRun }) };
}

Deno.test("htmlReport: totals, per-product counts and per-test statuses agree with the results", () => {
  assert.deepEqual(counts('id="totals"'), SAMPLE_TOTALS);
  assert.deepEqual(counts('data-product="structured" data-tests'), {
    tests: 4,
    passed: 1,
    failed: 0,
    errored: 1,
    skipped: 1,
    notRun: 1,
    inconclusive: 0,
  });
  const statuses = [...html.matchAll(/<details class="test" data-i="\d+" data-status="([\w-]+)"/g)]
    .map((m) => m[1]);
  assert.equal(statuses.length, SAMPLE_TOTALS.tests);
  assert.equal(statuses.filter((s) => s === "fail").length, SAMPLE_TOTALS.failed);
  assert.equal(statuses.filter((s) => s === "error").length, SAMPLE_TOTALS.errored);
  assert.equal(statuses.filter((s) => s === "skip").length, SAMPLE_TOTALS.skipped);
  assert.match(html, /<span class="verdict fail">FAIL<\/span>/);
  assert.match(
    html,
    /<section id="coverage" data-requirements="8" data-verified="1" data-failed="3" data-not-run="3" data-untested="1">/,
  );
  // Untested requirements are listed in the open, not in a collapsed section.
  assert.match(
    html,
    /<h3>Untested \(1\)<\/h3><p id="untested"><span class="req">GPC-HTML-01<\/span>/,
  );
  // Not-run and inconclusive tests are grouped by reason, once each.
  assert.match(html, /<section id="not-run">.*fixture role not ready: rich-record/s);
  assert.match(html, /<section id="inconclusive">.*positive twin read-metadata.gen.twin/s);
});

Deno.test("htmlReport: the header names the run's identity", () => {
  for (
    const fact of [
      "<dt>ODS code</dt><dd><code>B82617</code>",
      "<code>200000000359</code> → <code>918999198738</code>",
      "<code>my-fixtures.json</code>",
      "rich-record: 9690937278",
      `SHA-256 <code>${"a".repeat(64)}</code>`,
      "partial: 2 Patient search(es), 1 of 2 role(s) not ready (rich-record)",
      "<dt>Certificates</dt><dd>verified",
      "<dt>Clock</dt><dd>given (--clock)",
      "commit <code>0123456789abcdef0123456789abcdef01234567</code>",
    ]
  ) {
    assert.ok(html.includes(fact), fact);
  }
});

Deno.test("htmlReport: loads nothing from anywhere (no src/href, strict CSP matching the inline code)", async () => {
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  for (const raw of tags) {
    const tag = raw.replace(/"[^"]*"/g, '""');
    assert.ok(
      !/\s(?:src|href|srcset|action|formaction|poster|background|xlink:href)\s*=/i.test(tag),
      tag,
    );
    assert.ok(
      !/^<(?:link|img|iframe|object|embed|base|audio|video|source|frame)\b/i.test(tag),
      tag,
    );
  }
  assert.ok(!/url\(|@import/i.test(HTML_STYLE));
  assert.ok(!/fetch\(|XMLHttpRequest|import\(|\.src\b|location\s*=/.test(HTML_SCRIPT));
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? "";
  assert.ok(csp.startsWith("default-src 'none'; "));
  assert.ok(csp.includes(`style-src ${await cspHash(HTML_STYLE)};`));
  assert.ok(csp.includes(`script-src ${await cspHash(HTML_SCRIPT)};`));
  assert.ok(html.includes(`<style>${HTML_STYLE}</style>`));
  assert.ok(html.includes(`<script>${HTML_SCRIPT}</script>`));
});

Deno.test("htmlReport: untrusted text is escaped or embedded inertly; secrets never appear", () => {
  for (const secret of SAMPLE_SECRETS) assert.ok(!html.includes(secret), `leaked ${secret}`);
  assert.equal(
    (html.match(/<script/g) ?? []).length,
    2,
    "only the data block and the report script",
  );
  assert.ok(!html.includes("<script>alert"));
  assert.ok(!html.includes("<img"));
  assert.ok(html.includes(escapeHtml(HOSTILE)));
  const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)
    ?.[1];
  assert.ok(data !== undefined, "the data block holds no '<' at all");
  const parsed = JSON.parse(data) as Pick<RunReport, "results">;
  assert.equal(parsed.results.length, SAMPLE_TOTALS.tests);
  assert.ok(parsed.results.some((r) => r.title.includes(HOSTILE)));
  assert.equal(embedJson({ a: "</script>&\u2028" }), '{"a":"\\u003c/script\\u003e\\u0026\\u2028"}');
  assert.equal(escapeHtml(`<a href='x'>&"`), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
});

function run(doc: string) {
  const dom = fakeDocument(doc);
  new Function("document", dom.script)(dom.document);
  return dom;
}
/** The row of test `id` (rows point into the embedded data by `data-i`). */
const rowOf = (list: FakeElement, id: string, doc = html) => {
  const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(doc);
  const ids = (JSON.parse(data?.[1] ?? "{}") as Pick<RunReport, "results">).results.map((r) =>
    r.id
  );
  return list.querySelectorAll("details.test").find((r) =>
    ids[Number(r.getAttribute("data-i"))] === id
  );
};

Deno.test("report script: filters by text, status, product and the product/requirement buttons", () => {
  const { el, list, buttons } = run(html);
  const shown = () => el("shown").textContent;
  assert.equal(shown(), "10 of 10 tests shown");
  el("q").value = "HOSTILE";
  el("q").dispatch("input");
  assert.equal(shown(), "1 of 10 tests shown");
  el("q").value = "";
  el("status").value = "bad";
  el("status").dispatch("change");
  assert.equal(shown(), "3 of 10 tests shown");
  assert.deepEqual(
    list.querySelectorAll("details.test").filter((r) => !r.hidden).map((r) =>
      r.getAttribute("data-status")
    ),
    ["fail", "error", "fail"],
  );
  el("status").value = "all";
  el("product").value = "structured";
  el("product").dispatch("change");
  assert.equal(shown(), "4 of 10 tests shown");
  const docsFailures = buttons.find((b) =>
    b.getAttribute("data-filter-product") === "documents" &&
    b.getAttribute("data-filter-status") === "bad"
  );
  docsFailures?.dispatch("click");
  assert.equal(shown(), "1 of 10 tests shown");
  buttons.find((b) => b.getAttribute("data-filter-text") === "gpc-fnd-pat-02")?.dispatch("click");
  assert.equal(shown(), "1 of 10 tests shown");
});

Deno.test("report script: a test opens to requirements, assertions, grouped validation and exchanges", () => {
  const { list } = run(html);
  const row = rowOf(list, "foundations.patient.read-hostile") as FakeElement;
  row.open = true;
  list.dispatch("toggle", row);
  const text = row.textContent;
  assert.ok(text.includes("GPC-FND-PAT-01GPC-FND-PAT-02"));
  assert.ok(text.includes("Assertions (1 of 2 passed)"));
  assert.ok(text.includes("\u2717 fail"));
  assert.ok(text.includes("error (2)") && text.includes("Fixed value (2)"));
  assert.ok(text.includes("Patient.identifier[0].system\nPatient.identifier[1].system"));
  assert.ok(text.includes("warning (1)") && text.includes("information (1)"));
  assert.ok(
    text.includes(
      "GET https://provider.example/B82617/STU3/1/gpconnect/fhir/Patient/2?access_token=[REDACTED]\n",
    ),
  );
  assert.ok(
    text.includes("Authorization: Bearer [REDACTED]\napikey: [REDACTED]\nCookie: [REDACTED]"),
  );
  assert.ok(text.includes("JWT claims (decoded)"));
  assert.ok(text.includes('"echoed": "[REDACTED-JWT]"'));
  assert.ok(
    text.includes(`HTTP 200\nContent-Type: text/html\nSet-Cookie: [REDACTED]\n\n<html>${HOSTILE}`),
  );
  for (const secret of SAMPLE_SECRETS) assert.ok(!text.includes(secret));
  list.dispatch("toggle", row);
  assert.equal(row.textContent, text, "rendered once");

  // A passing test is embedded in brief: its exchange line, no body.
  const meta = rowOf(list, "foundations.metadata.read") as FakeElement;
  meta.open = true;
  list.dispatch("toggle", meta);
  assert.ok(meta.textContent.includes("Passed, shown in brief: 1 check(s) passed"));
  assert.ok(meta.textContent.includes("Assertions (1 of 1 passed)"));
  assert.ok(!meta.textContent.includes("No assertions were checked."));
  assert.ok(!meta.textContent.includes('"resourceType": "CapabilityStatement"'));
  const error = rowOf(list, "structured.preflight") as FakeElement;
  error.open = true;
  list.dispatch("toggle", error);
  assert.ok(error.textContent.includes("Transport error: ECONNREFUSED"));
  assert.ok(error.textContent.includes("No assertions were checked."));
});

Deno.test("htmlReport: long bodies are truncated in the page with a note pointing to the evidence", async () => {
  const report = sampleReport();
  // Only tests that did not pass keep their bodies in the page.
  const failed = {
    ...report,
    results: report.results.map((r) =>
      r.id === "foundations.metadata.read" ? { ...r, status: "fail" as const } : r
    ),
  };
  const page = await htmlReport(failed, { maxBodyChars: 10 });
  const { list } = run(page);
  const row = rowOf(list, "foundations.metadata.read", page) as FakeElement;
  row.open = true;
  list.dispatch("toggle", row);
  assert.ok(
    row.textContent.includes(
      '{"resource\n\u2026 [truncated in this report: 10 of 60 characters shown',
    ),
  );
});

Deno.test("fitBodyCap: lowers the per-body limit only as far as the total budget needs", () => {
  assert.equal(fitBodyCap([10, 20, 30], 100, 1000), 100);
  assert.equal(fitBodyCap([10, 20, 30], 100, 40), 15);
  assert.equal(fitBodyCap([100, 100], 100, 0), 0);
});
