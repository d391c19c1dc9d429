/**
 * The harness against a provider that refuses everything (its ASID is not the `Ssp-To` sent):
 * the preflight stops the run (exit 1, every test not run); with `--keep-going` no negative
 * passes (each is inconclusive, its positive twin having failed), no requirement is verified,
 * and the reports of such a run stay small.
 */
import assert from "node:assert/strict";
import { profileTest } from "../validation/test-profiles.ts";
import { type DirectRun, runDirectAgainst } from "./direct-run.ts";
import { rejectingProvider } from "./rejecting-provider.ts";

function runAgainstRejecting(args: readonly string[]): Promise<DirectRun> {
  const provider = rejectingProvider();
  return runDirectAgainst((request) => provider.fetch(request), args, "json,junit,html");
}

profileTest("against a provider that refuses everything the preflight stops the run", async () => {
  const { status, report, output: out } = await runAgainstRejecting(["--product", "foundations"]);
  assert.equal(status, 1);
  assert.equal(report.identity?.preflight.stopped, true);
  assert.equal(report.identity?.preflight.outcome, "not-ready");
  assert.ok(report.results.length > 100);
  assert.ok(report.results.every((r) => r.status === "not-run"), "nothing ran");
  assert.deepEqual(report.coverage.verified, []);
  assert.match(out, /STOPPED: no fixture role is ready.*--keep-going/);
  assert.ok(out.split("\n").length < 60, `one summary, not a line per test (${out.length})`);
});

profileTest(
  "with --keep-going no negative passes, none is verified, and the reports stay small",
  async () => {
    const { status, report, output: out, fileSizes } = await runAgainstRejecting([
      "--product",
      "foundations",
      "--keep-going",
    ]);
    assert.equal(status, 1);
    assert.equal(report.identity?.preflight.stopped, false);
    const negatives = report.results.filter((r) => r.tags.includes("negative"));
    assert.ok(negatives.length > 100, `${negatives.length} negatives`);
    assert.deepEqual(
      negatives.filter((r) => r.status === "pass").map((r) => r.id),
      [],
      "no negative passes against a provider that refuses everything",
    );
    assert.ok(negatives.every((r) => r.status === "inconclusive" || r.status === "not-run"));
    assert.ok(report.results.some((r) => r.id === "read-metadata.gen.twin" && r.status === "fail"));
    assert.deepEqual(report.coverage.verified, [], "no requirement is verified");
    assert.deepEqual(
      report.results.filter((r) => r.status === "pass").map((r) => r.id),
      [],
      "nothing passes",
    );
    assert.ok(out.split("\n").length < 150, `bounded console output (${out.split("\n").length})`);
    for (const name of ["report.json", "report.html", "junit.xml"]) {
      const size = fileSizes[name];
      assert.ok(size !== undefined && size < 5_000_000, `${name}: ${size} bytes`);
    }
  },
);
