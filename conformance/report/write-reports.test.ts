import assert from "node:assert/strict";
import type { RunReport, TestResult } from "../model.ts";
import { htmlReport } from "./html-report.ts";
import { junitXml } from "./junit.ts";
import { list, parseJunit } from "./testing/parse-junit.ts";
import { countsAt, listFiles } from "./testing/read-outputs.ts";
import { SAMPLE_SECRETS, SAMPLE_TOTALS, sampleReport } from "./testing/sample-report.ts";
import { exitCode, writeReports } from "./write-reports.ts";
import { writeEvidence } from "./evidence.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "gpc-reports-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The totals each written format reports, read back from the files. */
async function countsFromFiles(
  paths: Record<string, string>,
): Promise<Record<string, Record<string, number>>> {
  const json = JSON.parse(await Deno.readTextFile(paths.json!)) as RunReport;
  const { root } = parseJunit(await Deno.readTextFile(paths.junit!));
  const n = (k: string) => Number(root[`@_${k}`]);
  // JUnit has no not-run or inconclusive: they are <skipped> (their messages say which).
  const junit = {
    tests: n("tests"),
    passed: n("tests") - n("failures") - n("errors") - n("skipped"),
    failed: n("failures"),
    errored: n("errors"),
    skipped: n("skipped"),
  };
  const html = countsAt(await Deno.readTextFile(paths.html!), 'id="totals"');
  const index = JSON.parse(await Deno.readTextFile(`${paths.evidence}/index.json`));
  const statuses: string[] = [];
  for (const t of index.tests) {
    // Passing tests are summarized in the index; every other has its folder.
    statuses.push(
      t.folder === undefined
        ? t.status
        : JSON.parse(await Deno.readTextFile(`${paths.evidence}/${t.folder}/result.json`)).status,
    );
  }
  const count = (s: string) => statuses.filter((x) => x === s).length;
  const evidence = {
    tests: statuses.length,
    passed: count("pass"),
    failed: count("fail"),
    errored: count("error"),
    skipped: count("skip"),
    notRun: count("not-run"),
    inconclusive: count("inconclusive"),
  };
  const { "not-run": htmlNotRun, ...htmlRest } = html;
  return {
    json: { ...json.totals },
    junit,
    html: { ...htmlRest, notRun: htmlNotRun ?? -1 },
    evidence,
  };
}

Deno.test("writeReports: writes every format and returns their paths", async () => {
  await withDir(async (dir) => {
    const paths = await writeReports(sampleReport(), {
      outDir: `${dir}/out/`,
      formats: ["html", "json", "junit", "evidence"],
    });
    assert.deepEqual(paths, {
      json: `${dir}/out/report.json`,
      junit: `${dir}/out/junit.xml`,
      html: `${dir}/out/report.html`,
      evidence: `${dir}/out/evidence`,
    });
    const only = await writeReports(sampleReport(), {
      outDir: `${dir}/only`,
      formats: ["junit", "junit"],
    });
    assert.deepEqual(Object.keys(only), ["junit"]);
    assert.deepEqual(await listFiles(`${dir}/only`), ["junit.xml"]);
  });
});

Deno.test("writeReports: JUnit, JSON, HTML and evidence agree on the counts, even when the report's own totals are wrong", async () => {
  await withDir(async (dir) => {
    const wrong: RunReport = {
      ...sampleReport(),
      totals: {
        tests: 1,
        passed: 1,
        failed: 0,
        errored: 0,
        skipped: 0,
        notRun: 0,
        inconclusive: 0,
      },
    };
    const paths = await writeReports(wrong, {
      outDir: dir,
      formats: ["json", "junit", "html", "evidence"],
    });
    const counts = await countsFromFiles(paths);
    const { notRun, inconclusive, ...junitShape } = SAMPLE_TOTALS;
    for (const [format, totals] of Object.entries(counts)) {
      assert.deepEqual(
        totals,
        format === "junit"
          ? { ...junitShape, skipped: SAMPLE_TOTALS.skipped + notRun + inconclusive }
          : SAMPLE_TOTALS,
        format,
      );
    }
    const evidenceReport = JSON.parse(await Deno.readTextFile(`${paths.evidence}/report.json`));
    assert.equal(
      JSON.stringify(evidenceReport),
      JSON.stringify(JSON.parse(await Deno.readTextFile(paths.json!))),
    );
  });
});

Deno.test("writeReports: no planted secret appears in any file written", async () => {
  await withDir(async (dir) => {
    await writeReports(sampleReport(), {
      outDir: dir,
      formats: ["json", "junit", "html", "evidence"],
    });
    const files = await listFiles(dir);
    assert.ok(files.length > 20, `${files.length} files`);
    for (const f of files) {
      const text = await Deno.readTextFile(`${dir}/${f}`);
      for (const secret of SAMPLE_SECRETS) assert.ok(!text.includes(secret), `${secret} in ${f}`);
    }
  });
});

Deno.test("exitCode: non-zero iff a test failed or errored; skips alone and empty runs pass", () => {
  const report = sampleReport();
  const only = (...statuses: string[]) => ({
    ...report,
    results: report.results.filter((r) => statuses.includes(r.status)),
  });
  assert.equal(exitCode(report), 1);
  assert.equal(exitCode(only("pass", "skip")), 0);
  assert.equal(exitCode(only("skip")), 0);
  assert.equal(exitCode(only()), 0);
  assert.equal(exitCode(only("pass", "error")), 1);
  // Not run and inconclusive beside passes do not fail the run; alone (nothing passed) they do.
  assert.equal(exitCode(only("pass", "not-run", "inconclusive")), 0);
  assert.equal(exitCode(only("not-run")), 1);
  assert.equal(exitCode(only("inconclusive", "skip")), 1);
  // A run the preflight stopped fails whatever its results.
  const stopped = only("pass");
  assert.equal(
    exitCode({
      ...stopped,
      identity: {
        ...report.identity!,
        preflight: { ...report.identity!.preflight, outcome: "unreachable", stopped: true },
      },
    }),
    1,
  );
  assert.equal(exitCode(only("pass", "fail")), 1);
  assert.equal(
    exitCode({
      ...only("pass"),
      totals: {
        tests: 9,
        passed: 0,
        failed: 9,
        errored: 0,
        skipped: 0,
        notRun: 0,
        inconclusive: 0,
      },
    }),
    0,
    "results decide, not stored totals",
  );
});

Deno.test("reports scale: 1,500 tests with 2 exchanges each render and write quickly", async () => {
  const base = sampleReport();
  const results: TestResult[] = Array.from({ length: 1500 }, (_, i) => {
    const template = base.results[i % base.results.length]!;
    const exchanges = [...template.exchanges, ...template.exchanges].slice(0, 2).map((e, k) => ({
      ...e,
      latencyMs: (i * 37 + k * 101) % 2500,
    }));
    return { ...template, id: `${template.id}.${i}`, exchanges };
  });
  const big: RunReport = { ...base, results };
  let t = performance.now();
  const html = await htmlReport(big);
  const htmlMs = performance.now() - t;
  assert.equal(countsAt(html, 'id="totals"').tests, 1500);
  assert.ok(htmlMs < 5000, `html took ${htmlMs} ms`);
  t = performance.now();
  const { suites } = parseJunit(junitXml(big));
  assert.equal(suites.reduce((n, s) => n + list(s.testcase).length, 0), 1500);
  await withDir(async (dir) => {
    t = performance.now();
    const summary = await writeEvidence(big, dir);
    const evidenceMs = performance.now() - t;
    // Passing tests are summarized in index.json; the others have a folder each.
    assert.ok(summary.files > 2000);
    assert.ok(evidenceMs < 20_000, `evidence took ${evidenceMs} ms`);
  });
});
