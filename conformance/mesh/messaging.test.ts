/**
 * The messaging receiver conformance product end to end: every `mesh-messaging.yaml` case against
 * the reference practice's MESH receiver (sandbox/practice-mesh) behind gpc-edge's MESH, as
 * target `mesh` with the practice's mailbox; the local world's own receiver (target local); a
 * target without a practice mailbox skips the product saying why.
 */
import assert from "node:assert/strict";
import { main } from "../cli.ts";
import type { RunReport } from "../model.ts";
import {
  localMeshFlags,
  notPassed,
  runHarness,
  withPractice,
} from "../selftest/mesh-selftest-support.ts";

Deno.test("every messaging case passes against the reference practice", async () => {
  const { status, report } = await withPractice(undefined, (world) =>
    runHarness([
      ...localMeshFlags(world.edgeUrl),
      "--ack-window-seconds",
      "20",
      "--product",
      "messaging",
    ]));
  assert.deepEqual(notPassed(report), []);
  assert.equal(status, 0);
  assert.ok(report.results.length >= 19, `${report.results.length} messaging cases`);
  const valid = report.results.find((r) => r.id === "messaging.send-document.valid")!;
  assert.deepEqual(
    valid.assertions.map((a) => a.requirement),
    [
      "MSG-INFACK",
      "MSG-INFACK-POSITIVE",
      "MSG-BUSACK",
      "MSG-BUSACK-KNOWN",
      "MSG-ACK-SHAPE",
      "MSG-ACK-SHAPE",
      "MSG-ACK-ONCE",
      "MSG-MESH-ACK",
      "MSG-MESH-ACK-LAST",
    ],
  );
  const steps = valid.exchanges.map((e) => e.step);
  assert.equal(steps[0], "message:send");
  assert.ok(steps.includes("message:download") && steps.includes("message:acknowledge"));
  const duplicate = report.results.find((r) => r.id === "messaging.send-document.duplicate")!;
  assert.ok(
    duplicate.assertions.some((a) =>
      a.step === "duplicate" && a.requirement === "MSG-REJECT-DUPLICATE"
    ),
  );
});

Deno.test("target local: the local world's own practice receiver answers the messaging cases", async () => {
  const quiet = { write() {}, writeError() {}, env: {}, cwd: Deno.cwd(), terminal: false };
  const out = await Deno.makeTempDir({ prefix: "gpc-edge-messaging-" });
  try {
    const status = await main(
      [
        "--out",
        out,
        "--format",
        "json",
        "--product",
        "messaging",
        "--id",
        "messaging.send-document.valid",
        "--id",
        "messaging.send-document.patient-not-registered",
      ],
      { io: quiet },
    );
    const report = JSON.parse(await Deno.readTextFile(`${out}/report.json`)) as RunReport;
    assert.deepEqual(notPassed(report), []);
    assert.equal(report.results.length, 2);
    assert.equal(status, 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("without a practice mailbox, messaging is skipped saying why", async () => {
  const flags = localMeshFlags("http://127.0.0.1:9", { practice: false });
  const { report, status } = await runHarness([
    ...flags,
    "--product",
    "messaging",
    "--id",
    "messaging.update-record.valid",
  ]);
  assert.equal(status, 0);
  assert.equal(report.results[0]?.status, "skip");
  assert.match(report.results[0]?.reason ?? "", /practice mailbox/);
});
