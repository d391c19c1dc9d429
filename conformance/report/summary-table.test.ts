import assert from "node:assert/strict";
import { summaryTable } from "./summary-table.ts";
import { sampleReport } from "./testing/sample-report.ts";

Deno.test("summaryTable: a row per product, totals, coverage and failing requirements", () => {
  const text = summaryTable(sampleReport());
  assert.equal(
    text,
    [
      "Product       Tests  Passed  Failed  Errored  Inconclusive  Not run  Skipped  Result",
      "------------  -----  ------  ------  -------  ------------  -------  -------  ------",
      "foundations       4       2       1        0             1        0        0  FAIL",
      "appointments      1       1       0        0             0        0        0  PASS",
      "structured        4       1       0        1             0        1        1  FAIL",
      "documents         1       0       1        0             0        0        0  FAIL",
      "------------  -----  ------  ------  -------  ------------  -------  -------  ------",
      "Total            10       4       2        1             1        1        1  FAIL",
      "",
      "Requirements: 1/8 verified (12.5%; a test naming it passed and none failed), 3 failed, " +
      "3 not run, 1 untested",
      "Untested: GPC-HTML-01",
      "Top failing requirements:",
      "  GPC-DOC-BIN-01    1 test  documents/flow: retrieve big doc?",
      "  GPC-FND-PAT-02    1 test  foundations.patient.read-hostile",
    ].join("\n"),
  );
});

Deno.test("summaryTable: skips shown beside a pass; no failing section when nothing failed", () => {
  const report = sampleReport();
  const results = report.results.filter((r) => r.status === "pass" || r.status === "skip");
  const text = summaryTable({
    ...report,
    results,
    coverage: {
      requirements: 0,
      verified: [],
      failed: [],
      notRun: [],
      untested: [],
      unverified: [],
    },
  });
  assert.match(text, /structured {8}2 {7}1 {7}0 {8}0 {13}0 {8}0 {8}1 {2}PASS \(not all run\)/);
  assert.match(text, /documents {9}0 {7}0 {7}0 {8}0 {13}0 {8}0 {8}0 {2}—/);
  assert.ok(text.includes("Requirements: 0/0 verified (–; a test naming it passed and none"));
  assert.ok(!text.includes("Top failing"));
});
