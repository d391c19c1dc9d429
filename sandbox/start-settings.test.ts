import assert from "node:assert/strict";
import { configVariables } from "../worker/deno.ts";
import { sandboxPortVariables, StartError, startHelp, startSettings } from "./start-settings.ts";
import { defaultPorts } from "./world.ts";

Deno.test("startSettings: defaults, then every port from its variable", () => {
  const defaults = startSettings({});
  assert.deepEqual(defaults.ports, defaultPorts);
  assert.equal(defaults.dataDir, "./data");
  const set = startSettings({
    GPC_EDGE_PORT: "18080",
    GPC_EDGE_PDS_PORT: "18081",
    GPC_EDGE_SDS_PORT: "0",
    GPC_EDGE_PROVIDER_PORT: "",
    GPC_EDGE_NHS_LOGIN_PORT: "18084",
    GPC_EDGE_DATA_DIR: ":memory:",
  });
  assert.deepEqual(set.ports, {
    edge: 18080,
    pds: 18081,
    sds: 0,
    provider: 8083,
    nhsLogin: 18084,
    vrs: 8085,
  });
  assert.equal(set.dataDir, ":memory:");
});

Deno.test("startSettings: MESH's admin API is the world's default unless GPC_EDGE_MESH_ADMIN_API is set", () => {
  assert.equal(startSettings({}).meshAdminApi, undefined);
  assert.equal(startSettings({ GPC_EDGE_MESH_ADMIN_API: "" }).meshAdminApi, undefined);
  assert.equal(startSettings({ GPC_EDGE_MESH_ADMIN_API: "off" }).meshAdminApi, false);
  assert.equal(startSettings({ GPC_EDGE_MESH_ADMIN_API: "on" }).meshAdminApi, true);
});

Deno.test("startSettings: a bad value is one StartError line naming the variable", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ GPC_EDGE_PORT: "abc" }, 'GPC_EDGE_PORT: expected an integer from 0 to 65535, got "abc"'],
    [{ GPC_EDGE_JWT_MODE: "strict" }, "GPC_EDGE_JWT_MODE: "],
    [{ GPC_EDGE_PDS_PORT: "65536" }, "GPC_EDGE_PDS_PORT: expected a port from 0 to 65535"],
    [
      { GPC_EDGE_SDS_PORT: " 1" },
      'GPC_EDGE_SDS_PORT: expected a port from 0 to 65535 (0 picks a free one), got " 1"',
    ],
    [{ GPC_EDGE_PROVIDER_PORT: "8o83" }, "GPC_EDGE_PROVIDER_PORT: "],
    [{ GPC_EDGE_NHS_LOGIN_PORT: "-1" }, "GPC_EDGE_NHS_LOGIN_PORT: "],
  ];
  for (const [env, start] of cases) {
    assert.throws(() => startSettings(env), (error) => {
      assert.ok(error instanceof StartError, JSON.stringify(env));
      assert.ok(error.message.startsWith(start), error.message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  }
});

Deno.test("startHelp lists the usage, the flag and every variable gpc-edge and the sandboxes read", () => {
  const help = startHelp();
  assert.match(help, /^Usage: deno task start \[--help\]$/m);
  assert.match(help, /--help/);
  for (const variable of [...configVariables, ...sandboxPortVariables]) {
    assert.match(help, new RegExp(`^  ${variable.name} `, "m"), variable.name);
  }
});
