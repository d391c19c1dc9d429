import assert from "node:assert/strict";
import {
  createMeshWorld,
  inboxIds,
  listedBlobStore,
  sendHeaders,
  sendOne,
} from "./mesh-test-kit.ts";
import { messageIdPattern } from "./message-id.ts";

async function send(
  world: ReturnType<typeof createMeshWorld>,
  headers: Record<string, string>,
  body: BodyInit | null = "hello",
  sender = "A11111OT1",
  accept = "",
) {
  const response = await world.request(sender, `/messageexchange/${sender}/outbox`, {
    method: "POST",
    headers: { ...headers, ...(accept ? { accept } : {}) },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.json(),
  };
}

Deno.test("a send answers 202 with a MESH message id and lands in the recipient's inbox", async () => {
  const world = createMeshWorld();
  const result = await send(world, sendHeaders());
  assert.equal(result.status, 202);
  assert.match(result.type ?? "", /^application\/json/);
  assert.match(result.body.message_id, messageIdPattern);
  assert.ok(result.body.message_id.startsWith("20261205090000000"));
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [result.body.message_id]);
  assert.deepEqual(await inboxIds(world, "A20047OT1"), []);
});

Deno.test("v1 send answers messageID; lower-case headers and mailbox are accepted", async () => {
  const world = createMeshWorld();
  const result = await send(
    world,
    { "mex-to": " b82617ot1 ", "mex-workflowid": "GPCONNECT_SEND_DOCUMENT" },
    "x",
    "A11111OT1",
    "application/json",
  );
  assert.equal(result.status, 202);
  assert.match(result.body.messageID, messageIdPattern);
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [result.body.messageID]);
});

Deno.test("send errors: status, MESH code and nothing stored", async (t) => {
  const world = createMeshWorld();
  const base = sendHeaders();
  const without = (name: string) =>
    Object.fromEntries(Object.entries(base).filter(([k]) => k !== name));
  const cases: Array<[string, Record<string, string>, BodyInit | null, number, string, string?]> = [
    ["missing mex-To", without("Mex-To"), "x", 400, ""],
    ["empty mex-To", { ...base, "Mex-To": " " }, "x", 400, "08"],
    ["missing mex-WorkflowID", without("Mex-WorkflowID"), "x", 400, ""],
    ["empty mex-WorkflowID", { ...base, "Mex-WorkflowID": "" }, "x", 400, ""],
    ["empty body", base, "", 417, "02"],
    ["no body", base, null, 417, "02"],
    ["unknown recipient", { ...base, "Mex-To": "NOPE01" }, "x", 417, "12"],
    [
      "GPPROVIDER without routing",
      { ...base, "Mex-To": "GPPROVIDER_9690937286_19420111_SMITH" },
      "x",
      417,
      "12",
    ],
    [
      "sender may not send the workflow",
      { ...base, "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT_ACK" },
      "x",
      417,
      "17",
    ],
    [
      "recipient may not receive the workflow",
      { ...base, "Mex-WorkflowID": "GPCONNECT_UPDATE_RECORD", "Mex-To": "Y88888OT1" },
      "x",
      417,
      "17",
    ],
    ["control character in a header", { ...base, "Mex-Subject": "a\x07b" }, "x", 400, "06"],
    ["tab inside a header", { ...base, "Mex-LocalID": "a\tb" }, "x", 400, "06"],
    ["URL as recipient", { ...base, "Mex-To": "https://evil.example/x" }, "x", 400, "06"],
    [
      "unsupported Content-Encoding",
      { ...base, "Content-Encoding": "deflate" },
      "x",
      422,
      "UnsupportedContentEncoding",
    ],
    ["first chunk 2:3", { ...base, "Mex-Chunk-Range": "2:3" }, "x", 417, "InvalidHeaderChunks"],
    ["chunk range 0:3", { ...base, "Mex-Chunk-Range": "0:3" }, "x", 417, "InvalidHeaderChunks"],
    ["chunk range garbage", { ...base, "Mex-Chunk-Range": "1-3" }, "x", 417, "InvalidHeaderChunks"],
    ["too many chunks", { ...base, "Mex-Chunk-Range": "1:1001" }, "x", 417, "InvalidHeaderChunks"],
    [
      "checksum outside MESH's characters",
      { ...base, "Mex-Content-Checksum": "md5=abc" },
      "x",
      400,
      "InvalidChecksum",
    ],
    ["over-long subject", { ...base, "Mex-Subject": "s".repeat(501) }, "x", 400, ""],
    ["mex-From another mailbox", { ...base, "Mex-From": "B82617OT1" }, "x", 417, "07"],
    ["message type REPORT", { ...base, "Mex-MessageType": "REPORT" }, "x", 417, "11"],
  ];
  for (const [name, headers, body, status, code] of cases) {
    await t.step(name, async () => {
      const result = await send(world, headers, body);
      assert.equal(result.status, status, JSON.stringify(result.body));
      assert.equal(result.body.detail[0].code, code);
      assert.match(result.type ?? "", /vnd\.mesh\.v2\+json/);
    });
  }
  assert.deepEqual(await world.deps.records.list("mesh:message:"), []);
});

Deno.test("v1 error bodies carry errorEvent, errorCode and errorDescription", async () => {
  const world = createMeshWorld();
  const result = await send(
    world,
    { ...sendHeaders(), "Mex-To": "NOPE01" },
    "x",
    "A11111OT1",
    "application/json",
  );
  assert.equal(result.status, 417);
  assert.deepEqual(result.body, {
    errorEvent: "SEND",
    errorCode: "12",
    errorDescription: "Unregistered to address",
  });
});

Deno.test("Accept application/vnd.mesh.v2+xml is a 400; v3+json is v2", async () => {
  const world = createMeshWorld();
  const xml = await send(world, sendHeaders(), "x", "A11111OT1", "application/vnd.mesh.v2+xml");
  assert.equal(xml.status, 400);
  const v3 = await send(world, sendHeaders(), "x", "A11111OT1", "application/vnd.mesh.v3+json");
  assert.equal(v3.status, 202);
  assert.ok(v3.body.message_id);
});

Deno.test("mex-From equal to the sender and mex-MessageType DATA are accepted", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "x", { "Mex-From": "a11111ot1", "Mex-MessageType": "DATA" });
  assert.deepEqual(await inboxIds(world, "B82617OT1"), [id]);
});

Deno.test("a body over the chunk limit is a 413 and leaves nothing behind", async () => {
  const blobs = listedBlobStore();
  const world = createMeshWorld({ config: { maxChunkBytes: 1024 }, blobs });
  const result = await send(world, sendHeaders(), new Uint8Array(2048));
  assert.equal(result.status, 413);
  assert.deepEqual(await world.deps.records.list("mesh:message:"), []);
  assert.deepEqual(await world.deps.records.list("mesh:inbox:"), []);
  assert.deepEqual(blobs.keys(), []);
  assert.equal((await send(world, sendHeaders(), new Uint8Array(1024))).status, 202);
  assert.equal(blobs.keys().length, 1);
});

Deno.test("flags, checksum, local id, subject and file name pass through to the download", async () => {
  const world = createMeshWorld();
  const id = await sendOne(world, "payload", {
    "Mex-Content-Compressed": "yes",
    "Mex-Content-Encrypted": "junk",
    "Mex-Content-Checksum": "md5:abc 123",
    "Mex-LocalID": "A11111",
    "Mex-Subject": "Consultation report",
    "Mex-FileName": "report.json",
    "Mex-PartnerID": "partner",
    "Mex-Content-Type": "application/fhir+json",
  });
  const response = await world.request("B82617OT1", `/messageexchange/B82617OT1/inbox/${id}`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "payload");
  const h = response.headers;
  assert.equal(h.get("mex-content-compressed"), "Y");
  assert.equal(h.get("mex-content-encrypted"), null);
  assert.equal(h.get("mex-content-checksum"), "md5:abc 123");
  assert.equal(h.get("mex-localid"), "A11111");
  assert.equal(h.get("mex-subject"), "Consultation report");
  assert.equal(h.get("mex-filename"), "report.json");
  assert.equal(h.get("mex-partnerid"), "partner");
  assert.equal(h.get("mex-content-type"), "application/fhir+json");
  assert.equal(h.get("content-type"), "application/fhir+json");
});
