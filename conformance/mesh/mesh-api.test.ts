/**
 * The MESH API conformance product end to end: the `mesh-*.yaml` scenarios against gpc-edge's
 * MESH (the local world's, reached over loopback as any MESH server would be), as target `mesh`
 * and as part of target `local`; the same reports as every product; cases the target cannot
 * serve are skipped saying why.
 */
import assert from "node:assert/strict";
import { startWorld } from "../../sandbox/world.ts";
import { main } from "../cli.ts";
import type { RunReport } from "../model.ts";
import { readFullReport, readPassedArchive } from "../report/testing/read-outputs.ts";

const quiet = { write() {}, writeError() {}, env: {}, cwd: Deno.cwd(), terminal: false };

/** The flags of target mesh for the local world's mailboxes. */
export function meshTargetFlags(url: string): string[] {
  return [
    "--target",
    "mesh",
    "--mesh-url",
    url,
    "--mesh-mailbox",
    "A11111OT1",
    "--mesh-password",
    "password",
    "--mesh-shared-key",
    "TestKey",
    "--mesh-recipient",
    "Y88888OT1",
    "--mesh-recipient-password",
    "password",
    "--mesh-workflow",
    "GPCONNECT_SEND_DOCUMENT",
    "--mesh-reply-workflow",
    "GPCONNECT_SEND_DOCUMENT_ACK",
    "--mesh-practice",
    "B82617OT1",
  ];
}

const withEvidence = (formats: string) =>
  formats.split(",").includes("evidence") ? formats : `${formats},evidence`;

async function run(args: readonly string[], formats = "json") {
  const out = await Deno.makeTempDir({ prefix: "gpc-edge-mesh-" });
  try {
    // Passing tests in full (report.json keeps them in brief): these tests look into them.
    const status = await main(
      ["--out", out, "--format", withEvidence(formats), "--evidence", "all", ...args],
      { io: quiet },
    );
    return { status, report: await readFullReport(out), out };
  } catch (error) {
    // No report to look at: the caller never learns `out`, so it goes here.
    await Deno.remove(out, { recursive: true });
    throw error;
  }
}

const notPassed = (report: RunReport) =>
  report.results.filter((r) => r.status !== "pass").map((r) =>
    `${r.id}: ${r.status} ${r.reason ?? ""}`
  );

Deno.test("target mesh: every MESH API case passes against gpc-edge's MESH, with the usual reports", async () => {
  const world = await startWorld({
    ports: { edge: 0, pds: 0, sds: 0, provider: 0 },
    dataDir: ":memory:",
    logger: { log() {} },
    meshAdminApi: true,
  });
  let out: string | undefined;
  try {
    const result = await run(
      [
        ...meshTargetFlags(world.edgeUrl),
        "--mesh-admin-api",
        "--mesh-routing",
        "--product",
        "mesh",
      ],
      "json,junit,html,evidence",
    );
    out = result.out;
    const { status, report } = result;
    assert.equal(report.target.kind, "mesh");
    assert.equal(report.target.roots.mesh, `${world.edgeUrl}/messageexchange`);
    assert.deepEqual(notPassed(report), []);
    assert.equal(status, 0);
    assert.ok(report.results.length >= 45, `${report.results.length} cases`);
    assert.ok(report.results.every((r) => r.product === "mesh"));
    assert.deepEqual(Object.keys(report.byProduct), ["mesh"]);
    const total = report.results.length;
    const junit = await Deno.readTextFile(`${out}/junit.xml`);
    assert.match(junit, new RegExp(`<testsuites [^>]*tests="${total}" failures="0" errors="0"`));
    const html = await Deno.readTextFile(`${out}/report.html`);
    assert.match(html, new RegExp(`data-tests="${total}"`));
    // The evidence index lists every case (passing ones in brief, not a folder each).
    const index = JSON.parse(await Deno.readTextFile(`${out}/evidence/index.json`));
    assert.equal(index.tests.length, total);
    assert.match(
      await Deno.readTextFile(`${out}/evidence/manifest.sha256`),
      /^[0-9a-f]{64} {2}index\.json$/m,
    );
    // Evidence carries the exchanges, never a token or a password.
    const evidence = await Deno.readTextFile(`${out}/report.json`) +
      (await readPassedArchive(`${out}/evidence/passed.jsonl.gz`)).text;
    assert.match(evidence, /NHSMESH \[REDACTED\]/);
    assert.doesNotMatch(evidence, /NHSMESH A11111OT1:/);
    const replay = report.results.find((r) => r.id === "mesh.auth.replayed-token")!;
    assert.deepEqual(replay.exchanges.map((e) => [e.step, e.response?.status]), [
      ["first", 200],
      ["replay", 403],
    ]);
  } finally {
    if (out) await Deno.remove(out, { recursive: true });
    await world.close();
  }
});

Deno.test("without a second mailbox or the admin API, the cases needing them are skipped saying so", async () => {
  const world = await startWorld({
    ports: { edge: 0, pds: 0, sds: 0, provider: 0 },
    dataDir: ":memory:",
    logger: { log() {} },
  });
  let out: string | undefined;
  try {
    const flags = meshTargetFlags(world.edgeUrl);
    const result = await run([
      ...flags.filter((flag, i) =>
        !flag.startsWith("--mesh-recipient") && !flags[i - 1]?.startsWith("--mesh-recipient")
      ),
      "--product",
      "mesh",
    ]);
    out = result.out;
    const { report, status } = result;
    assert.equal(status, 0);
    assert.equal(report.totals.failed + report.totals.errored, 0, notPassed(report).join("\n"));
    const skipped = report.results.filter((r) => r.status === "skip");
    assert.ok(skipped.length > 20);
    assert.ok(skipped.some((r) => /second mailbox/.test(r.reason ?? "")));
    const lifecycle = report.results.find((r) => r.id === "mesh.lifecycle.expiry-report-purge")!;
    assert.equal(lifecycle.status, "skip");
    assert.match(lifecycle.reason!, /needs (a second mailbox|the target's test-only admin API)/);
    assert.ok(
      report.results.some((r) => r.id === "mesh.auth.replayed-token" && r.status === "pass"),
    );
  } finally {
    if (out) await Deno.remove(out, { recursive: true });
    await world.close();
  }
});

Deno.test("target local runs the MESH product against the local world's MESH with its admin API", async () => {
  const { status, report, out } = await run(["--product", "mesh"]);
  try {
    assert.equal(report.target.kind, "local");
    assert.match(
      report.target.description,
      /MESH http:\/\/127\.0\.0\.1:\d+\/messageexchange as A11111OT1/,
    );
    assert.deepEqual(notPassed(report), []);
    assert.equal(status, 0);
    assert.ok(report.results.some((r) => r.id === "mesh.lifecycle.expiry-report-purge"));
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
