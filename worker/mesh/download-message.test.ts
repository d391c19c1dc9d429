import assert from "node:assert/strict";
import { createMeshWorld, gzip, inboxIds, sendHeaders, sendOne } from "./mesh-test-kit.ts";

type World = ReturnType<typeof createMeshWorld>;

async function chunked(
  world: World,
  parts: Uint8Array[] | string[],
  extra: Record<string, string> = {},
) {
  const total = parts.length;
  const first = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: sendHeaders({ "Mex-Chunk-Range": `1:${total}`, ...extra }),
    body: parts[0] as BodyInit,
  });
  assert.equal(first.status, 202);
  const id = (await first.json()).message_id as string;
  for (let n = 2; n <= total; n++) {
    const response = await world.request(
      "A11111OT1",
      `/messageexchange/A11111OT1/outbox/${id}/${n}`,
      {
        method: "POST",
        headers: {
          "Mex-Chunk-Range": `${n}:${total}`,
          ...(extra["Content-Encoding"] ? { "Content-Encoding": extra["Content-Encoding"] } : {}),
        },
        body: parts[n - 1] as BodyInit,
      },
    );
    assert.equal(response.status, 202);
    await response.body?.cancel();
  }
  return id;
}

Deno.test("chunks download 206, 206, 200 with mex-Chunk-Range n:N and MESH headers", async () => {
  const world = createMeshWorld();
  const id = await chunked(world, ["a", "b", "c"], {
    "Mex-LocalID": "local-1",
    "Mex-Subject": "s",
  });
  const statuses: number[] = [];
  let body = "";
  for (const [n, path] of [[1, ""], [2, "/2"], [3, "/3"]] as const) {
    const response = await world.request(
      "B82617OT1",
      `/messageexchange/B82617OT1/inbox/${id}${path}`,
    );
    statuses.push(response.status);
    body += await response.text();
    const h = response.headers;
    assert.equal(h.get("mex-chunk-range"), `${n}:3`);
    assert.equal(h.get("mex-total-chunks"), "3");
    assert.equal(h.get("mex-from"), "A11111OT1");
    assert.equal(h.get("mex-to"), "B82617OT1");
    assert.equal(h.get("mex-workflowid"), "GPCONNECT_SEND_DOCUMENT");
    assert.equal(h.get("mex-messagetype"), "DATA");
    assert.equal(h.get("mex-messageid"), id);
    assert.equal(h.get("mex-statuscode"), "00");
    assert.equal(h.get("mex-statussuccess"), "SUCCESS");
    assert.equal(h.get("mex-localid"), "local-1");
    assert.equal(h.get("mex-filename"), `${id}.dat`);
    assert.equal(h.get("mex-addresstype"), "ALL");
    assert.equal(h.get("content-type"), "application/octet-stream");
    assert.equal(h.get("mex-partnerid"), null, "empty values are left out");
  }
  assert.deepEqual(statuses, [206, 206, 200]);
  assert.equal(body, "abc");
});

Deno.test("gzip chunks: served as stored when gzip is accepted, decompressed when not", async () => {
  const world = createMeshWorld();
  const parts = [await gzip("hello "), await gzip("world")];
  const id = await chunked(world, parts, { "Content-Encoding": "gzip" });
  const zipped = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`, {
    headers: { "accept-encoding": "gzip, deflate" },
  });
  assert.equal(zipped.status, 206);
  assert.equal(zipped.headers.get("content-encoding"), "gzip");
  assert.deepEqual(new Uint8Array(await zipped.arrayBuffer()), parts[0]);
  for (const acceptEncoding of [undefined, "identity", "gzip;q=0"]) {
    const plain = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/2`, {
      headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {},
    });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.equal(await plain.text(), "world");
  }
});

Deno.test("download errors: unknown 404/20, chunk N+1 404/20, non-recipient 403, uploading 410", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x");
  const unknown = await world.request(
    "B82617OT1",
    "/messageexchange/B82617OT1/inbox/20261205090000000000_ABCDEF",
  );
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).detail[0].code, "20");
  const beyond = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/2`);
  assert.equal(beyond.status, 404);
  assert.equal((await beyond.json()).detail[0].code, "20");
  const zero = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/0`);
  assert.equal(zero.status, 404);
  await zero.body?.cancel();
  const stranger = await world.request("A20047OT1", `/messageexchange/A20047OT1/inbox/${id}`);
  assert.equal(stranger.status, 403);
  await stranger.body?.cancel();
  const sender = await world.request("A11111OT1", `/messageexchange/A11111OT1/inbox/${id}`);
  assert.equal(sender.status, 403);
  await sender.body?.cancel();
  const uploading = await world.request("A11111OT1", "/messageexchange/A11111OT1/outbox", {
    method: "POST",
    headers: sendHeaders({ "Mex-Chunk-Range": "1:2" }),
    body: "part",
  });
  const pending = (await uploading.json()).message_id;
  const gone = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${pending}`);
  assert.equal(gone.status, 410);
  await gone.body?.cancel();
});

Deno.test("HEAD gives the headers to the recipient and the sender, 404 to others", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x");
  for (const mailbox of ["B82617OT1", "A11111OT1"]) {
    const response = await world.request(mailbox, `/messageexchange/${mailbox}/inbox/${id}`, {
      method: "HEAD",
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("mex-messageid"), id);
    assert.equal(await response.text(), "");
  }
  const other = await world.request("A20047OT1", `/messageexchange/A20047OT1/inbox/${id}`, {
    method: "HEAD",
  });
  assert.equal(other.status, 404);
});

Deno.test("acknowledge: out of the inbox, idempotent, still downloadable, tracked", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x");
  const ack = () =>
    world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}/status/acknowledged`, {
      method: "PUT",
      // NHS's npm client sends this body; it must be ignored.
      headers: { "content-type": "application/octet-stream" },
      body: JSON.stringify({ messageId: id }),
    });
  const first = await ack();
  assert.equal(first.status, 200);
  assert.equal(await first.text(), "");
  assert.deepEqual(await inboxIds(world, "B82617OT1"), []);
  const second = await ack();
  assert.equal(second.status, 200);
  await second.body?.cancel();
  const download = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`);
  assert.equal(download.status, 200);
  assert.equal(await download.text(), "x");
  const tracking = await world.request(
    "A11111OT1",
    `/messageexchange/A11111OT1/outbox/tracking?messageID=${id}`,
  );
  assert.equal((await tracking.json()).status, "acknowledged");
  const v1 = await world.request(
    "B82617OT1",
    `/messageexchange/B82617OT1/inbox/${id}/status/acknowledged`,
    {
      method: "PUT",
      headers: { accept: "application/json" },
    },
  );
  assert.deepEqual(await v1.json(), { messageId: id });
});

Deno.test("acknowledge errors: unknown 404, not the recipient 403 (and nothing changes)", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x");
  const unknown = await world.request(
    "B82617OT1",
    "/messageexchange/B82617OT1/inbox/20261205090000000000_ABCDEF/status/acknowledged",
    { method: "PUT" },
  );
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  const other = await world.request(
    "A20047OT1",
    `/messageexchange/A20047OT1/inbox/${id}/status/acknowledged`,
    { method: "PUT" },
  );
  assert.equal(other.status, 403);
  await other.body?.cancel();
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [id]);
});
