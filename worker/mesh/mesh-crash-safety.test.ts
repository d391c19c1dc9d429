import assert from "node:assert/strict";
import type { RecordCheck, RecordMutation, RecordsStore } from "../store/records-store.ts";
import { createMemoryRecordsStore } from "../store/memory-records-store.ts";
import {
  createMeshWorld,
  inboxIds,
  listedBlobStore,
  manualClock,
  sendHeaders,
  sendOne,
} from "./mesh-test-kit.ts";

/** A records store whose next commit matching `when` fails (the store failed: nothing written). */
function faultyRecords(inner: RecordsStore) {
  let failNext: ((mutations: readonly RecordMutation[]) => boolean) | undefined;
  const store: RecordsStore = {
    get: (key) => inner.get(key),
    getMany: (keys) => inner.getMany(keys),
    list: (prefix, options) => inner.list(prefix, options),
    commit: (checks: readonly RecordCheck[], mutations: readonly RecordMutation[]) => {
      if (failNext?.(mutations)) {
        failNext = undefined;
        return Promise.reject(new Error("injected store failure"));
      }
      return inner.commit(checks, mutations);
    },
  };
  return {
    store,
    failWhen(predicate: (mutations: readonly RecordMutation[]) => boolean) {
      failNext = predicate;
    },
  };
}

const touchesInbox = (m: readonly RecordMutation[]) =>
  m.some((x) => x.key.startsWith("mesh:inbox:"));
const touchesMessage = (m: readonly RecordMutation[]) =>
  m.some((x) => x.key.startsWith("mesh:message:"));

function world() {
  const clock = manualClock();
  const faulty = faultyRecords(createMemoryRecordsStore({ now: clock.now }));
  const blobs = listedBlobStore();
  return { ...faulty, blobs, world: createMeshWorld({ clock, records: faulty.store, blobs }) };
}

async function chunk(
  w: ReturnType<typeof createMeshWorld>,
  id: string,
  n: number,
  total: number,
  body: string,
) {
  const response = await w.request("A11111OT1", `/messageexchange/A11111OT1/outbox/${id}/${n}`, {
    method: "POST",
    headers: { "Mex-Chunk-Range": `${n}:${total}` },
    body,
  });
  await response.body?.cancel();
  return response.status;
}

Deno.test("a store failure on the last chunk's commit leaves the message invisible; the retry delivers it once", async () => {
  const t = world();
  const first = await t.world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: sendHeaders({ "Mex-Chunk-Range": "1:2" }),
    body: "one,",
  });
  const id = (await first.json()).message_id;
  t.failWhen(touchesInbox);
  assert.equal(await chunk(t.world, id, 2, 2, "two"), 500);
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), []);
  assert.equal(t.blobs.keys().length, 1, "the failed chunk's blob is gone");
  const logged = t.world.logs.filter((l) => l.type === "error");
  assert.equal(logged.length, 1);
  assert.match(String(logged[0]?.message), /injected store failure/);
  assert.equal(await chunk(t.world, id, 2, 2, "two"), 202);
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), [id]);
  const download = await t.world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/2`);
  assert.equal(await download.text(), "two");
  assert.equal(await chunk(t.world, id, 2, 2, "two"), 423);
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), [id]);
});

Deno.test("a store failure while committing a single-part send answers 500 and leaves nothing", async () => {
  const t = world();
  t.failWhen(touchesInbox);
  const response = await t.world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: sendHeaders(),
    body: "x",
  });
  assert.equal(response.status, 500);
  await response.body?.cancel();
  assert.deepEqual(await t.store.list("mesh:message:"), []);
  assert.deepEqual(await t.store.list("mesh:inbox:"), []);
  assert.deepEqual(t.blobs.keys(), []);
});

Deno.test("a body that breaks off mid-stream stores nothing and shows nothing", async () => {
  const t = world();
  const id = await sendOne(t.world, "first", { "Mex-Chunk-Range": "1:2" });
  let sent = 0;
  const broken = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 3) controller.enqueue(new Uint8Array(1000));
      else controller.error(new Error("connection reset"));
    },
  });
  const response = await t.world.request("A11111OT1", `/messageexchange/A11111OT1/outbox/${id}/2`, {
    method: "POST",
    headers: { "Mex-Chunk-Range": "2:2" },
    body: broken,
  });
  assert.equal(response.status, 500);
  await response.body?.cancel();
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), []);
  assert.equal(t.blobs.keys().length, 1);
  assert.equal(await chunk(t.world, id, 2, 2, "second"), 202);
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), [id]);
});

Deno.test("a store failure during acknowledge changes nothing; the retried acknowledge is idempotent", async () => {
  const t = world();
  const id = await sendOne(t.world, "x");
  const ack = async () => {
    const response = await t.world.request(
      "B82617OT1",
      `/messageexchange/B82617OT1/inbox/${id}/status/acknowledged`,
      { method: "PUT" },
    );
    await response.body?.cancel();
    return response.status;
  };
  t.failWhen(touchesMessage);
  assert.equal(await ack(), 500);
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), [id]);
  assert.equal(
    (await t.store.get<{ status: string }>(`mesh:message:${id}`))?.value.status,
    "accepted",
  );
  assert.equal(await ack(), 200);
  assert.equal(await ack(), 200);
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), []);
  assert.equal(
    (await t.store.get<{ status: string }>(`mesh:message:${id}`))?.value.status,
    "acknowledged",
  );
});

Deno.test("concurrent acknowledges and concurrent last chunks apply once", async () => {
  const t = world();
  const id = await sendOne(t.world, "x");
  const acks = await Promise.all(
    Array.from(
      { length: 8 },
      () =>
        t.world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/status/acknowledged`, {
          method: "PUT",
        })
          .then(async (r) => (await r.body?.cancel(), r.status)),
    ),
  );
  assert.deepEqual(acks, Array(8).fill(200));
  const chunked = await sendOne(t.world, "a", { "Mex-Chunk-Range": "1:2" });
  const lasts = await Promise.all(
    Array.from({ length: 6 }, () => chunk(t.world, chunked, 2, 2, "b")),
  );
  assert.ok(lasts.includes(202));
  assert.ok(lasts.every((s) => s === 202 || s === 423), String(lasts));
  assert.deepEqual(await inboxIds(t.world, "B82617OT1"), [chunked]);
  // Exactly one blob per chunk survives: losers' blobs were removed.
  assert.equal(t.blobs.keys().filter((k) => k.startsWith(`mesh/${chunked}/`)).length, 2);
});
