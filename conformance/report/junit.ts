/**
 * JUnit XML for CI systems (Jenkins, GitLab, GitHub test reporters): one `<testsuite>` per
 * product, one `<testcase>` per test (`classname` = `product.interaction`, `name` = `id — title`),
 * `<failure>`/`<error>`/`<skipped>` by status, `<properties>` with the requirement ids, tags and
 * interaction, and `<system-out>` summarising each HTTP exchange. JUnit has no status for a test
 * that was not run or was inconclusive: both are `<skipped>` whose message starts `not run:` or
 * `inconclusive:` (and the `status` property says which), counted in `skipped` (specs/decisions.md).
 * Each suite's `<properties>` carry the run's identity (target, ASIDs, ODS code, fixtures,
 * profile package hash, preflight, clock, harness commit) and the requirement verdicts
 * (`requirements.verified|failed|notRun|untested`). Counts are those of `report.results`, as in
 * every other output. All text is redacted and XML-escaped; characters
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
  } else if (r.status === "not-run") {
    out.push(`      <skipped message="${attr(`not run: ${r.reason ?? "not run"}`)}"/>`);
  } else if (r.status === "inconclusive") {
    out.push(
      `      <skipped message="${attr(`inconclusive: ${r.reason ?? "inconclusive"}`)}">` +
        `${escapeXml(failureBody(r))}</skipped>`,
    );
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
  const skipped = t.skipped + t.notRun + t.inconclusive;
  return `tests="${t.tests}" failures="${t.failed}" errors="${t.errored}" skipped="${skipped}"`;
}

/** The run's identity and verdict counts as suite properties (name, value). */
export function runProperties(safe: RunReport): Array<[string, string]> {
  const c = safe.coverage;
  const props: Array<[string, string]> = [
    ["tool", `${safe.tool.name} ${safe.tool.version}`],
    ["target.kind", safe.target.kind],
    ["target", safe.target.description],
    ["runClock", safe.runClock],
    ...Object.entries(safe.target.roots).map(([k, v]): [string, string] => [`root.${k}`, v]),
    ...(safe.target.sspPrefix ? [["sspPrefix", safe.target.sspPrefix] as [string, string]] : []),
    ["requirements", String(c.requirements)],
    ["requirements.verified", String(c.verified.length)],
    ["requirements.failed", String(c.failed.length)],
    ["requirements.notRun", String(c.notRun.length)],
    ["requirements.untested", String(c.untested.length)],
    ["tests.notRun", String(safe.totals.notRun)],
    ["tests.inconclusive", String(safe.totals.inconclusive)],
  ];
  const id = safe.identity;
  if (id) {
    props.push(
      ["odsCode", id.odsCode],
      ["sspFrom", id.sspFrom],
      ["sspTo", id.sspTo],
      ["fixtures.file", id.fixtures.file ?? "(default roles)"],
      ...Object.entries(id.fixtures.roles).map(([role, f]): [string, string] => [
        `fixture.${role}`,
        `${f.nhsNumber} (${f.expect})`,
      ]),
      ["profiles.dir", id.profiles?.dir ?? "(not loaded)"],
      ["profiles.sha256", id.profiles?.sha256 ?? ""],
      ["preflight", preflightLine(id.preflight)],
      ["insecure", String(id.insecure)],
      ["clockGiven", String(id.clockGiven)],
      ["harness.version", id.harness.version],
      [
        "harness.commit",
        `${id.harness.commit ?? "unknown"}${id.harness.dirty ? " (modified)" : ""}`,
      ],
      ["evidence", id.evidence],
    );
  }
  return props;
}

/** The preflight in one line, e.g. `partial: 2 of 23 role(s) not ready (…)`. */
export function preflightLine(p: NonNullable<RunReport["identity"]>["preflight"]): string {
  const notReady = Object.keys(p.notReady);
  const stop = p.stopped
    ? "; run STOPPED"
    : p.keepGoing && p.outcome !== "ready"
    ? "; --keep-going"
    : "";
  return `${p.outcome}: ${p.searches} Patient search(es), ${notReady.length} of ${p.roles} ` +
    `role(s) not ready${notReady.length > 0 ? ` (${notReady.join(", ")})` : ""}${stop}`;
}

/** The JUnit XML document for `report` (UTF-8, with an XML declaration). */
export function junitXml(report: RunReport): string {
  const safe = sanitizeReport(report);
  const duration = Math.max(0, Date.parse(safe.finishedAt) - Date.parse(safe.startedAt)) || 0;
  const runProps = runProperties(safe);
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
