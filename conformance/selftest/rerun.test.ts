/**
 * Re-runnable (issue 14): two full runs in a row against one local world (the reference provider
 * behind gpc-edge's SSP, started once): the second passes everything the first passed, but for
 * the registration flow, whose patient the first run left registered (reported by the preflight,
 * the flow not run). Every flow that writes cleans up after itself
 * or creates what it needs fresh, so the second run meets the state the first one started from.
 * Heavy (two full suites): it runs only with the profile package, like the full-suite test.
 */
import assert from "node:assert/strict";
import { resolveConfig } from "../config/harness-config.ts";
import type { RunReport } from "../model.ts";
import { defaultDeps } from "../runner/default-deps.ts";
import { runConformance } from "../runner/run.ts";
import { openTarget } from "../target/open-target.ts";
import { gpConnectProfilesDir, profileTest } from "../validation/test-profiles.ts";

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

profileTest(
  "a second full run against the same local world passes what the first passed",
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
      assert.equal(second.results.length, first.results.length);
      // Whether the first run passes is full-suite.test.ts's question; this one's is what the
      // first run leaves behind: nothing that passed then may fail now.
      const before = new Set(notPassed(first).map((line) => line.split(" ")[0]));
      const regressions = notPassed(second).filter((line) => !before.has(line.split(" ")[0]));
      // The one write nothing can undo: GP Connect has no deregistration, so the patient the
      // first run registered stays registered. The preflight says so and the flow is not run
      // (never a pass); the README asks a provider under test to start without it.
      const staleRegistration = /^fnd\.flow\.register-then-find \(not-run\): .*pds-no-gp/;
      assert.deepEqual(
        regressions.filter((line) => !staleRegistration.test(line)),
        [],
        "the second run against the same world passes what the first passed",
      );
      assert.ok(first.results.filter((r) => r.status === "pass").length > 1000);
    } finally {
      await target.close();
    }
  },
);
