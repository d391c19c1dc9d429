/**
 * The MESH client against gpc-edge's MESH service on a real socket, and its retry rules against a
 * scripted server.
 */
import assert from "node:assert/strict";
import { serveMeshOnLoopback } from "../../worker/testing/mesh-loopback.ts";
import { createMeshClient, MeshClientError, type MeshClientOptions } from "./mesh-client.ts";

const local = { password: "password", sharedKey: "TestKey" };

function clients(url: string, overrides: Partial<MeshClientOptions> = {}) {
  return {
    consumer: createMeshClient({ baseUrl: url, mailboxId: "A11111OT1", ...local, ...overrides }),
    practice: createMeshClient({ baseUrl: url, mailboxId: "B82617OT1", ...local, ...overrides }),
  };
}

function bytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

Deno.test("mesh client: handshake, single and chunked gzip sends, download, ack, tracking", async () => {
  const mesh = await serveMeshOnLoopback();
  try {
    const { consumer, practice } = clients(mesh.url, { chunkSize: 100_000 });
    await consumer.handshake();
    assert.deepEqual(await consumer.ping(), {
      env: "local",
      build_label: "gpc-edge",
      status: "running",
      outcome: "Yes",
    });

    const small = new TextEncoder().encode("a small Send Document message");
    const smallId = await consumer.send({
      to: "B82617OT1",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      body: small,
      subject: "Consultation report",
      localId: "A11111",
      fileName: "report.json",
      contentType: "application/fhir+json",
    });
    const payload = bytes(250_000);
    const chunkedId = await consumer.send({
      to: "B82617OT1",
      workflowId: "GPCONNECT_UPDATE_RECORD",
      body: new Blob([payload]),
      gzip: true,
    });
    const sends = mesh.logged.filter((l) => String(l.endpoint).startsWith("send"));
    assert.deepEqual(sends.map((l) => l.endpoint), ["send", "send", "send.chunk", "send.chunk"]);

    assert.deepEqual((await practice.inbox()).sort(), [smallId, chunkedId].sort());
    assert.deepEqual(await practice.inbox({ workflowFilter: "GPCONNECT_UPDATE_RECORD" }), [
      chunkedId,
    ]);

    const one = await practice.downloadBytes(smallId);
    assert.deepEqual(one.body, small);
    assert.equal(one.info.from, "A11111OT1");
    assert.equal(one.info.workflowId, "GPCONNECT_SEND_DOCUMENT");
    assert.equal(one.info.subject, "Consultation report");
    assert.equal(one.info.localId, "A11111");
    assert.equal(one.info.fileName, "report.json");
    assert.equal(one.info.contentType, "application/fhir+json");
    assert.equal(one.info.messageType, "DATA");
    assert.equal(one.info.totalChunks, 1);

    const three = await practice.downloadBytes(chunkedId);
    assert.equal(three.info.totalChunks, 3);
    assert.deepEqual(three.body, payload);

    for (const id of [smallId, chunkedId]) await practice.acknowledge(id);
    assert.deepEqual(await practice.inbox(), []);
    const tracking = await consumer.tracking(chunkedId);
    assert.equal(tracking.status, "acknowledged");
    assert.equal(tracking.recipient, "B82617OT1");
    await assert.rejects(practice.tracking(chunkedId), { status: 404 });
  } finally {
    await mesh.close();
  }
});

Deno.test("mesh client: inbox paging follows links.next", async () => {
  const mesh = await serveMeshOnLoopback();
  try {
    const { consumer, practice } = clients(mesh.url);
    const sent: string[] = [];
    for (let i = 0; i < 23; i++) {
      sent.push(
        await consumer.send({
          to: "B82617OT1",
          workflowId: "GPCONNECT_SEND_DOCUMENT",
          body: `m${i}`,
        }),
      );
    }
    const first = await practice.inboxPage({ maxResults: 10 });
    assert.equal(first.messages.length, 10);
    assert.match(first.next ?? "", /^\/messageexchange\/B82617OT1\/inbox\?/);
    const all = await practice.inbox({ maxResults: 10 });
    assert.deepEqual([...all].sort(), [...sent].sort());
    assert.equal(new Set(all).size, 23);
  } finally {
    await mesh.close();
  }
});

Deno.test("mesh client: endpoint lookup, and MESH errors as MeshClientError with MESH's code", async () => {
  const mesh = await serveMeshOnLoopback();
  try {
    const { consumer } = clients(mesh.url);
    assert.deepEqual(
      (await consumer.lookup("Y88888", "GPCONNECT_SEND_DOCUMENT")).map((r) => r.mailbox_id),
      ["Y88888OT1", "Y88888OT2"],
    );
    assert.deepEqual(await consumer.lookup("Y99999", "GPCONNECT_SEND_DOCUMENT"), []);
    await assert.rejects(
      consumer.send({ to: "NOSUCHBOX", workflowId: "GPCONNECT_SEND_DOCUMENT", body: "x" }),
      (error) => {
        assert.ok(error instanceof MeshClientError);
        assert.equal(error.status, 417);
        assert.equal(error.code, "12");
        return true;
      },
    );
    const wrongPassword = createMeshClient({
      baseUrl: mesh.url,
      mailboxId: "A11111OT1",
      password: "wrong",
      sharedKey: "TestKey",
    });
    await assert.rejects(wrongPassword.handshake(), { status: 403 });
  } finally {
    await mesh.close();
  }
});

Deno.test("mesh client: Mex-From when asked (checked by MESH), tracking by local id", async () => {
  const mesh = await serveMeshOnLoopback();
  try {
    const { consumer, practice } = clients(mesh.url);
    const id = await consumer.send({
      to: "B82617OT1",
      from: "A11111OT1",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      body: "with Mex-From",
      localId: "ack-0001",
    });
    assert.equal((await practice.downloadBytes(id)).info.from, "A11111OT1");
    await assert.rejects(
      consumer.send({
        to: "B82617OT1",
        from: "A20047OT1",
        workflowId: "GPCONNECT_SEND_DOCUMENT",
        body: "x",
      }),
      { status: 417, code: "07" },
    );
    const tracked = await consumer.trackByLocalId("ack-0001");
    assert.equal(tracked?.messageId, id);
    assert.equal(await consumer.trackByLocalId("never-used"), undefined);
    await consumer.send({
      to: "B82617OT1",
      workflowId: "GPCONNECT_SEND_DOCUMENT",
      body: "same local id",
      localId: "ack-0001",
    });
    await assert.rejects(consumer.trackByLocalId("ack-0001"), { status: 300 });
  } finally {
    await mesh.close();
  }
});

/** A server answering each request with the next scripted status, recording what came. */
function scriptedServer(statuses: number[], retryAfter?: string) {
  const seen: Array<{ method: string; path: string; authorization: string | null }> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    await req.body?.cancel();
    const url = new URL(req.url);
    seen.push({
      method: req.method,
      path: url.pathname,
      authorization: req.headers.get("authorization"),
    });
    const status = statuses.shift() ?? 500;
    const body = status === 202 && url.pathname.endsWith("/outbox")
      ? { message_id: "20260501100000000000_ABCDEF" }
      : status === 202
      ? null
      : { detail: [{ event: "", code: "", msg: "scripted" }] };
    return Response.json(body, {
      status,
      headers: retryAfter && status !== 202 ? { "Retry-After": retryAfter } : {},
    });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, seen, close: () => server.shutdown() };
}

Deno.test("mesh client: the first POST outbox is never retried", async () => {
  const server = scriptedServer([503, 202]);
  try {
    const waits: number[] = [];
    const { consumer } = clients(server.url, {
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await assert.rejects(
      consumer.send({ to: "B82617OT1", workflowId: "W", body: "x" }),
      { status: 503 },
    );
    assert.equal(server.seen.length, 1);
    assert.deepEqual(waits, []);
  } finally {
    await server.close();
  }
});

Deno.test("mesh client: chunks are retried on 425/429/502/503/504 with backoff and a fresh token", async () => {
  const server = scriptedServer([202, 503, 429, 202, 502, 504, 425, 503]);
  try {
    const waits: number[] = [];
    const { consumer } = clients(server.url, {
      chunkSize: 4,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await assert.rejects(
      consumer.send({ to: "B82617OT1", workflowId: "W", body: "abcdefghijkl" }),
      { status: 503 },
    );
    assert.deepEqual(server.seen.map((s) => s.path.split("/").slice(3).join("/")), [
      "outbox",
      "outbox/20260501100000000000_ABCDEF/2",
      "outbox/20260501100000000000_ABCDEF/2",
      "outbox/20260501100000000000_ABCDEF/2",
      "outbox/20260501100000000000_ABCDEF/3",
      "outbox/20260501100000000000_ABCDEF/3",
      "outbox/20260501100000000000_ABCDEF/3",
      "outbox/20260501100000000000_ABCDEF/3",
    ]);
    // Chunk 2: two retries; chunk 3: three retries, then the fourth failure is final.
    assert.deepEqual(waits, [500, 1000, 500, 1000, 2000]);
    const tokens = server.seen.map((s) => s.authorization);
    assert.equal(new Set(tokens).size, tokens.length, "every attempt has its own token");
    assert.deepEqual(
      tokens.map((t) => t?.split(":")[1]),
      tokens.map(() => tokens[0]?.split(":")[1]),
    );
    assert.deepEqual(tokens.map((t) => t?.split(":")[2]), ["0", "1", "2", "3", "4", "5", "6", "7"]);
  } finally {
    await server.close();
  }
});

Deno.test("mesh client: other statuses are not retried; a long Retry-After is not waited out", async () => {
  const server = scriptedServer([500, 429], "3600");
  try {
    const waits: number[] = [];
    const { practice } = clients(server.url, {
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await assert.rejects(practice.inbox(), { status: 500 });
    await assert.rejects(practice.inbox(), { status: 429 });
    assert.equal(server.seen.length, 2);
    assert.deepEqual(waits, []);
  } finally {
    await server.close();
  }
});
