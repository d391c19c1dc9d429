/**
 * The harness's self-test: the selected scenarios pass against the reference provider and fail,
 * naming the right requirement, against each deliberately broken provider.
 */
import assert from "node:assert/strict";
import type { RunReport } from "../model.ts";
import { profileTest } from "../validation/test-profiles.ts";
import { brokenProvider, brokenProviderKinds, referenceProvider } from "./broken-providers.ts";
import { runDirectAgainst as runAgainst } from "./direct-run.ts";

function failedRequirements(report: RunReport): Set<string> {
  const failed = new Set<string>();
  for (const result of report.results) {
    if (result.status === "pass") continue;
    for (const assertion of result.assertions) {
      if (!assertion.passed && assertion.requirement) failed.add(assertion.requirement);
    }
  }
  return failed;
}

for (const kind of brokenProviderKinds) {
  profileTest(`self-test: the harness catches a provider that ${kind.description}`, async () => {
    const reference = referenceProvider();
    const good = await runAgainst((request) => reference.fetch(request), kind.selection);
    assert.ok(good.report.totals.tests > 0, "the selection runs something");
    assert.equal(good.report.totals.failed + good.report.totals.errored, 0, "reference passes");
    assert.equal(good.status, 0);

    const broken = await runAgainst(brokenProvider(kind.name), kind.selection);
    if (kind.preflight) {
      assert.notEqual(broken.status, 0, "exit status is non-zero");
      assert.equal(broken.report.results.filter((r) => r.status === "pass").length, 0);
      assert.match(JSON.stringify(broken.report), kind.preflight);
      return;
    }
    assert.ok(broken.report.totals.failed > 0, `${kind.name}: the harness reports failures`);
    assert.notEqual(broken.status, 0, "exit status is non-zero");
    assert.ok(
      failedRequirements(broken.report).has(kind.requirement),
      `${kind.name}: a failure names ${kind.requirement}; named ${
        [...failedRequirements(broken.report)].join(", ")
      }`,
    );
  });
}

profileTest(
  "self-test: against a provider that refuses everything, no negative test passes",
  async () => {
    const kind = brokenProviderKinds.find((k) => k.name === "rejects-everything")!;
    const { status, report } = await runAgainst(brokenProvider(kind.name), kind.selection);
    const negatives = report.results.filter((r) => r.tags.includes("negative"));
    assert.ok(negatives.length > 10, `${negatives.length} negatives ran`);
    assert.deepEqual(negatives.filter((r) => r.status === "pass").map((r) => r.id), []);
    assert.equal(report.results.filter((r) => r.status === "pass").length, 0);
    assert.notEqual(status, 0);
  },
);
