/**
 * Re-runnable (issue 14): two full runs in a row against one local world (the reference provider
 * behind gpc-edge's SSP, started once) both pass, test for test. Every flow that writes cleans up
 * after itself (bookings cancelled, reorders cancelled) or creates what it needs fresh: the
 * registration flow registers the first candidate of the `pds-no-gp` pool the provider does not
 * hold yet (GP Connect has no deregistration), so the second run registers the next one. Heavy
 * (two full suites): it runs only with the profile package, like the full-suite test.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../config/harness-config.ts";
import type { RunReport } from "../model.ts";
import { defaultDeps } from "../runner/default-deps.ts";
import { runConformance } from "../runner/run.ts";
import { openTarget } from "../target/open-target.ts";
import { gpConnectProfilesDir, profileTest } from "../validation/test-profiles.ts";

/** Each test that did not pass (a skip is the target lacking a prerequisite), with why. */
const notPassed = (report: RunReport) =>
  report.results.filter((result) => result.status !== "pass" && result.status !== "skip").map((
    result,
  ) =>
    `${result.id} (${result.status}): ${
      result.reason ??
        result.assertions.filter((a) => !a.passed).map((a) => `${a.description}: ${a.message}`)
          .join("; ")
    }`
  );

const statuses = (report: RunReport) =>
  new Map(report.results.map((result) => [result.id, result.status]));

profileTest(
  "two full runs in a row against one local world both pass, test for test",
  async () => {
    const config = () =>
      resolveConfig({
        layers: [{ profilesDir: gpConnectProfilesDir }],
        now: new Date(),
        cwd: Deno.cwd(),
      });
    const target = await openTarget(config());
    try {
      const first = await runConformance({ config: config(), deps: defaultDeps, target });
      const second = await runConformance({ config: config(), deps: defaultDeps, target });
      assert.deepEqual(notPassed(first), [], "the first run passes");
      assert.deepEqual(notPassed(second), [], "the second run against the same world passes");
      // Nothing that ran (or was skipped) the first time is anything else the second.
      const before = statuses(first);
      const changed = [...statuses(second)]
        .filter(([id, status]) => before.get(id) !== status)
        .map(([id, status]) => `${id}: ${before.get(id) ?? "absent"} → ${status}`);
      assert.deepEqual(changed, [], "every test has the same status in both runs");
      assert.equal(second.results.length, first.results.length);
      assert.deepEqual(second.totals, first.totals);
      assert.ok(first.totals.passed > 1000, `${first.totals.passed} passed`);
      // The registration flow ran both times, each with a patient the provider did not hold.
      assert.equal(before.get("fnd.flow.register-then-find"), "pass");
      const played = [first, second].map((report) =>
        report.identity?.fixtures.roles["pds-no-gp"]?.nhsNumber
      );
      assert.equal(played[0], "9990000166");
      assert.notEqual(played[1], played[0], "the second run registered the next candidate");
      assert.match(
        (second.identity?.preflight.warnings ?? []).join("\n"),
        /role pds-no-gp: 1 candidate/,
      );
    } finally {
      await target.close();
    }
  },
);
