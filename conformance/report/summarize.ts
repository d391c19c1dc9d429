/**
 * Passing tests in brief: report.json and report.html keep, for a test that passed, the number
 * of its assertions (`passedChecks`) with the requirements they credit merged into
 * `requirements`, its warnings and each exchange's method, URL, status, timing and trace id, and
 * leave out the assertions themselves, headers, bodies, JWT claims and information-level
 * validation messages (`detail: "summary"`). Failing, errored, inconclusive, skipped and not-run
 * tests keep everything. The evidence folder keeps
 * passing tests' full exchanges once, in one archive, with `--evidence all` (evidence.ts).
 * This is what keeps the reports of a full suite under 5 MB.
 *
 * @module
 */
import type { Exchange, RunReport, TestResult } from "../model.ts";
import { sanitizeReport } from "./redact.ts";
import { namedRequirements } from "./requirement-coverage.ts";

/** Headers a summary keeps (lower case): the trace id ties the exchange to the provider's logs. */
const KEPT_HEADERS = new Set(["ssp-traceid"]);

function keptHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => KEPT_HEADERS.has(name.toLowerCase())),
  );
}

/** An exchange without bodies, JWT claims and most headers. */
export function summarizeExchange(e: Exchange): Exchange {
  return {
    ...(e.step === undefined ? {} : { step: e.step }),
    request: {
      method: e.request.method,
      url: e.request.url,
      headers: keptHeaders(e.request.headers),
    },
    ...(e.response
      ? { response: { status: e.response.status, headers: keptHeaders(e.response.headers) } }
      : {}),
    ...(e.error === undefined ? {} : { error: e.error }),
    startedAt: e.startedAt,
    latencyMs: e.latencyMs,
  };
}

/** A passing result in brief (see the module doc); any other result unchanged. */
export function summarizeResult(r: TestResult): TestResult {
  if (r.status !== "pass" || r.detail === "summary") return r;
  const kept = r.validation.filter((v) => v.severity !== "information");
  const omitted = r.validation.length - kept.length;
  return {
    ...r,
    requirements: namedRequirements(r),
    assertions: [],
    validation: kept,
    exchanges: r.exchanges.map(summarizeExchange),
    detail: "summary",
    passedChecks: r.assertions.length,
    ...(omitted > 0 ? { omittedMessages: omitted } : {}),
  };
}

/**
 * The report with passing tests in brief (sanitized first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleReport } from "./testing/sample-report.ts";
 * const brief = summarizeReport(sampleReport());
 * const passed = brief.results.filter((r) => r.status === "pass");
 * assert.ok(passed.every((r) => r.detail === "summary"));
 * assert.ok(passed.flatMap((r) => r.exchanges).every((e) => e.response?.body === undefined));
 * ```
 */
export function summarizeReport(report: RunReport): RunReport {
  const safe = sanitizeReport(report);
  return { ...safe, results: safe.results.map(summarizeResult) };
}
