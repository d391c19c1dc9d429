/**
 * The harness against a provider that refuses everything (its ASID is not the `Ssp-To` sent):
 * the preflight stops the run (exit 1, every test not run); with `--keep-going` no negative
 * passes (each is inconclusive, its positive twin having failed), no requirement is verified,
 * and the reports of such a run stay small.
 */
import assert from "node:assert/strict";
import { main } from "../cli.ts";
import type { RunReport } from "../model.ts";
import { gpConnectProfilesDir, profileTest } from "../validation/test-profiles.ts";
import { rejectingProvider } from "./rejecting-provider.ts";

interface Run {
  readonly status: number;
  readonly report: RunReport;
  readonly out: string;
  readonly sizes: Readonly<Record<string, number>>;
}

async function runAgainstRejecting(args: readonly string[]): Promise<Run> {
  const provider = rejectingProvider();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => provider.fetch(request),
  );
  const dir = await Deno.makeTempDir({ prefix: "gpc-edge-rejecting-" });
  try {
    let out = "";
    const base = `http://127.0.0.1:${server.addr.port}/B82617`;
    const status = await main([
      "--target",
      "direct",
      "--base-url",
      `${base}/STU3/1/gpconnect`,
      "--dstu2",
      `${base}/DSTU2/0/gpconnect`,
      "--out",
      dir,
      "--format",
      "json,junit,html",
      "--profiles",
      gpConnectProfilesDir,
      ...args,
    ], {
      io: {
        write: (text) => void (out += text),
        writeError: (text) => void (out += text),
        env: {},
        cwd: Deno.cwd(),
        terminal: false,
      },
    });
    const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`)) as RunReport;
    const sizes: Record<string, number> = {};
    for (const name of ["report.json", "report.html", "junit.xml"]) {
      sizes[name] = (await Deno.stat(`${dir}/${name}`)).size;
    }
    return { status, report, out, sizes };
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

profileTest("against a provider that refuses everything the preflight stops the run", async () => {
  const { status, report, out } = await runAgainstRejecting(["--product", "foundations"]);
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
    const { status, report, out, sizes } = await runAgainstRejecting([
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
    for (const [name, size] of Object.entries(sizes)) {
      assert.ok(size < 5_000_000, `${name}: ${size} bytes`);
    }
  },
);
