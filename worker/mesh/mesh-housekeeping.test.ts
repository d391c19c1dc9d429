import assert from "node:assert/strict";
import {
  runLoggedMeshHousekeeping,
  runMeshHousekeeping,
  scheduleMeshHousekeeping,
} from "./mesh-housekeeping.ts";
import { createMeshWorld, inboxIds, listedBlobStore, sendOne } from "./mesh-test-kit.ts";

const day = 86_400_000;

Deno.test("after 5 days an uncollected message is undeliverable and its sender gets a REPORT 14", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x", { "Mex-LocalID": "L" });
  world.clock.advance(5 * day - 1);
  assert.deepEqual(await runMeshHousekeeping(world.deps), { expired: 0, purged: 0 });
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [id]);
  world.clock.advance(1);
  assert.deepEqual(await runMeshHousekeeping(world.deps), { expired: 1, purged: 0 });
  assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
  const gone = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`);
  assert.equal(gone.status, 410);
  await gone.body?.cancel();
  const [reportId] = await inboxIds(world, "A11111OT1");
  const report = await world.request("A11111OT1", `/messageexchange/A11111OT1/inbox/${reportId}`);
  assert.equal(report.headers.get("mex-statuscode"), "14");
  assert.equal(
    report.headers.get("mex-statusdescription"),
    "Message not collected by recipient after 5 days",
  );
  assert.equal(report.headers.get("mex-linkedmsgid"), id);
  assert.equal(report.headers.get("mex-localid"), "L");
  await report.body?.cancel();
  const tracking = await (await world.request(
    "A11111OT1",
    `/messageexchange/A11111OT1/outbox/tracking?messageID=${id}`,
  )).json();
  assert.equal(tracking.status, "undeliverable");
  // A second run changes nothing (no second REPORT).
  assert.deepEqual(await runMeshHousekeeping(world.deps), { expired: 0, purged: 0 });
  assert.equal((await inboxIds(world, "A11111OT1")).length, 1);
});

Deno.test("acknowledged and REPORT messages never expire; nothing younger than 5 days does", async () => {
  const world = createMeshWorld();
  const acked = await sendOne(world, "a");
  await world.request(
    "B82617OT1",
    `/messageexchange/B82617OT1/inbox/${acked}/status/acknowledged`,
    { method: "PUT" },
  );
  world.clock.advance(4 * day);
  const young = await sendOne(world, "b");
  world.clock.advance(2 * day);
  assert.deepEqual(await runMeshHousekeeping(world.deps), { expired: 0, purged: 0 });
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [young]);
});

Deno.test("after 30 days messages, their indexes and their blobs are purged", async () => {
  const blobs = listedBlobStore();
  const world = createMeshWorld({ blobs });
  const old = await sendOne(world, "old", { "Mex-LocalID": "L" });
  world.clock.advance(10 * day);
  const newer = await sendOne(world, "new");
  world.clock.advance(20 * day);
  const result = await runMeshHousekeeping(world.deps);
  // Both expire in this run (REPORTs made now); only `old` is past 30 days.
  assert.equal(result.purged, 1);
  assert.equal(await world.deps.records.get(`mesh:message:${old}`), undefined);
  assert.deepEqual(await world.deps.records.list(`mesh:localid:`), []);
  assert.ok(blobs.keys().every((k) => !k.startsWith(`mesh/${old}/`)));
  assert.ok(blobs.keys().some((k) => k.startsWith(`mesh/${newer}/`)));
  const tracking = await world.request(
    "A11111OT1",
    `/messageexchange/A11111OT1/outbox/tracking?messageID=${old}`,
  );
  assert.equal(tracking.status, 404);
  await tracking.body?.cancel();
  world.clock.advance(31 * day);
  await runMeshHousekeeping(world.deps);
  assert.deepEqual(await world.deps.records.list("mesh:message:"), []);
  assert.deepEqual(await world.deps.records.list("mesh:inbox:"), []);
  assert.deepEqual(await world.deps.records.list("mesh:pending:"), []);
  assert.deepEqual(blobs.keys(), []);
});

Deno.test("an upload never completed is purged with its blobs after 30 days", async () => {
  const blobs = listedBlobStore();
  const world = createMeshWorld({ blobs });
  const response = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: {
      "Mex-To": "B82617OT1",
      "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
      "Mex-Chunk-Range": "1:3",
    },
    body: "part",
  });
  assert.equal(response.status, 202);
  await response.body?.cancel();
  world.clock.advance(30 * day);
  assert.deepEqual(await runMeshHousekeeping(world.deps), { expired: 0, purged: 1 });
  assert.deepEqual(blobs.keys(), []);
});

Deno.test("scheduleMeshHousekeeping runs on its timer, logs what it did, and stop() waits for the run under way", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x");
  world.clock.advance(5 * day);
  const stop = scheduleMeshHousekeeping(world.deps, 1);
  try {
    for (let tick = 0; tick < 500 && !world.logs.some(isHousekeepingLine); tick++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    await stop();
  }
  assert.deepEqual(
    world.logs.filter(isHousekeepingLine).map(({ expired, purged }) => ({
      expired,
      purged,
    })),
    [{ expired: 1, purged: 0 }],
  );
  assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
  assert.equal(
    (await world.deps.records.get<{ status: string }>(`mesh:message:${id}`))?.value
      .status,
    "undeliverable",
  );
});

Deno.test("runLoggedMeshHousekeeping logs a failed run as one error line and does not throw", async () => {
  const world = createMeshWorld();
  const failing = {
    ...world.deps,
    records: {
      ...world.deps.records,
      list: () => Promise.reject(new Error("store offline")),
    },
  };
  assert.equal(await runLoggedMeshHousekeeping(failing), undefined);
  const errors = world.logs.filter((record) => record.type === "error");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.message, "MESH housekeeping failed: store offline");
});

function isHousekeepingLine(record: Readonly<Record<string, unknown>>): boolean {
  return record.type === "mesh-housekeeping";
}
