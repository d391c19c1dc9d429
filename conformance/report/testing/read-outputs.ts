/**
 * Test helpers that read written reports back: files under a folder, the `data-*` counts of
 * the HTML report, the archive of passing tests and a report with them in full.
 *
 * @module
 */
import type { RunReport, TestResult } from "../../model.ts";

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * The `data-tests|passed|failed|errored|skipped|not-run|inconclusive` counts on the first tag
 * containing `marker`.
 */
export function countsAt(html: string, marker: string): Record<string, number> {
  const tag = new RegExp(`<[a-z]+ [^>]*${marker}[^>]*>`).exec(html)?.[0] ?? "";
  const out: Record<string, number> = {};
  for (
    const m of tag.matchAll(
      /data-(tests|passed|failed|errored|skipped|not-run|inconclusive)="(\d+)"/g,
    )
  ) {
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

/**
 * A report read back from an output folder written with `--format json,evidence --evidence all`,
 * its passing results replaced by their full form from `evidence/passed.jsonl.gz` (report.json
 * keeps passing tests in brief), for tests that look into a passing test's assertions or
 * exchanges.
 */
export async function readFullReport(out: string): Promise<RunReport> {
  const report = JSON.parse(await Deno.readTextFile(`${out}/report.json`)) as RunReport;
  const { results } = await readPassedArchive(`${out}/evidence/passed.jsonl.gz`);
  const full = new Map(results.map((result) => [result.id, result]));
  return { ...report, results: report.results.map((result) => full.get(result.id) ?? result) };
}

/** The passing tests in full from an evidence archive (`passed.jsonl.gz`), and its text. */
export async function readPassedArchive(
  path: string,
): Promise<{ results: TestResult[]; text: string }> {
  const gz = await Deno.readFile(path);
  const text = await new Response(
    new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const results = text.split("\n").filter((line) => line.trim() !== "").map((line) =>
    JSON.parse(line) as TestResult
  );
  return { results, text };
}
