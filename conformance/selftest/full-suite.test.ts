/**
 * The whole suite against the reference provider, through gpc-edge's SSP (the default run) and
 * directly; the JUnit, JSON, HTML and evidence outputs agree on the counts.
 */
import assert from "node:assert/strict";
import { main } from "../cli.ts";
import { responseChecks } from "../checks/response-checks.ts";
import { builtInRequirements } from "../runner/judge.ts";
import { interactions } from "../../gpconnect/specs.ts";
import type { RunReport } from "../model.ts";
import { gpConnectProfilesDir, profileTest } from "../validation/test-profiles.ts";

const quiet = { write() {}, writeError() {}, env: {}, cwd: Deno.cwd(), terminal: false };

async function run(
  args: readonly string[],
): Promise<{ status: number; out: string; report: RunReport }> {
  const out = await Deno.makeTempDir({ prefix: "gpc-edge-full-" });
  try {
    const status = await main(["--out", out, "--profiles", gpConnectProfilesDir, ...args], {
      io: quiet,
    });
    const report = JSON.parse(await Deno.readTextFile(`${out}/report.json`)) as RunReport;
    return { status, out, report };
  } catch (error) {
    // The callers remove `out` once they have read it; a run that wrote no report leaves none.
    await Deno.remove(out, { recursive: true });
    throw error;
  }
}

/** The interactions of the catalogue without a case whose request the provider must refuse. */
function withoutNegativeCase(report: RunReport): string[] {
  return interactions.filter((interaction) =>
    !report.results.some((result) =>
      result.interaction === interaction.id && result.tags.includes("negative")
    )
  ).map((interaction) => interaction.id);
}

profileTest(
  "the full suite passes through gpc-edge's SSP, and every report agrees on the counts",
  async () => {
    const { status, out, report } = await run(["--format", "json,junit,html,evidence"]);
    try {
      assert.equal(report.target.kind, "local");
      assert.ok(report.target.sspPrefix, "the default run goes through the SSP");
      const failures = report.results.filter((result) => result.status !== "pass");
      assert.deepEqual(failures.map((result) => `${result.id}: ${result.reason ?? ""}`), []);
      assert.equal(status, 0);
      assert.deepEqual(withoutNegativeCase(report), []);
      const ran = new Set(report.results.map((result) => result.product));
      assert.deepEqual(
        [...new Set(interactions.map((interaction) => interaction.product))].filter((product) =>
          !ran.has(product)
        ),
        [],
        "every product of the interaction catalogue runs, the DSTU2 HTML set included",
      );

      const total = report.results.length;
      const junit = await Deno.readTextFile(`${out}/junit.xml`);
      assert.match(junit, new RegExp(`<testsuites [^>]*tests="${total}" failures="0" errors="0"`));
      const html = await Deno.readTextFile(`${out}/report.html`);
      assert.match(html, new RegExp(`data-tests="${total}"`));
      // Passing tests are in brief: each report of the full suite stays under 5 MB.
      for (const name of ["report.json", "report.html"]) {
        const size = (await Deno.stat(`${out}/${name}`)).size;
        assert.ok(size < 5_000_000, `${name}: ${size} bytes`);
      }
      assert.equal(report.coverage.failed.length, 0);
      // The built-in and response checks' own rules are verified by what they checked.
      const builtIn = [
        ...Object.values(builtInRequirements),
        ...responseChecks.map((check) => check.requirement),
      ];
      assert.deepEqual(builtIn.filter((id) => !report.coverage.verified.includes(id)), []);
      assert.ok(report.identity?.profiles?.sha256.match(/^[0-9a-f]{64}$/));
      assert.equal(report.identity?.preflight.outcome, "ready");
      // The evidence index lists every test; the manifest pins every file (passing tests are
      // summarized in the index, not a folder each).
      const index = JSON.parse(await Deno.readTextFile(`${out}/evidence/index.json`));
      assert.equal(index.tests.length, total);
      const manifest = await Deno.readTextFile(`${out}/evidence/manifest.sha256`);
      for (const line of manifest.trimEnd().split("\n")) {
        const [hash, path] = line.split("  ");
        const bytes = await Deno.readFile(`${out}/evidence/${path}`);
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        assert.equal(Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""), hash);
      }
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
);

profileTest("the full suite passes against the reference provider directly", async () => {
  const { status, out, report } = await run(["--local-direct", "--format", "json"]);
  try {
    assert.equal(report.target.sspPrefix, undefined);
    const failures = report.results.filter((result) => result.status !== "pass");
    assert.deepEqual(failures.map((result) => `${result.id}: ${result.reason ?? ""}`), []);
    assert.equal(status, 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
