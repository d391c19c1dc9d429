import assert from "node:assert/strict";
import { createMeshWorld, gzip, inboxIds, listedBlobStore, sendHeaders } from "./mesh-test-kit.ts";

type World = ReturnType<typeof createMeshWorld>;

async function start(
  world: World,
  total: number,
  extra: Record<string, string> = {},
  body: BodyInit = "one,",
) {
  const response = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: sendHeaders({ "Mex-Chunk-Range": `1:${total}`, ...extra }),
    body,
  });
  assert.equal(response.status, 202);
  return (await response.json()).message_id as string;
}

async function chunk(
  world: World,
  id: string,
  n: number | string,
  headers: Record<string, string>,
  body: BodyInit | null = "more,",
  sender = "A11111OT1",
) {
  const response = await world.request(sender, `/messageexchange/${sender}/outbox/${id}/${n}`, {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream", ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) };
}

Deno.test("a 3-chunk message is invisible until chunk 3, then listed once; chunk answers are 202 null", async () => {
  const world = createMeshWorld();
  const id = await start(world, 3);
  assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
  const second = await chunk(world, id, 2, { "Mex-Chunk-Range": "2:3" });
  assert.deepEqual(second, { status: 202, body: null });
  assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
  const early = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`);
  assert.equal(early.status, 410);
  await early.body?.cancel();
  assert.equal((await chunk(world, id, 3, { "Mex-Chunk-Range": "3:3" }, "end")).status, 202);
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [id]);
});

Deno.test("v1 chunk answer is messageID and blockID", async () => {
  const world = createMeshWorld();
  const id = await start(world, 2);
  const result = await chunk(world, id, 2, {
    "Mex-Chunk-Range": "2:2",
    accept: "application/json",
  });
  assert.deepEqual(result, { status: 202, body: { messageID: id, blockID: 2 } });
});

Deno.test("chunk errors", async (t) => {
  const world = createMeshWorld();
  const id = await start(world, 3);
  const gz = await start(world, 2, { "Content-Encoding": "gzip" }, await gzip("one"));
  const cases: Array<[string, () => ReturnType<typeof chunk>, number, string?]> = [
    ["missing range", () => chunk(world, id, 2, {}), 417, "InvalidHeaderChunks"],
    [
      "range differs from URL",
      () => chunk(world, id, 2, { "Mex-Chunk-Range": "3:3" }),
      417,
      "InvalidHeaderChunks",
    ],
    [
      "range total differs from the message",
      () => chunk(world, id, 2, { "Mex-Chunk-Range": "2:4" }),
      417,
      "InvalidHeaderChunks",
    ],
    ["n > N", () => chunk(world, id, 4, { "Mex-Chunk-Range": "4:4" }), 406],
    ["chunk 0", () => chunk(world, id, 0, { "Mex-Chunk-Range": "0:3" }), 400],
    ["chunk not a number", () => chunk(world, id, "two", { "Mex-Chunk-Range": "2:3" }), 400],
    [
      "unknown message",
      () => chunk(world, "20261205090000000000_ABCDEF", 2, { "Mex-Chunk-Range": "2:3" }),
      404,
      "20",
    ],
    [
      "another mailbox",
      () => chunk(world, id, 2, { "Mex-Chunk-Range": "2:3" }, "x", "B82617OT1"),
      403,
    ],
    [
      "encoding added",
      () => chunk(world, id, 2, { "Mex-Chunk-Range": "2:3", "Content-Encoding": "gzip" }),
      417,
      "ContentEncodingChanged",
    ],
    [
      "encoding dropped",
      () => chunk(world, gz, 2, { "Mex-Chunk-Range": "2:2" }),
      417,
      "ContentEncodingChanged",
    ],
    ["empty chunk", () => chunk(world, id, 2, { "Mex-Chunk-Range": "2:3" }, ""), 417, "02"],
  ];
  for (const [name, run, status, code] of cases) {
    await t.step(name, async () => {
      const result = await run();
      assert.equal(result.status, status, JSON.stringify(result.body));
      if (code !== undefined) assert.equal(result.body.detail[0].code, code);
      if (status === 417) assert.ok([id, gz].includes(result.body.message_id));
    });
  }
  // None of that changed the message: it still completes normally.
  assert.equal((await chunk(world, id, 2, { "Mex-Chunk-Range": "2:3" })).status, 202);
  assert.equal((await chunk(world, id, 3, { "Mex-Chunk-Range": "3:3" })).status, 202);
  const after = await chunk(world, id, 3, { "Mex-Chunk-Range": "3:3" });
  assert.equal(after.status, 423, "a chunk after completion");
  assert.equal(after.body.message_id, id);
  const body = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/3`);
  assert.equal(await body.text(), "more,");
});

Deno.test("a retried chunk replaces the earlier copy and leaves no stray blob", async () => {
  const blobs = listedBlobStore();
  const world = createMeshWorld({ blobs });
  const id = await start(world, 2);
  assert.equal((await chunk(world, id, 2, { "Mex-Chunk-Range": "2:2" }, "first")).status, 202);
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [id]);
  // Complete now, so a retry is too late (423) and must not replace the delivered bytes.
  const late = await chunk(world, id, 2, { "Mex-Chunk-Range": "2:2" }, "second");
  assert.equal(late.status, 423);
  const download = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/2`);
  assert.equal(await download.text(), "first");
  assert.equal(blobs.keys().length, 2);
});

Deno.test("chunks may be retried before completion: the last copy wins", async () => {
  const blobs = listedBlobStore();
  const world = createMeshWorld({ blobs });
  const id = await start(world, 3);
  await chunk(world, id, 2, { "Mex-Chunk-Range": "2:3" }, "old");
  await chunk(world, id, 2, { "Mex-Chunk-Range": "2:3" }, "new");
  assert.equal(blobs.keys().length, 2);
  await chunk(world, id, 3, { "Mex-Chunk-Range": "3:3" }, "end");
  const download = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/2`);
  assert.equal(download.status, 206);
  assert.equal(await download.text(), "new");
});

Deno.test("a message may not grow past maxMessageBytes over its chunks", async () => {
  const blobs = listedBlobStore();
  const world = createMeshWorld({ blobs, config: { maxMessageBytes: 10 } });
  const id = await start(world, 2, {}, "123456");
  const result = await chunk(world, id, 2, { "Mex-Chunk-Range": "2:2" }, "7890123");
  assert.equal(result.status, 413);
  assert.equal(blobs.keys().length, 1);
  assert.equal((await chunk(world, id, 2, { "Mex-Chunk-Range": "2:2" }, "7890")).status, 202);
});
