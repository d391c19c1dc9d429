import assert from "node:assert/strict";
import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";

Deno.test("one audit line per request with mailbox, endpoint, message id, workflow, status, bytes, latency", async () => {
  const world = createMeshWorld();
  const body = "secret clinical payload";
  const id = await sendOne(world, body, { "Mex-Subject": "s" });
  const download = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`);
  await download.text();
  await world.app.request("/messageexchange/_ping");
  const lines = world.logs.filter((l) => l.type === "mesh-audit");
  assert.equal(lines.length, 3);
  const [send, get, ping] = lines;
  assert.deepEqual(
    { ...send, time: undefined, requestId: undefined },
    {
      type: "mesh-audit",
      time: undefined,
      requestId: undefined,
      method: "POST",
      endpoint: "send",
      mailbox: "A11111OT1",
      messageId: id,
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      status: 202,
      bytes: body.length,
      latencyMs: 0,
    },
  );
  assert.equal(get?.endpoint, "inbox.download");
  assert.equal(get?.mailbox, "B82617OT1");
  assert.equal(get?.status, 200);
  assert.equal(get?.bytes, body.length);
  assert.equal(ping?.endpoint, "ping");
  assert.notEqual(send?.requestId, get?.requestId);
  const text = JSON.stringify(world.logs);
  for (const secret of [body, "password", "TestKey", "NHSMESH", "B82617OT1:"]) {
    assert.ok(!text.includes(secret), secret);
  }
});

Deno.test("a 400 for a malformed Accept is audited with its status", async () => {
  const world = createMeshWorld();
  const response = await world.app.request("/messageexchange/_ping", {
    headers: { accept: "application/vnd.mesh.v2+xml" },
  });
  assert.equal(response.status, 400);
  await response.body?.cancel();
  const line = world.logs.find((l) => l.type === "mesh-audit");
  assert.equal(line?.status, 400);
});
