import assert from "node:assert/strict";
import type { TestResult } from "../model.ts";
import { createProgress, type ProgressOptions } from "./progress.ts";
import { SAMPLE_SECRETS, sampleReport } from "./testing/sample-report.ts";

function run(
  options: ProgressOptions = {},
  list: readonly TestResult[] = sampleReport().results,
): string {
  const report = sampleReport();
  let out = "";
  const progress = createProgress(list.length, (t) => (out += t), options);
  for (const r of list) progress.onResult(r);
  progress.finish({ ...report, results: list });
  return out;
}

Deno.test("createProgress dots: no carriage returns or escapes when not a TTY, counts at line ends", () => {
  const out = run({ width: 3 });
  assert.ok(!out.includes("\r"));
  assert.ok(!out.includes("\x1b"));
  const lines = out.split("\n");
  assert.equal(lines[0], ".   1/10", "a failure ends the dot line early");
  assert.ok(
    lines[1]?.startsWith("FAIL foundations.patient.read-hostile — Patient read returns markup"),
  );
  assert.match(
    lines[2] ?? "",
    /^ {6}\[GPC-FND-PAT-02\] resourceType is Patient: expected Patient, got /,
  );
  assert.equal(lines[3], "..   4/10");
  assert.equal(lines[4], "ERROR structured.preflight — Test structured.preflight");
  assert.equal(lines[5], "      [GPC-STR-MIG-01] connect ECONNREFUSED provider.example:443");
  assert.equal(lines[6], "s   6/10");
  assert.ok(
    out.includes(
      "\nFAILED: 4 passed, 2 failed, 1 errored, 1 inconclusive, 1 not run, 1 skipped of 10 in 9.5 s\n",
    ),
  );
  // Not-run and inconclusive tests are grouped by reason after the failures.
  assert.ok(out.includes("\nNot run (1):\n  1 × fixture role not ready: rich-record"));
  assert.ok(out.includes("\nInconclusive (1):\n  1 × its positive twin read-metadata.gen.twin"));
});

Deno.test("createProgress: failures printed as they happen, before later results", () => {
  const report = sampleReport();
  let out = "";
  const progress = createProgress(8, (t) => (out += t));
  progress.onResult(report.results[0]!);
  progress.onResult(report.results[1]!);
  assert.ok(out.includes("FAIL foundations.patient.read-hostile"));
  assert.ok(out.includes("[GPC-FND-PAT-02]"));
});

Deno.test("createProgress: untrusted text is redacted and stripped of control characters", () => {
  const out = run({ verbose: true });
  for (const secret of SAMPLE_SECRETS) assert.ok(!out.includes(secret), `leaked ${secret}`);
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(out));
});

Deno.test("createProgress verbose: one line per test with status and duration", () => {
  const out = run({ verbose: true });
  assert.ok(out.includes("PASS foundations.metadata.read (130 ms)\n"));
  assert.ok(out.includes("SKIP structured.migrate (130 ms) — target does not offer migrate\n"));
  assert.ok(
    out.includes(
      "FAIL documents/flow: retrieve big doc? — Test documents/flow: retrieve big doc?\n",
    ),
  );
});

Deno.test("createProgress tty: a redrawn status line with counts; colours only when asked", () => {
  const plain = run({ tty: true });
  assert.ok(plain.includes("\r\x1b[2K"));
  assert.ok(
    plain.includes(
      "10/10 100%  4 passed, 2 failed, 1 errored, 1 inconclusive, 1 not run, 1 skipped  " +
        "foundations.metadata.neg.missing-ssp-to",
    ),
  );
  assert.ok(!plain.includes("\x1b[3"), "no colour codes");
  const coloured = run({ tty: true, color: true });
  assert.ok(coloured.includes("\x1b[31mFAIL\x1b[0m"));
});

Deno.test("createProgress finish: summary table, failure recap capped, verdict", () => {
  const out = run({ recap: 1 });
  assert.ok(out.includes("Product"));
  assert.ok(out.includes("Failures (3):\n"));
  assert.ok(out.includes("  … and 2 more (see the reports)\n"));
  const passing = sampleReport().results.filter((r) => r.status === "pass");
  assert.ok(
    run({}, passing).includes(
      "PASSED: 4 passed, 0 failed, 0 errored, 0 inconclusive, 0 not run, 0 skipped of 4",
    ),
  );
});

Deno.test("createProgress: past the first `live` failures, failures are only counted (bounded output)", () => {
  const failing = sampleReport().results[1]!;
  const many = Array.from({ length: 500 }, (_, i) => ({ ...failing, id: `f${i}` }));
  const out = run({ live: 5, recap: 5, width: 50 }, many);
  assert.equal(out.split("FAIL f").length - 1, 5, "the first 5 as they happen, not again");
  assert.ok(out.includes("Failures (500): the first 5 are above; every one is in the reports."));
  assert.ok(out.split("\n").length < 60, `${out.split("\n").length} lines`);
});
