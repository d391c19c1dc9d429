import assert from "node:assert/strict";
import { createMeshWorld, sendOne } from "./mesh-test-kit.ts";

Deno.test("tracking v2: the sender follows accepted → acknowledged", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "hello", { "Mex-LocalID": "L1", "Mex-FileName": "f.json" });
  const track = async () => {
    const response = await world.request(
      "A11111OT1",
      `/messageexchange/A11111OT1/outbox/tracking?messageID=${id}`,
    );
    assert.equal(response.headers.get("content-type"), "application/vnd.mesh.v2+json");
    return await response.json();
  };
  const accepted = await track();
  assert.equal(accepted.message_id, id);
  assert.equal(accepted.status, "accepted");
  assert.equal(accepted.status_success, true);
  assert.equal(accepted.local_id, "L1");
  assert.equal(accepted.filename, "f.json");
  assert.equal(accepted.recipient, "B82617OT1");
  assert.equal(accepted.recipient_ods_code, "B82617");
  assert.equal(accepted.workflow_id, "GPCONNECT_SEND_DOCUMENT");
  assert.equal(accepted.status_code, null);
  assert.equal(accepted.expiry_time, new Date(world.clock.now() + 5 * 86_400_000).toISOString());
  await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/status/acknowledged`, {
    method: "PUT",
  });
  assert.equal((await track()).status, "acknowledged");
});

Deno.test("tracking v1: camelCase, title-case status, yyyyMMddHHmmss", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "hello");
  const response = await world.request(
    "A11111OT1",
    `/messageexchange/A11111OT1/outbox/tracking?messageID=${id}`,
    {
      headers: { accept: "application/json" },
    },
  );
  const body = await response.json();
  assert.equal(body.messageId, id);
  assert.equal(body.dtsId, id);
  assert.equal(body.status, "Accepted");
  assert.equal(body.statusSuccess, "SUCCESS");
  assert.equal(body.messageType, "Data");
  assert.equal(body.fileSize, 5);
  assert.equal(body.uploadTimestamp, "20261205090000");
  assert.equal(body.sender, "A11111OT1");
});

Deno.test("tracking errors: no messageID 400; unknown or not the sender's 404", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x");
  const none = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox/tracking");
  assert.equal(none.status, 400);
  await none.body?.cancel();
  const unknown = await world.request(
    "A11111OT1",
    "/messageexchange/A11111OT1/outbox/tracking?messageID=20261205090000000000_ABCDEF",
  );
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  const recipient = await world.request(
    "B82617OT1",
    `/messageexchange/B82617OT1/outbox/tracking?messageID=${id}`,
  );
  assert.equal(recipient.status, 404, "the recipient is not the sender: 404, not 403");
  await recipient.body?.cancel();
});

Deno.test("deprecated tracking by local id: v1 body, 404 none, 300 several", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x", { "Mex-LocalID": "one:of/a kind" });
  await sendOne(world, "y", { "Mex-LocalID": "twice" });
  await sendOne(world, "z", { "Mex-LocalID": "twice" });
  const found = await world.request(
    "A11111OT1",
    `/messageexchange/A11111OT1/outbox/tracking/${encodeURIComponent("one:of/a kind")}`,
  );
  assert.equal(found.status, 200);
  assert.equal((await found.json()).messageId, id);
  const none = await world.request(
    "A11111OT1",
    "/messageexchange/A11111OT1/outbox/tracking/nothing",
  );
  assert.equal(none.status, 404);
  await none.body?.cancel();
  const several = await world.request(
    "A11111OT1",
    "/messageexchange/A11111OT1/outbox/tracking/twice",
  );
  assert.equal(several.status, 300);
  assert.ok((await several.json()).detail);
  const otherSender = await world.request(
    "B82617OT1",
    `/messageexchange/B82617OT1/outbox/tracking/twice`,
  );
  assert.equal(otherSender.status, 404);
  await otherSender.body?.cancel();
});
