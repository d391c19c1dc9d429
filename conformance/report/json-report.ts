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

/** The report as JSON text (2-space indent, trailing newline), valid against the schema. */
export function jsonReport(report: RunReport): string {
  return `${JSON.stringify(summarizeReport(report), null, 2)}\n`;
}

/** Reads the report schema from {@link REPORT_SCHEMA_URL}. */
export async function readReportSchema(): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(REPORT_SCHEMA_URL)) as Record<string, unknown>;
}
