/**
 * The harness's messaging self-test: the selected messaging cases pass against the reference
 * practice and fail, naming the right requirement, against each deliberately broken practice.
 */
import assert from "node:assert/strict";
import { brokenPracticeFetch, brokenPracticeKinds } from "./broken-practices.ts";
import {
  failedRequirements,
  localMeshFlags,
  notPassed,
  runHarness,
  withPractice,
} from "./mesh-selftest-support.ts";

for (const kind of brokenPracticeKinds) {
  Deno.test(`self-test: the harness catches a practice that ${kind.description}`, async () => {
    const args = (
      url: string,
    ) => [...localMeshFlags(url), "--ack-window-seconds", "8", ...kind.selection];
    const good = await withPractice(undefined, (world) => runHarness(args(world.edgeUrl)));
    assert.ok(good.report.totals.tests > 0, "the selection runs something");
    assert.deepEqual(notPassed(good.report), [], "the reference practice passes");
    assert.equal(good.status, 0);

    const broken = await withPractice(
      brokenPracticeFetch(kind.name, { password: "password", sharedKey: "TestKey" }),
      (world) => runHarness(args(world.edgeUrl)),
    );
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
