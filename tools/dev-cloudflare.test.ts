import assert from "node:assert/strict";
import { devCloudflarePlan } from "./dev-cloudflare.ts";

Deno.test("devCloudflarePlan: the pinned wrangler, lockfile untouched, vars pointing at the sandboxes", () => {
  const plan = devCloudflarePlan("npm:wrangler@4.86.0", {}, ["--log-level", "warn"]);
  assert.deepEqual(plan.args, [
    "run",
    "--allow-all",
    "--no-lock",
    "--node-modules-dir=none",
    "npm:wrangler@4.86.0",
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    "8787",
    "--var",
    "GPC_EDGE_PDS_URL:http://127.0.0.1:8081",
    "--var",
    "GPC_EDGE_SDS_URL:http://127.0.0.1:8082",
    "--log-level",
    "warn",
  ]);
  assert.equal(plan.workerUrl, "http://127.0.0.1:8787");
  const moved = devCloudflarePlan("npm:wrangler@4.86.0", {
    GPC_EDGE_WRANGLER_PORT: "18787",
    GPC_EDGE_PDS_PORT: "18081",
    GPC_EDGE_SDS_PORT: "18082",
  }, []);
  assert.equal(moved.workerUrl, "http://127.0.0.1:18787");
  assert.equal(moved.pdsUrl, "http://127.0.0.1:18081");
  assert.equal(moved.sdsUrl, "http://127.0.0.1:18082");
});

Deno.test("devCloudflarePlan: an unpinned wrangler or a bad port is refused, naming it", () => {
  assert.throws(() => devCloudflarePlan("npm:wrangler", {}, []), /pinned npm:wrangler@x\.y\.z/);
  assert.throws(
    () => devCloudflarePlan("npm:wrangler@4.86.0", { GPC_EDGE_WRANGLER_PORT: "0" }, []),
    /^Error: GPC_EDGE_WRANGLER_PORT: expected a port from 1 to 65535, got "0"$/,
  );
});
