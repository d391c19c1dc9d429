/**
 * Counting shared by every reporter, so the terminal, JUnit, JSON, HTML and evidence outputs agree:
 * totals are always derived from `RunReport.results`, never copied from elsewhere.
 *
 * @module
 */

import { type Product, products, type TestResult, type Totals } from "../model.ts";

/** Products in the order reports list them; other keys follow alphabetically. */
export const PRODUCT_ORDER: readonly Product[] = products;

/** Counts of `results` by status. */
export function tally(results: readonly TestResult[]): Totals {
  let passed = 0, failed = 0, errored = 0, skipped = 0, notRun = 0, inconclusive = 0;
  for (const r of results) {
    if (r.status === "pass") passed++;
    else if (r.status === "fail") failed++;
    else if (r.status === "error") errored++;
    else if (r.status === "not-run") notRun++;
    else if (r.status === "inconclusive") inconclusive++;
    else skipped++;
  }
  return { tests: results.length, passed, failed, errored, skipped, notRun, inconclusive };
}

/** `keys` in report order: the known products first, then the rest sorted. */
export function orderProducts(keys: Iterable<string>): string[] {
  const set = new Set(keys);
  const known: string[] = PRODUCT_ORDER.filter((p) => set.has(p));
  const rest = [...set].filter((k) => !known.includes(k)).sort();
  return [...known, ...rest];
}

/**
 * Counts per product, in report order. `extraKeys` (e.g. products selected but with no results)
 * appear with zero counts.
 */
export function tallyByProduct(
  results: readonly TestResult[],
  extraKeys: Iterable<string> = [],
): Record<string, Totals> {
  const groups = new Map<string, TestResult[]>();
  for (const key of extraKeys) groups.set(key, []);
  for (const r of results) {
    const list = groups.get(r.product);
    if (list) list.push(r);
    else groups.set(r.product, [r]);
  }
  const out: Record<string, Totals> = {};
  for (const key of orderProducts(groups.keys())) out[key] = tally(groups.get(key) ?? []);
  return out;
}

/**
 * A verdict for a set of counts: `fail` if anything failed or errored; otherwise `pass` if
 * something passed (skips, not-run and inconclusive tests are shown beside it, never counted as
 * passes); `skip` if nothing passed but some test was skipped, not run or inconclusive; `none` if
 * there were no tests.
 */
export type Verdict = "pass" | "fail" | "skip" | "none";

/** The verdict for `t` (see {@link Verdict}). */
export function verdict(t: Totals): Verdict {
  if (t.failed + t.errored > 0) return "fail";
  if (t.passed > 0) return "pass";
  return t.skipped + t.notRun + t.inconclusive > 0 ? "skip" : "none";
}

/** Tests that neither passed nor failed: skipped, not run or inconclusive. */
export function undecided(t: Totals): number {
  return t.skipped + t.notRun + t.inconclusive;
}

/** The first reason a test did not pass: text and the requirement it concerns. */
export interface FirstFailure {
  readonly text: string;
  readonly requirement?: string;
}

/**
 * Why `r` failed or errored, in one line: its first failed assertion (with that assertion's
 * requirement, else the test's first), else its first validation error, else its reason; for an
 * inconclusive test its reason. `undefined` for passed, skipped and not-run tests.
 */
export function firstFailure(r: TestResult): FirstFailure | undefined {
  if (r.status === "pass" || r.status === "skip" || r.status === "not-run") return undefined;
  if (r.status === "inconclusive") return { text: r.reason ?? "inconclusive" };
  const fallbackReq = r.requirements[0];
  const withReq = (text: string, requirement: string | undefined): FirstFailure =>
    requirement === undefined ? { text } : { text, requirement };
  if (r.status === "error") return withReq(r.reason ?? "error", fallbackReq);
  const a = r.assertions.find((x) => !x.passed);
  if (a) {
    const step = a.step ? `[${a.step}] ` : "";
    const text = `${step}${a.description}${a.message ? `: ${a.message}` : ""}`;
    return withReq(text, a.requirement ?? fallbackReq);
  }
  const v = r.validation.find((x) => x.severity === "error");
  if (v) return withReq(`${v.path}: ${v.message}`, fallbackReq);
  return withReq(r.reason ?? "failed", fallbackReq);
}

/** A requirement and the failed tests that report it. */
export interface FailingRequirement {
  readonly id: string;
  readonly tests: readonly string[];
}

/**
 * Requirements behind failed tests, most failing first (ties by id). A failed test counts
 * against the requirements of its failed assertions; when none of them names one, against
 * all the test's requirements.
 */
export function failingRequirements(results: readonly TestResult[]): FailingRequirement[] {
  const byReq = new Map<string, string[]>();
  for (const r of results) {
    if (r.status !== "fail") continue;
    const fromAssertions = r.assertions
      .filter((a) => !a.passed && a.requirement !== undefined)
      .map((a) => a.requirement as string);
    const reqs = new Set(fromAssertions.length > 0 ? fromAssertions : r.requirements);
    for (const id of reqs) {
      const list = byReq.get(id);
      if (list) list.push(r.id);
      else byReq.set(id, [r.id]);
    }
  }
  return [...byReq].map(([id, tests]) => ({ id, tests }))
    .sort((a, b) => b.tests.length - a.tests.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every exchange latency (ms) in `results`, sorted ascending; negative or NaN ones dropped. */
export function latencies(results: readonly TestResult[]): number[] {
  const out: number[] = [];
  for (const r of results) {
    for (const e of r.exchanges) {
      if (Number.isFinite(e.latencyMs) && e.latencyMs >= 0) out.push(e.latencyMs);
    }
  }
  return out.sort((a, b) => a - b);
}

/** Nearest-rank percentile `p` (0–100) of ascending `sorted`; `NaN` when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** A duration for people: `850 ms`, `4.2 s`, `3m 07s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}
