import assert from "node:assert/strict";
import { ConfigError } from "../config/config-error.ts";
import { defaultMeshConfig, meshConfigFromEnv } from "./mesh-config.ts";

Deno.test("defaults: the local world, admin API off, MESH's limits and windows", () => {
  const config = meshConfigFromEnv({});
  assert.deepEqual(config.mailboxes.map((m) => m.id), [
    "A11111OT1",
    "B82617OT1",
    "A20047OT1",
    "Y88888OT1",
    "Y88888OT2",
  ]);
  assert.ok(config.mailboxes.every((m) => m.password === "password"));
  assert.equal(config.sharedKey, "TestKey");
  assert.equal(config.adminApi, false);
  assert.equal(config.authWindowSeconds, 7200);
  assert.equal(config.inboxExpiryDays, 5);
  assert.equal(config.retentionDays, 30);
  assert.deepEqual(config, defaultMeshConfig);
});

Deno.test("variables override; bad values throw naming the variable, never a secret", () => {
  const config = meshConfigFromEnv({
    GPC_EDGE_MESH_ADMIN_API: "on",
    GPC_EDGE_MESH_AUTH_WINDOW_SECONDS: "600",
    GPC_EDGE_MESH_MAILBOXES: JSON.stringify([{
      id: "X26ABC1",
      name: "X",
      odsCode: "X26",
      send: ["W"],
      receive: [],
    }]),
    GPC_EDGE_MESH_PASSWORDS: JSON.stringify({ X26ABC1: "s3cret" }),
  });
  assert.equal(config.adminApi, true);
  assert.equal(config.authWindowSeconds, 600);
  assert.equal(config.mailboxes[0]?.password, "s3cret");
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ GPC_EDGE_MESH_ADMIN_API: "maybe" }, /GPC_EDGE_MESH_ADMIN_API/],
    [{ GPC_EDGE_MESH_AUTH_WINDOW_SECONDS: "1e3" }, /GPC_EDGE_MESH_AUTH_WINDOW_SECONDS/],
    [{ GPC_EDGE_MESH_MAX_CHUNKS: "5000" }, /GPC_EDGE_MESH_MAX_CHUNKS/],
    [{ GPC_EDGE_MESH_RETENTION_DAYS: "3" }, /GPC_EDGE_MESH_RETENTION_DAYS/],
    [{ GPC_EDGE_MESH_MAILBOXES: "[{}]" }, /GPC_EDGE_MESH_MAILBOXES/],
    [{ GPC_EDGE_MESH_MAILBOXES: "not json" }, /GPC_EDGE_MESH_MAILBOXES/],
    [
      { GPC_EDGE_MESH_PASSWORDS: '{"A11111OT1":"pw-visible"}' },
      /GPC_EDGE_MESH_PASSWORDS: no password for mailbox B82617OT1/,
    ],
  ];
  for (const [env, message] of bad) {
    assert.throws(() => meshConfigFromEnv(env), (error: Error) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(`Invalid ${error.variable}: ${error.reason}`, error.message);
      assert.ok(Object.keys(env).includes(error.variable));
      assert.match(error.message, message);
      assert.ok(!error.message.includes("pw-visible"));
      return true;
    });
  }
});

Deno.test("production refuses the local key, the local password and the admin API", () => {
  const passwords = JSON.stringify(
    Object.fromEntries(defaultMeshConfig.mailboxes.map((m) => [m.id, `pw-${m.id}`])),
  );
  const production = {
    GPC_EDGE_ENVIRONMENT: "production",
    GPC_EDGE_MESH_SHARED_KEY: "real-key",
    GPC_EDGE_MESH_PASSWORDS: passwords,
  };
  assert.equal(meshConfigFromEnv(production).environment, "production");
  assert.throws(
    () => meshConfigFromEnv({ ...production, GPC_EDGE_MESH_SHARED_KEY: "" }),
    /GPC_EDGE_MESH_SHARED_KEY/,
  );
  assert.throws(
    () => meshConfigFromEnv({ ...production, GPC_EDGE_MESH_PASSWORDS: "" }),
    /GPC_EDGE_MESH_PASSWORDS/,
  );
  assert.throws(
    () => meshConfigFromEnv({ ...production, GPC_EDGE_MESH_ADMIN_API: "on" }),
    /GPC_EDGE_MESH_ADMIN_API/,
  );
});
