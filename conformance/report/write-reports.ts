/**
 * Writes the chosen report formats of a run and decides the exit status.
 *
 * Every format is rendered from the same sanitized report (secrets redacted, counts recounted
 * from the results), so `report.json`, `junit.xml`, `report.html` and `evidence/` agree on
 * every count.
 *
 * Exit status: `exit-code.ts` (1 if a test failed or errored, the preflight stopped the run, or
 * nothing passed while tests were not run or inconclusive; else 0). A skipped, not-run or
 * inconclusive test is not a pass: reports show them beside passes, and the requirements behind
 * them stay unverified. The CLI may use other codes (e.g. 2) for its own usage or configuration
 * errors.
 *
 * @module
 */

import { reportFormats } from "../config/config-fields.ts";
import type { ReportFormat } from "../config/harness-config.ts";
import type { RunReport } from "../model.ts";
import { type EvidenceMode, writeEvidence } from "./evidence.ts";
import { htmlReport } from "./html-report.ts";
import { jsonReport } from "./json-report.ts";
import { junitXml } from "./junit.ts";
import { sanitizeReport } from "./redact.ts";

/** A report format {@link writeReports} can write. */
export type { ReportFormat };

/** Every format, in the order they are written. */
export const REPORT_FORMATS: readonly ReportFormat[] = reportFormats;

/** File (or folder) name of each format inside `outDir`. */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  json: "report.json",
  junit: "junit.xml",
  html: "report.html",
  evidence: "evidence",
};

/** Options of {@link writeReports}. */
export interface WriteReportsOptions {
  /** Folder to write into; created if needed. */
  readonly outDir: string;
  /** Formats to write; duplicates are ignored. */
  readonly formats: ReadonlyArray<ReportFormat>;
  /** What the evidence folder keeps of passing tests (default `failures`: a summary). */
  readonly evidence?: EvidenceMode;
}

/**
 * Writes `report` in each of `options.formats` into `options.outDir`.
 *
 * @returns the path written per format, e.g. `{ json: "out/report.json", evidence: "out/evidence" }`
 */
export async function writeReports(
  report: RunReport,
  options: WriteReportsOptions,
): Promise<Record<string, string>> {
  const safe = sanitizeReport(report);
  const outDir = options.outDir.replace(/\/+$/, "") || "/";
  await Deno.mkdir(outDir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const format of REPORT_FORMATS) {
    if (!options.formats.includes(format)) continue;
    const path = `${outDir === "/" ? "" : outDir}/${REPORT_FILES[format]}`;
    if (format === "json") await Deno.writeTextFile(path, jsonReport(safe));
    else if (format === "junit") await Deno.writeTextFile(path, junitXml(safe));
    else if (format === "html") await Deno.writeTextFile(path, await htmlReport(safe));
    else await writeEvidence(safe, path, { evidence: options.evidence ?? "failures" });
    paths[format] = path;
  }
  return paths;
}

export { exitCode } from "./exit-code.ts";
