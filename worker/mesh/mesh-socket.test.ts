/**
 * The MESH service on real sockets (Deno.serve on 127.0.0.1:0) over Deno KV records and file
 * blobs: streamed chunked sends (the first gzip chunk with Transfer-Encoding: chunked and no
 * length, as NHS's clients send it), byte-identical downloads, and SIGKILL of the server in the
 * middle of a chunk upload and of an acknowledge.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createDenoKvRecordsStore } from "../store/deno-kv-records-store.ts";
import { createFileBlobStore } from "../store/file-blob-store.ts";
import { createMeshApp } from "./mesh-app.ts";
import { defaultMeshConfig } from "./mesh-config.ts";
import { gzip, token } from "./mesh-test-kit.ts";
import { systemClock } from "../app-deps.ts";

const v2 = "application/vnd.mesh.v2+json";

async function auth(mailbox: string) {
  return await token(systemClock, mailbox);
}

function bytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + seed * 7 + (i >> 10)) & 0xff;
  return data;
}

/** A body with no known length: fetch sends it with Transfer-Encoding: chunked. */
function streamed(data: Uint8Array<ArrayBuffer>, piece = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

async function post(
  base: string,
  path: string,
  mailbox: string,
  headers: Record<string, string>,
  body: BodyInit,
) {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: await auth(mailbox), accept: v2, ...headers },
    body,
  });
  return { status: response.status, json: await response.json() };
}

async function withServer(fn: (base: string, logs: unknown[]) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  const kv = await Deno.openKv(":memory:");
  const logs: unknown[] = [];
  const mesh = createMeshApp({
    config: defaultMeshConfig,
    records: createDenoKvRecordsStore(kv),
    blobs: createFileBlobStore(dir),
    clock: systemClock,
    logger: { log: (line) => logs.push(line) },
    randomUUID: () => crypto.randomUUID(),
  });
  const app = new Hono().route("/messageexchange", mesh);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/messageexchange`, logs);
  } finally {
    await server.shutdown();
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a streamed 3-chunk gzip send downloads byte-identical over sockets (Deno KV + files)", async () => {
  await withServer(async (base) => {
    const parts = [bytes(3 << 20, 1), bytes(3 << 20, 2), bytes(1 << 20, 3)];
    const zipped = await Promise.all(parts.map((p) => gzip(p)));
    const first = await post(base, "/A11111OT1/outbox", "A11111OT1", {
      "Mex-To": "B82617OT1",
      "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
      "Mex-Chunk-Range": "1:3",
      "Content-Type": "application/octet-stream",
      "Content-Encoding": "gzip",
    }, streamed(zipped[0]!));
    assert.equal(first.status, 202, JSON.stringify(first.json));
    const id = first.json.message_id;
    for (const n of [2, 3]) {
      const chunk = await post(base, `/A11111OT1/outbox/${id}/${n}`, "A11111OT1", {
        "Mex-Chunk-Range": `${n}:3`,
        "Content-Type": "application/octet-stream",
        "Content-Encoding": "gzip",
      }, zipped[n - 1]!);
      assert.deepEqual(chunk, { status: 202, json: null });
    }
    const inbox = await (await fetch(`${base}/B82617OT1/inbox`, {
      headers: { authorization: await auth("B82617OT1"), accept: v2 },
    })).json();
    assert.deepEqual(inbox.messages, [id]);
    for (const n of [1, 2, 3]) {
      // Deno's fetch asks for gzip and decodes it; the bytes must be the original chunk.
      const response = await fetch(`${base}/B82617OT1/inbox/${id}${n === 1 ? "" : `/${n}`}`, {
        headers: { authorization: await auth("B82617OT1"), accept: v2 },
      });
      assert.equal(response.status, n < 3 ? 206 : 200);
      assert.equal(response.headers.get("mex-chunk-range"), `${n}:3`);
      assert.equal(response.headers.get("content-encoding"), "gzip");
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), parts[n - 1]);
      const plain = await fetch(`${base}/B82617OT1/inbox/${id}${n === 1 ? "" : `/${n}`}`, {
        headers: {
          authorization: await auth("B82617OT1"),
          accept: v2,
          "accept-encoding": "identity",
        },
      });
      assert.equal(plain.headers.get("content-encoding"), null);
      assert.deepEqual(new Uint8Array(await plain.arrayBuffer()), parts[n - 1]);
    }
    const ack = await fetch(`${base}/B82617OT1/inbox/${id}/status/acknowledged`, {
      method: "PUT",
      headers: { authorization: await auth("B82617OT1"), accept: v2 },
    });
    assert.equal(ack.status, 200);
    await ack.body?.cancel();
    const tracking = await (await fetch(`${base}/A11111OT1/outbox/tracking?messageID=${id}`, {
      headers: { authorization: await auth("A11111OT1"), accept: v2 },
    })).json();
    assert.equal(tracking.status, "acknowledged");
  });
});

Deno.test("a client that drops the connection mid-chunk leaves the message uploading and retryable", async () => {
  await withServer(async (base) => {
    const first = await post(base, "/A11111OT1/outbox", "A11111OT1", {
      "Mex-To": "B82617OT1",
      "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
      "Mex-Chunk-Range": "1:2",
    }, bytes(1 << 20, 1));
    const id = first.json.message_id;
    const abort = new AbortController();
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulls === 8) abort.abort();
        controller.enqueue(bytes(64 * 1024, pulls));
      },
    });
    await assert.rejects(fetch(`${base}/A11111OT1/outbox/${id}/2`, {
      method: "POST",
      headers: { authorization: await auth("A11111OT1"), accept: v2, "Mex-Chunk-Range": "2:2" },
      body: endless,
      signal: abort.signal,
    }));
    const inbox = await (await fetch(`${base}/B82617OT1/inbox`, {
      headers: { authorization: await auth("B82617OT1"), accept: v2 },
    })).json();
    assert.deepEqual(inbox.messages, []);
    const retry = await post(base, `/A11111OT1/outbox/${id}/2`, "A11111OT1", {
      "Mex-Chunk-Range": "2:2",
    }, bytes(1000, 2));
    assert.equal(retry.status, 202);
    const download = await fetch(`${base}/B82617OT1/inbox/${id}/2`, {
      headers: { authorization: await auth("B82617OT1"), accept: v2 },
    });
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), bytes(1000, 2));
  });
});

/** Starts mesh-test-server.ts over `dir` and returns its base URL and process. */
async function spawnServer(dir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL("./mesh-test-server.ts", import.meta.url).pathname, dir],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error("server exited before listening");
    text += value;
  }
  reader.releaseLock();
  return { base: `http://127.0.0.1:${text.trim()}/messageexchange`, child };
}

async function kill(child: Deno.ChildProcess) {
  child.kill("SIGKILL");
  await child.status;
  await child.stdout.cancel().catch(() => {});
}

Deno.test("SIGKILL mid-chunk and mid-acknowledge: nothing lost, duplicated or half-visible", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let server = await spawnServer(dir);
    const one = bytes(2 << 20, 1);
    const first = await post(server.base, "/A11111OT1/outbox", "A11111OT1", {
      "Mex-To": "B82617OT1",
      "Mex-WorkflowID": "GPCONNECT_SEND_DOCUMENT",
      "Mex-Chunk-Range": "1:2",
    }, one);
    assert.equal(first.status, 202);
    const id = first.json.message_id;
    let pulls = 0;
    let flowing: () => void = () => {};
    const started = new Promise<void>((resolve) => (flowing = resolve));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulls === 4) flowing();
        if (pulls > 1000) return controller.close();
        controller.enqueue(bytes(64 * 1024, pulls));
      },
    });
    const upload = fetch(`${server.base}/A11111OT1/outbox/${id}/2`, {
      method: "POST",
      headers: { authorization: await auth("A11111OT1"), accept: v2, "Mex-Chunk-Range": "2:2" },
      body: endless,
    }).then((r) => r.body?.cancel(), () => "failed");
    await started;
    await kill(server.child);
    await upload;

    server = await spawnServer(dir);
    const get = async (mailbox: string, path: string) =>
      await fetch(`${server.base}${path}`, {
        headers: { authorization: await auth(mailbox), accept: v2 },
      });
    assert.deepEqual((await (await get("B82617OT1", "/B82617OT1/inbox")).json()).messages, []);
    assert.equal(
      (await (await get("A11111OT1", `/A11111OT1/outbox/tracking?messageID=${id}`)).json()).status,
      "uploading",
    );
    const two = bytes(1 << 20, 2);
    const retry = await post(server.base, `/A11111OT1/outbox/${id}/2`, "A11111OT1", {
      "Mex-Chunk-Range": "2:2",
    }, two);
    assert.equal(retry.status, 202);
    assert.deepEqual((await (await get("B82617OT1", "/B82617OT1/inbox")).json()).messages, [id]);
    const d1 = await get("B82617OT1", `/B82617OT1/inbox/${id}`);
    assert.equal(d1.status, 206);
    assert.deepEqual(new Uint8Array(await d1.arrayBuffer()), one);
    const d2 = await get("B82617OT1", `/B82617OT1/inbox/${id}/2`);
    assert.deepEqual(new Uint8Array(await d2.arrayBuffer()), two);

    // Kill while an acknowledge is in flight: afterwards the message is either still listed and
    // accepted, or unlisted and acknowledged — never one without the other.
    const ack = fetch(`${server.base}/B82617OT1/inbox/${id}/status/acknowledged`, {
      method: "PUT",
      headers: { authorization: await auth("B82617OT1"), accept: v2 },
    }).then((r) => r.body?.cancel(), () => "failed");
    await kill(server.child);
    await ack;
    server = await spawnServer(dir);
    const listed = (await (await get("B82617OT1", "/B82617OT1/inbox")).json()).messages;
    const status =
      (await (await get("A11111OT1", `/A11111OT1/outbox/tracking?messageID=${id}`)).json()).status;
    assert.ok(
      (status === "accepted" && listed.length === 1 && listed[0] === id) ||
        (status === "acknowledged" && listed.length === 0),
      `${status} ${JSON.stringify(listed)}`,
    );
    const again = await fetch(`${server.base}/B82617OT1/inbox/${id}/status/acknowledged`, {
      method: "PUT",
      headers: { authorization: await auth("B82617OT1"), accept: v2 },
    });
    assert.equal(again.status, 200);
    await again.body?.cancel();
    assert.deepEqual((await (await get("B82617OT1", "/B82617OT1/inbox")).json()).messages, []);
    assert.equal(
      (await (await get("A11111OT1", `/A11111OT1/outbox/tracking?messageID=${id}`)).json()).status,
      "acknowledged",
    );
    await kill(server.child);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
