/**
 * The harness's MESH API self-test: the selected cases pass against gpc-edge's MESH and fail,
 * naming the right requirement, against each deliberately broken MESH server (a proxy in front
 * of it breaking one rule).
 */
import assert from "node:assert/strict";
import { startWorld } from "../../sandbox/world.ts";
import { brokenMeshKinds, brokenMeshProxy } from "./broken-mesh-servers.ts";
import {
  failedRequirements,
  localMeshFlags,
  notPassed,
  runHarness,
} from "./mesh-selftest-support.ts";

for (const kind of brokenMeshKinds) {
  Deno.test(`self-test: the harness catches a MESH server that ${kind.description}`, async () => {
    const world = await startWorld({
      ports: { edge: 0, pds: 0, sds: 0, provider: 0 },
      dataDir: ":memory:",
      logger: { log() {} },
    });
    const proxy = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      brokenMeshProxy(kind.name, world.edgeUrl, { password: "password", sharedKey: "TestKey" }),
    );
    try {
      const good = await runHarness([...localMeshFlags(world.edgeUrl), ...kind.selection]);
      assert.ok(good.report.totals.tests > 0, "the selection runs something");
      assert.deepEqual(notPassed(good.report), [], "gpc-edge's MESH passes");
      assert.equal(good.status, 0);

      const broken = await runHarness([
        ...localMeshFlags(`http://127.0.0.1:${proxy.addr.port}`),
        ...kind.selection,
      ]);
      assert.ok(broken.report.totals.failed > 0, `${kind.name}: the harness reports failures`);
      assert.notEqual(broken.status, 0);
      assert.ok(
        failedRequirements(broken.report).has(kind.requirement),
        `${kind.name}: a failure names ${kind.requirement}; named ${
          [...failedRequirements(broken.report)].join(", ")
        }`,
      );
    } finally {
      await proxy.shutdown();
      await world.close();
    }
  });
}
