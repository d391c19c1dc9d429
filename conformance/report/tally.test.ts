import assert from "node:assert/strict";
import type { TestResult } from "../model.ts";
import {
  failingRequirements,
  firstFailure,
  formatDuration,
  latencies,
  orderProducts,
  percentile,
  tally,
  tallyByProduct,
  verdict,
} from "./tally.ts";
import { SAMPLE_TOTALS, sampleReport } from "./testing/sample-report.ts";

const results = sampleReport().results;
const zero = { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, notRun: 0, inconclusive: 0 };
const byId = (id: string) => results.find((r) => r.id === id) as TestResult;

Deno.test("tally: counts each status and the total", () => {
  assert.deepEqual(tally(results), SAMPLE_TOTALS);
  assert.deepEqual(tally([]), zero);
});

Deno.test("tallyByProduct: known products first in catalogue order, extra keys with zero counts", () => {
  const by = tallyByProduct(results, ["html", "zzz-other"]);
  assert.deepEqual(Object.keys(by), [
    "foundations",
    "appointments",
    "structured",
    "documents",
    "html",
    "zzz-other",
  ]);
  assert.deepEqual(by.structured, {
    ...zero,
    tests: 4,
    passed: 1,
    errored: 1,
    skipped: 1,
    notRun: 1,
  });
  assert.deepEqual(by.html, zero);
  assert.deepEqual(orderProducts(["b", "documents", "a", "foundations"]), [
    "foundations",
    "documents",
    "a",
    "b",
  ]);
});

Deno.test("verdict: fail beats skip, skip is not a pass, empty is none", () => {
  const t = (passed: number, failed: number, errored: number, skipped: number) =>
    verdict({
      ...zero,
      tests: passed + failed + errored + skipped,
      passed,
      failed,
      errored,
      skipped,
    });
  assert.equal(t(3, 0, 0, 1), "pass");
  assert.equal(t(3, 0, 1, 0), "fail");
  assert.equal(t(0, 1, 0, 0), "fail");
  assert.equal(t(0, 0, 0, 2), "skip");
  assert.equal(t(0, 0, 0, 0), "none");
});

Deno.test("firstFailure: first failed assertion with its requirement, step prefix, reason for errors", () => {
  const f = firstFailure(byId("foundations.patient.read-hostile"));
  assert.equal(f?.requirement, "GPC-FND-PAT-02");
  assert.match(f?.text ?? "", /^resourceType is Patient: expected Patient/);
  assert.deepEqual(firstFailure(byId("documents/flow: retrieve big doc?")), {
    text: "[retrieve] binary is retrieved: got 404",
    requirement: "GPC-DOC-BIN-01",
  });
  assert.equal(
    firstFailure(byId("structured.preflight"))?.text,
    "connect ECONNREFUSED provider.example:443",
  );
  assert.equal(firstFailure(byId("structured.migrate")), undefined);
  assert.equal(firstFailure(byId("foundations.metadata.read")), undefined);
  const onlyValidation: TestResult = {
    ...byId("foundations.patient.read-hostile"),
    assertions: [],
  };
  assert.equal(firstFailure(onlyValidation)?.text, "Patient.identifier[0].system: Fixed value");
});

Deno.test("failingRequirements: failed assertions' requirements, else the test's, most failing first", () => {
  const extra: TestResult = { ...byId("documents/flow: retrieve big doc?"), id: "documents.other" };
  assert.deepEqual(failingRequirements([...results, extra]), [
    { id: "GPC-DOC-BIN-01", tests: ["documents/flow: retrieve big doc?", "documents.other"] },
    { id: "GPC-FND-PAT-02", tests: ["foundations.patient.read-hostile"] },
  ]);
});

Deno.test("latencies and percentile: sorted, nearest rank", () => {
  assert.deepEqual(latencies(results), [5, 35, 60, 75, 120, 120, 120, 480, 1900, 2400]);
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 90), 90);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
});

Deno.test("formatDuration: ms, seconds, minutes", () => {
  assert.equal(formatDuration(850), "850 ms");
  assert.equal(formatDuration(4210), "4.2 s");
  assert.equal(formatDuration(187_000), "3m 07s");
  assert.equal(formatDuration(NaN), "–");
});
