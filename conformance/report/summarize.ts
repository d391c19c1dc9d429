/**
 * Passing tests in brief: report.json and report.html keep, for a test that passed, the number
 * of its assertions (`passedChecks`) with the requirements they credit merged into
 * `requirements`, its warnings and each exchange's method, URL, status, timing and trace id, and
 * leave out the assertions themselves, headers, bodies, JWT claims and information-level
 * validation messages (`detail: "summary"`). Tests that did not pass keep everything, up to a
 * budget; past it, they keep their failed assertions and validation errors only. The evidence folder keeps
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

/** A test that did not pass, in brief: its failed assertions and validation errors kept. */
export function briefFailure(r: TestResult): TestResult {
  if (r.detail === "summary") return r;
  const failed = r.assertions.filter((a) => !a.passed);
  const errors = r.validation.filter((v) => v.severity === "error");
  const kept = errors.slice(0, 20);
  const omitted = r.validation.length - kept.length;
  return {
    ...r,
    assertions: failed,
    validation: kept,
    exchanges: r.exchanges.map(summarizeExchange),
    detail: "summary",
    passedChecks: r.assertions.length - failed.length,
    ...(omitted > 0 ? { omittedMessages: omitted } : {}),
  };
}

/** Options of {@link summarizeReport}. */
export interface SummarizeOptions {
  /**
   * Characters of JSON the tests that did not pass may take in full (default 1,500,000): failed
   * and errored tests first, then the others, in run order; past it they are in brief too
   * ({@link briefFailure}), so a run against a provider that fails everything still writes a
   * small report. The evidence folder has every one of them in full.
   */
  readonly detailBudget?: number;
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
export function summarizeReport(report: RunReport, options: SummarizeOptions = {}): RunReport {
  const safe = sanitizeReport(report);
  let budget = options.detailBudget ?? 1_500_000;
  const full = new Set<TestResult>();
  const bad = (r: TestResult) => r.status === "fail" || r.status === "error";
  for (const pass of [bad, (r: TestResult) => r.status !== "pass" && !bad(r)]) {
    for (const r of safe.results) {
      if (!pass(r)) continue;
      const size = JSON.stringify(r).length;
      if (size > budget) continue;
      budget -= size;
      full.add(r);
    }
  }
  return {
    ...safe,
    results: safe.results.map((r) =>
      r.status === "pass" ? summarizeResult(r) : full.has(r) ? r : briefFailure(r)
    ),
  };
}
