import assert from "node:assert/strict";
import { ConfigError } from "../config/config-error.ts";
import { loadHarnessConfig } from "../config/load-config.ts";
import {
  describeMeshEndpoint,
  localMeshEndpoint,
  meshEndpointFromSettings,
} from "./mesh-endpoint.ts";

const load = (
  flags: Record<string, string | boolean>,
  env: Record<string, string> = {},
) => loadHarnessConfig({ flags, env, cwd: "/", now: new Date("2026-12-05T09:00:00Z") });

Deno.test("target mesh: server, mailboxes and key from flags and environment; defaults fill in", async () => {
  const config = await load(
    { target: "mesh", "mesh-url": "https://msg.example.nhs.uk/", "mesh-mailbox": "X26ABC1" },
    { GPC_CONFORMANCE_MESH_PASSWORD: "secret", GPC_CONFORMANCE_MESH_SHARED_KEY: "key" },
  );
  assert.equal(config.target, "mesh");
  const mesh = meshEndpointFromSettings(config.mesh)!;
  assert.deepEqual(mesh, {
    url: "https://msg.example.nhs.uk",
    sender: { id: "X26ABC1", password: "secret" },
    sharedKey: "key",
    workflow: "API-DOCS-TEST",
    replyWorkflow: "API-DOCS-TEST",
    adminApi: false,
    routing: false,
    noReceiverReason: "no practice mailbox is configured (--mesh-practice)",
    ackWindowMs: 600_000,
  });
  assert.equal(
    describeMeshEndpoint(mesh),
    "MESH https://msg.example.nhs.uk/messageexchange as X26ABC1",
  );
});

Deno.test("the config file's mesh section, recipient, practice, admin API and window", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/harness.json`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        target: "mesh",
        odsCode: "B82617",
        mesh: {
          url: "https://mesh.test",
          mailbox: "A11111OT1",
          password: "p",
          sharedKey: "k",
          recipient: { mailbox: "Y88888OT1", password: "q" },
          workflow: "WF",
          adminApi: true,
          practice: { mailbox: "B82617OT1", ackWindowSeconds: 30 },
        },
      }),
    );
    const config = await load({ config: file });
    const mesh = meshEndpointFromSettings(config.mesh)!;
    assert.deepEqual(mesh.recipient, { id: "Y88888OT1", password: "q" });
    assert.equal(mesh.replyWorkflow, "WF");
    assert.equal(mesh.adminApi, true);
    assert.equal(mesh.practice, "B82617OT1");
    assert.equal(mesh.noReceiverReason, undefined);
    assert.equal(mesh.ackWindowMs, 30_000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("inconsistent MESH settings are errors naming the flag", async () => {
  const fails = async (flags: Record<string, string | boolean>, pattern: RegExp) => {
    await assert.rejects(
      load(flags),
      (error) => error instanceof ConfigError && pattern.test(error.message),
    );
  };
  await fails({ target: "mesh" }, /--mesh-url .*target mesh needs it/);
  await fails({ target: "mesh", "mesh-url": "https://m", "mesh-mailbox": "A1" }, /--mesh-password/);
  await fails({ "mesh-url": "https://m" }, /--mesh-url .*not used with target local/);
  await fails(
    { target: "mesh", "mesh-url": "https://m", "base-url": "https://p/B82617/STU3/1/gpconnect" },
    /--base-url .*not used with target mesh/,
  );
  await fails({ "mesh-mailbox": "a11111ot1" }, /--mesh-mailbox .*upper-case MESH mailbox id/);
  await fails(
    { "mesh-recipient": "Y88888OT1" },
    /mesh-recipient and mesh-recipient-password go together/,
  );
  await fails({ "ack-window-seconds": "0" }, /--ack-window-seconds/);
});

Deno.test("a provider target may name a MESH server; without one it has no MESH side", async () => {
  const direct = await load({ target: "direct", "base-url": "https://p/B82617/STU3/1/gpconnect" });
  assert.equal(meshEndpointFromSettings(direct.mesh), undefined);
  const both = await load({
    target: "direct",
    "base-url": "https://p/B82617/STU3/1/gpconnect",
    "mesh-url": "https://m",
    "mesh-mailbox": "A11111OT1",
    "mesh-password": "p",
    "mesh-shared-key": "k",
    "mesh-practice": "B82617OT1",
  });
  assert.equal(meshEndpointFromSettings(both.mesh)?.practice, "B82617OT1");
});

Deno.test("the local world's MESH: its mailboxes and key, admin API on, messaging only with a receiver", () => {
  const none = localMeshEndpoint("http://127.0.0.1:8080", {}, { runsPractice: false });
  assert.deepEqual(none, {
    url: "http://127.0.0.1:8080",
    sender: { id: "A11111OT1", password: "password" },
    recipient: { id: "Y88888OT1", password: "password" },
    sharedKey: "TestKey",
    workflow: "GPCONNECT_SEND_DOCUMENT",
    replyWorkflow: "GPCONNECT_SEND_DOCUMENT_ACK",
    adminApi: true,
    routing: true,
    practice: "B82617OT1",
    noReceiverReason: "the local world runs no practice MESH receiver",
    ackWindowMs: 60_000,
  });
  const running = localMeshEndpoint(
    "http://127.0.0.1:8080",
    { adminApi: false, ackWindowSeconds: 5 },
    { runsPractice: true },
  );
  assert.equal(running.noReceiverReason, undefined);
  assert.equal(running.adminApi, false);
  assert.equal(running.ackWindowMs, 5000);
});
