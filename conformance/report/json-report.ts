/**
 * The JSON report: the {@link RunReport} object itself, redacted, with counts recounted from its
 * results and passing tests in brief (summarize.ts: no headers, bodies or JWT claims; the
 * evidence folder keeps them with `--evidence all`), pretty-printed. Its schema, documenting every field, is
 * `conformance/report-schema.json` (JSON Schema draft 2020-12, `$id` {@link REPORT_SCHEMA_ID}).
 *
 * @module
 */

import type { RunReport } from "../model.ts";
import { summarizeReport } from "./summarize.ts";

/** Where the JSON Schema of the report lives (a `file:` URL beside this module's folder). */
export const REPORT_SCHEMA_URL: URL = new URL("../report-schema.json", import.meta.url);

/** The schema's `$id`; changes only when `schemaVersion` does. */
export const REPORT_SCHEMA_ID = "urn:gpc-edge:conformance:run-report:1";

/**
 * The report as JSON text, valid against the schema: 2-space indent, except that each result is
 * one line (a full suite's thousands of results stay readable with `grep` and the file small),
 * trailing newline.
 */
export function jsonReport(report: RunReport): string {
  const { results, ...rest } = summarizeReport(report);
  const head = JSON.stringify({ ...rest, results: [] }, null, 2);
  if (results.length === 0) return `${head}\n`;
  const lines = results.map((result) => `    ${JSON.stringify(result)}`).join(",\n");
  // `head` ends with `"results": []\n}`: open the array, one result per line, close it.
  return `${head.slice(0, head.lastIndexOf("[]"))}[\n${lines}\n  ]\n}\n`;
}

/** Reads the report schema from {@link REPORT_SCHEMA_URL}. */
export async function readReportSchema(): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(REPORT_SCHEMA_URL)) as Record<string, unknown>;
}
