/**
 * JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters): one `<testsuite>` per
 * product, one `<testcase>` per test (`classname` = `product.interaction`, `name` = `id — title`),
 * `<failure>`/`<error>`/`<skipped>` by status, `<properties>` with the requirement ids, tags and
 * interaction, and `<system-out>` summarising each HTTP exchange. Counts are those of
 * `report.results`, as in every other output. All text is redacted and XML-escaped; characters
 * XML 1.0 forbids are replaced.
 *
 * @module
 */

import type { Exchange, RunReport, TestResult, Totals } from "../model.ts";
import { sanitizeReport } from "./redact.ts";
import { firstFailure } from "./tally.ts";

/** Characters not allowed in XML 1.0 (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F). */
const XML_INVALID =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` safe as XML character data or a double-quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** An attribute value: escaped, with line breaks and tabs kept as character references. */
function attr(text: string): string {
  return escapeXml(text).replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}

/**
 * The short form of an interaction URN used in `classname`: the segments after `fhir`, without
 * `rest`/`operation` (`read:patient-1`, `gpc.getstructuredrecord-1`); `flow` when there is none.
 */
export function shortInteraction(interaction: string | undefined): string {
  if (!interaction) return "flow";
  const parts = interaction.split(":");
  const at = parts.lastIndexOf("fhir");
  const tail = (at >= 0 ? parts.slice(at + 1) : parts.slice(-2))
    .filter((p) => p !== "rest" && p !== "operation");
  return tail.length > 0 ? tail.join(":") : interaction;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** One line per exchange: step, method, URL, status or transport error, latency. */
export function exchangeSummary(e: Exchange, index: number): string {
  const step = e.step ? `[${e.step}] ` : "";
  const outcome = e.response ? String(e.response.status) : `no response (${e.error ?? "unknown"})`;
  return `#${index + 1} ${step}${e.request.method} ${e.request.url} -> ${outcome} ` +
    `in ${Math.round(e.latencyMs)} ms at ${e.startedAt}`;
}

function failureBody(r: TestResult): string {
  const lines = r.assertions.filter((a) => !a.passed).map((a) =>
    `${a.step ? `[${a.step}] ` : ""}${a.requirement ? `${a.requirement}: ` : ""}` +
    `${a.description}${a.message ? ` — ${a.message}` : ""}`
  );
  const errors = r.validation.filter((v) => v.severity === "error");
  for (const v of errors.slice(0, 50)) {
    lines.push(`validation ${v.rule} at ${v.path}: ${v.message}`);
  }
  if (errors.length > 50) lines.push(`… ${errors.length - 50} more validation errors`);
  if (r.reason) lines.push(`reason: ${r.reason}`);
  return lines.join("\n");
}

function testcase(r: TestResult): string {
  const props = [
    ...r.requirements.map((id) => ["requirement", id]),
    ...r.tags.map((t) => ["tag", t]),
    ...(r.interaction ? [["interaction", r.interaction]] : []),
    ["status", r.status],
    ["startedAt", r.startedAt],
  ];
  const out = [
    `    <testcase classname="${attr(`${r.product}.${shortInteraction(r.interaction)}`)}" ` +
    `name="${attr(`${r.id} — ${r.title}`)}" time="${seconds(r.durationMs)}">`,
    "      <properties>",
    ...props.map(([n, v]) =>
      `        <property name="${attr(n ?? "")}" value="${attr(v ?? "")}"/>`
    ),
    "      </properties>",
  ];
  const first = firstFailure(r);
  if (r.status === "fail") {
    out.push(
      `      <failure message="${attr(first?.text ?? "failed")}" type="assertion">` +
        `${escapeXml(failureBody(r))}</failure>`,
    );
  } else if (r.status === "error") {
    out.push(
      `      <error message="${attr(r.reason ?? first?.text ?? "error")}" type="harness">` +
        `${escapeXml(failureBody(r))}</error>`,
    );
  } else if (r.status === "skip") {
    out.push(`      <skipped message="${attr(r.reason ?? "skipped")}"/>`);
  }
  if (r.exchanges.length > 0) {
    out.push(
      `      <system-out>${escapeXml(r.exchanges.map(exchangeSummary).join("\n"))}</system-out>`,
    );
  }
  out.push("    </testcase>");
  return out.join("\n");
}

function countAttrs(t: Totals): string {
  return `tests="${t.tests}" failures="${t.failed}" errors="${t.errored}" skipped="${t.skipped}"`;
}

/** The JUnit XML document for `report` (UTF-8, with an XML declaration). */
export function junitXml(report: RunReport): string {
  const safe = sanitizeReport(report);
  const duration = Math.max(0, Date.parse(safe.finishedAt) - Date.parse(safe.startedAt)) || 0;
  const runProps = [
    ["tool", `${safe.tool.name} ${safe.tool.version}`],
    ["target.kind", safe.target.kind],
    ["target", safe.target.description],
    ["runClock", safe.runClock],
    ...Object.entries(safe.target.roots).map(([k, v]) => [`root.${k}`, v]),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(safe.tool.name)}" ${countAttrs(safe.totals)} ` +
    `time="${seconds(duration)}" timestamp="${attr(safe.startedAt)}">`,
  ];
  let id = 0;
  for (const [product, totals] of Object.entries(safe.byProduct)) {
    const results = safe.results.filter((r) => r.product === product);
    const time = results.reduce((sum, r) => sum + Math.max(0, r.durationMs), 0);
    lines.push(
      `  <testsuite id="${id++}" name="${attr(product)}" ${countAttrs(totals)} ` +
        `time="${seconds(time)}" timestamp="${attr(safe.startedAt)}">`,
      "    <properties>",
      ...runProps.map(([n, v]) =>
        `      <property name="${attr(n ?? "")}" value="${attr(v ?? "")}"/>`
      ),
      "    </properties>",
      ...results.map(testcase),
      "  </testsuite>",
    );
  }
  lines.push("</testsuites>", "");
  return lines.join("\n");
}
