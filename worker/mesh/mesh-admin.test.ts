import assert from "node:assert/strict";
import { createMeshWorld, inboxIds, sendOne } from "./mesh-test-kit.ts";

Deno.test("the admin API is absent unless configured on", async () => {
  const world = createMeshWorld({ config: { adminApi: false } });
  const response = await world.app.request("/messageexchange/admin/reset", { method: "DELETE" });
  assert.equal(response.status, 404);
  await response.body?.cancel();
  await sendOne(world, "x");
  assert.equal((await inboxIds(world, "B82617OT1")).length, 1);
});

Deno.test("admin reset of one mailbox, then of everything", async () => {
  const world = createMeshWorld();
  await sendOne(world, "to practice");
  const other = await sendOne(world, "to other", { "Mex-To": "A20047OT1" });
  const one = await world.app.request("/messageexchange/admin/reset/b82617ot1", {
    method: "DELETE",
  });
  assert.deepEqual(await one.json(), { purged: 1 });
  assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
  assert.deepEqual(await inboxIds(world, "A20047OT1"), [other]);
  const all = await world.app.request("/messageexchange/admin/reset", { method: "DELETE" });
  assert.deepEqual(await all.json(), { purged: 1 });
  assert.deepEqual(await world.deps.records.list("mesh:message:"), []);
});

Deno.test("admin report injection lands a REPORT (event TRANSFER) in the mailbox", async () => {
  const world = createMeshWorld();
  const response = await world.app.request("/messageexchange/admin/report", {
    method: "POST",
    body: JSON.stringify({
      mailbox_id: "A11111OT1",
      code: "14",
      description: "Message not collected by recipient after 5 days",
      workflow_id: "GPCONNECT_SEND_DOCUMENT",
      linked_message_id: "20261205090000000000_ABCDEF",
    }),
  });
  const { message_id } = await response.json();
  assert.deepEqual(await inboxIds(world, "A11111OT1"), [message_id]);
  const report = await world.request("A11111OT1", `/messageexchange/A11111OT1/inbox/${message_id}`);
  assert.equal(report.headers.get("mex-statusevent"), "TRANSFER");
  assert.equal(report.headers.get("mex-linkedmsgid"), "20261205090000000000_ABCDEF");
  await report.body?.cancel();
  const bad = await world.app.request("/messageexchange/admin/report", {
    method: "POST",
    body: "{}",
  });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});

Deno.test("admin mailbox view never shows the password; message view shows the record", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x");
  const mailbox = await (await world.app.request("/messageexchange/admin/mailbox/B82617OT1"))
    .json();
  assert.equal(mailbox.inbox_count, 1);
  assert.equal(mailbox.ods_code, "B82617");
  assert.ok(!JSON.stringify(mailbox).includes("password"));
  const message = await (await world.app.request(`/messageexchange/admin/message/${id}`)).json();
  assert.equal(message.status, "accepted");
});

Deno.test("admin housekeeping runs the lifecycle as of a given instant", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "never collected");
  const now = world.clock.now();
  const housekeeping = (at: number) =>
    world.app.request("/messageexchange/admin/housekeeping", {
      method: "POST",
      body: JSON.stringify({ at: new Date(at).toISOString() }),
    });
  const day = 24 * 60 * 60 * 1000;
  const early = await housekeeping(now + 4 * day);
  assert.deepEqual(await early.json(), {
    at: new Date(now + 4 * day).toISOString(),
    expired: 0,
    purged: 0,
  });
  const expiry = await (await housekeeping(now + 5 * day + 60_000)).json();
  assert.equal(expiry.expired, 1);
  assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
  const record = await (await world.app.request(`/messageexchange/admin/message/${id}`)).json();
  assert.equal(record.status, "undeliverable");
  const purge = await (await housekeeping(now + 30 * day + 60_000)).json();
  assert.equal(purge.purged, 1);
  const gone = await world.app.request(`/messageexchange/admin/message/${id}`);
  assert.equal(gone.status, 404);
  await gone.body?.cancel();
  const bad = await world.app.request("/messageexchange/admin/housekeeping", {
    method: "POST",
    body: JSON.stringify({ at: "next tuesday" }),
  });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});
